import { describe, expect, it } from 'vitest';
import { directoryBudget, resourceUnits } from '../../src/simulator/resource-units.js';
import { REALISTIC } from '../../src/simulator/realism.js';
import { graphBatch, graphGet, token } from './sim-client.js';
import { simulate } from './simulated-tenant.js';

describe('simulated directory resource units (learn.microsoft.com/graph/throttling-limits, identity and access)', () => {
  it('prices reads as documented: users 2, others 1; $select -1, $expand +1, $top under 20 -1; at least 1', () => {
    const q = (text: string) => new URLSearchParams(text);
    expect(resourceUnits('graph.users', q(''))).toBe(2);
    expect(resourceUnits('graph.users', q('$select=id'))).toBe(1);
    expect(resourceUnits('graph.users', q('$select=id&$top=5'))).toBe(1);
    expect(resourceUnits('graph.roleAssignments', q('$expand=principal'))).toBe(2);
    expect(resourceUnits('graph.domains', q('$top=999'))).toBe(1);
    expect([directoryBudget(10), directoryBudget(50), directoryBudget(500), directoryBudget(501)]).toEqual([
      3_500, 5_000, 5_000, 8_000,
    ]);
    // On in the realistic preset only; tests and benchmarks that use DOCUMENTED_THROTTLING do not get it.
    expect(REALISTIC.throttling?.directory).toEqual({ windowMs: 10_000 });
  });

  it('spends the budget per request and $batch item, answers 429 with Retry-After and the throttle scope, and reports x-ms-resource-unit', async () => {
    const { sim, stop } = await simulate({
      realism: { throttling: { mode: 'enforce', directory: { limit: 6, windowMs: 60_000 } } },
    });
    try {
      const bearer = await token(sim);
      const first = await graphGet(sim, bearer, '/users');
      expect(first.status).toBe(200);
      expect(first.headers.get('x-ms-resource-unit')).toBe('2');
      const selected = await graphGet(sim, bearer, '/users?$select=id');
      expect(selected.headers.get('x-ms-resource-unit')).toBe('1');
      // 3 spent; a batch of two full user reads (2 + 2) leaves one item over the 6 units.
      const batch = await graphBatch(sim, bearer, [
        { id: '1', method: 'GET', url: '/users' },
        { id: '2', method: 'GET', url: '/users', dependsOn: ['1'] },
      ]);
      const items = (batch.body.responses as { id: string; status: number; headers: Record<string, string> }[]).sort(
        (a, b) => a.id.localeCompare(b.id),
      );
      expect(items.map((i) => i.status)).toEqual([200, 429]);
      expect(Number(items[1]?.headers['retry-after'])).toBeGreaterThan(0);
      // 5 spent: one unit is left for a domains read, then the budget is used up.
      expect((await graphGet(sim, bearer, '/domains')).status).toBe(200);
      const throttled = await graphGet(sim, bearer, '/domains');
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('x-ms-throttle-information')).toBe('ResourceUnitLimitExceeded');
      expect(throttled.headers.get('x-ms-throttle-scope')).toMatch(/^Tenant_Application/);
      expect(Number(throttled.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      // Other families are not affected.
      expect((await graphGet(sim, bearer, '/auditLogs/signIns')).status).toBe(200);
      expect(sim.stats().throttled.directory).toBe(2);
    } finally {
      await stop();
    }
  });
});
