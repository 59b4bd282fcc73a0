import { describe, expect, it } from 'vitest';
import { DOCUMENTED_THROTTLING } from '../../src/simulator/realism.js';
import { user } from './fixture-tenant.js';
import { graphBatch, graphGet, invokeCommand, token } from './sim-client.js';
import { simulate } from './simulated-tenant.js';

describe('simulated Graph throttling (learn.microsoft.com/graph/throttling-limits)', () => {
  it('allows 5 identity-report requests per 10 s, then 429 with a Retry-After in seconds', async () => {
    const { sim, stop } = await simulate({ realism: { throttling: DOCUMENTED_THROTTLING } });
    try {
      const bearer = await token(sim);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push(
          (
            await graphGet(
              sim,
              bearer,
              i % 2 ? '/auditLogs/signIns' : '/reports/authenticationMethods/userRegistrationDetails',
            )
          ).status,
        );
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      const throttled = await graphGet(sim, bearer, '/auditLogs/signIns');
      expect(throttled.status).toBe(429);
      const retryAfter = Number(throttled.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(10);
      expect((throttled.body.error as { code: string }).code).toBe('TooManyRequests');
      // Other families are not affected.
      expect((await graphGet(sim, bearer, '/users')).status).toBe(200);
      const stats = sim.stats();
      expect(stats.throttled.reports).toBe(2);
      expect(stats.overAllowance.reports).toBe(2);
      expect(stats.requests.reports).toBe(7);
    } finally {
      await stop();
    }
  });

  it('allows 1 request/s to Identity Protection and Conditional Access together, with NO Retry-After', async () => {
    const { sim, stop } = await simulate({ realism: { throttling: DOCUMENTED_THROTTLING } });
    try {
      const bearer = await token(sim);
      expect((await graphGet(sim, bearer, '/identity/conditionalAccess/policies')).status).toBe(200);
      const second = await graphGet(sim, bearer, '/identityProtection/riskyUsers');
      expect(second.status).toBe(429);
      expect(second.headers.get('retry-after')).toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 1050));
      expect((await graphGet(sim, bearer, '/identityProtection/riskDetections')).status).toBe(200);
    } finally {
      await stop();
    }
  });

  it('allows 4 concurrent Outlook requests per mailbox, and counts the peak', async () => {
    const { sim, stop } = await simulate({
      realism: { throttling: DOCUMENTED_THROTTLING, latencyByFamily: { outlook: { kind: 'fixed', ms: 300 } } },
    });
    try {
      const bearer = await token(sim);
      const path = `/users/${String(user(1).id)}/mailFolders/inbox/messageRules`;
      const replies = await Promise.all(Array.from({ length: 6 }, () => graphGet(sim, bearer, path)));
      const statuses = replies.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
      const throttled = replies.find((r) => r.status === 429)!;
      expect((throttled.body.error as { innerError: { message: string } }).innerError.message).toMatch(
        /MailboxConcurrency/,
      );
      expect(throttled.headers.get('retry-after')).not.toBeNull();
      // Another mailbox has its own allowance.
      const other = await Promise.all(
        Array.from({ length: 4 }, () =>
          graphGet(sim, bearer, '/users/user2@alpha.example/mailFolders/inbox/messageRules'),
        ),
      );
      expect(other.every((r) => r.status === 200)).toBe(true);
      expect(sim.stats().peakMailboxConcurrency).toBe(4);
    } finally {
      await stop();
    }
  });

  it('limits Outlook requests per mailbox per window', async () => {
    const { sim, stop } = await simulate({
      realism: { throttling: { mode: 'enforce', outlook: { concurrency: 4, limit: 3, windowMs: 60_000 } } },
    });
    try {
      const bearer = await token(sim);
      const path = '/users/user1@alpha.example/mailFolders/inbox/messageRules';
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await graphGet(sim, bearer, path)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await stop();
    }
  });

  it('throttles $batch items one by one, each 429 item with its own Retry-After', async () => {
    const { sim, stop } = await simulate({ realism: { throttling: DOCUMENTED_THROTTLING } });
    try {
      const bearer = await token(sim);
      const requests = Array.from({ length: 7 }, (_, i) => ({
        id: String(i + 1),
        method: 'GET',
        url: '/auditLogs/signIns?$top=1',
      }));
      const reply = await graphBatch(sim, bearer, requests);
      expect(reply.status).toBe(200);
      const items = reply.body.responses as { id: string; status: number; headers: Record<string, string> }[];
      expect(items.filter((i) => i.status === 200)).toHaveLength(5);
      const throttled = items.filter((i) => i.status === 429);
      expect(throttled).toHaveLength(2);
      for (const item of throttled) expect(Number(item.headers['retry-after'])).toBeGreaterThan(0);
      expect(sim.stats().throttled.reports).toBe(2);
    } finally {
      await stop();
    }
  });

  it('enforces the global per-app limit', async () => {
    const { sim, stop } = await simulate({
      realism: { throttling: { mode: 'enforce', global: { limit: 3, windowMs: 60_000 } } },
    });
    try {
      const bearer = await token(sim);
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await graphGet(sim, bearer, '/domains')).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await stop();
    }
  });

  it('in observe mode answers everything but counts the requests over the allowance', async () => {
    const { sim, stop } = await simulate({ realism: { throttling: { ...DOCUMENTED_THROTTLING, mode: 'observe' } } });
    try {
      const bearer = await token(sim);
      const statuses = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await graphGet(sim, bearer, '/identity/conditionalAccess/policies')).status);
      expect(statuses).toEqual([200, 200, 200]);
      const stats = sim.stats();
      expect(stats.overAllowance.conditionalAccess).toBe(2);
      expect(stats.throttled.conditionalAccess).toBe(0);
    } finally {
      await stop();
    }
  });

  it('does not throttle when throttling is off (the default)', async () => {
    const { sim, stop } = await simulate();
    try {
      const bearer = await token(sim);
      for (let i = 0; i < 8; i++) expect((await graphGet(sim, bearer, '/auditLogs/signIns')).status).toBe(200);
      const exo = await token(sim, 'https://outlook.office365.com');
      expect((await invokeCommand(sim, exo, { CmdletInput: { CmdletName: 'Get-RemoteDomain' } })).status).toBe(200);
    } finally {
      await stop();
    }
  });
});
