import { describe, expect, it } from 'vitest';
import { parseRealism, type RealismConfig } from '../../src/simulator/realism.js';
import { ConfigurationError } from '../../src/errors.js';
import { graphBatch, graphGet, invokeCommand, token } from './sim-client.js';
import { simulate } from './simulated-tenant.js';

async function withFaults(
  realism: RealismConfig,
  body: (sim: Awaited<ReturnType<typeof simulate>>['sim'], bearer: string) => Promise<void>,
): Promise<void> {
  const { sim, stop } = await simulate({ realism });
  try {
    await body(sim, await token(sim));
  } finally {
    await stop();
  }
}

describe('simulator licence and permission faults', () => {
  it('answers signIns and userRegistrationDetails 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant without P1', async () => {
    const { sim, stop } = await simulate({
      change: (d) => {
        d.manifest.licences = { 'entra-id-p1': false, 'entra-id-p2': false };
      },
    });
    try {
      const bearer = await token(sim);
      for (const path of ['/auditLogs/signIns', '/reports/authenticationMethods/userRegistrationDetails']) {
        const reply = await graphGet(sim, bearer, path);
        expect([reply.status, (reply.body.error as { code: string }).code], path).toEqual([
          403,
          'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
        ]);
      }
      expect((await graphGet(sim, bearer, '/identityProtection/riskyUsers')).status).toBe(403);
      expect((await graphGet(sim, bearer, '/users')).status).toBe(200);
    } finally {
      await stop();
    }
  });

  it('answers riskyUsers and riskDetections 403 without P2 only', async () => {
    await withFaults({ licences: { 'entra-id-p2': false } }, async (sim, bearer) => {
      expect((await graphGet(sim, bearer, '/identityProtection/riskyUsers')).status).toBe(403);
      expect((await graphGet(sim, bearer, '/identityProtection/riskDetections')).status).toBe(403);
      expect((await graphGet(sim, bearer, '/auditLogs/signIns')).status).toBe(200);
    });
  });

  it('answers 403 Authorization_RequestDenied for a configured missing permission, in $batch items too', async () => {
    await withFaults(
      { missingPermissions: ['MailboxSettings.Read', 'AuditLog.Read.All', 'Exchange.ManageAsApp'] },
      async (sim, bearer) => {
        const reply = await graphGet(sim, bearer, '/auditLogs/signIns');
        expect([reply.status, (reply.body.error as { code: string }).code]).toEqual([
          403,
          'Authorization_RequestDenied',
        ]);
        const batch = await graphBatch(sim, bearer, [
          { id: '1', method: 'GET', url: '/users/user1@alpha.example/mailFolders/inbox/messageRules' },
          { id: '2', method: 'GET', url: '/users' },
        ]);
        const statuses = Object.fromEntries(
          (batch.body.responses as { id: string; status: number }[]).map((r) => [r.id, r.status]),
        );
        expect(statuses).toEqual({ '1': 403, '2': 200 });
        const exo = await token(sim, 'https://outlook.office365.com');
        expect(
          (await invokeCommand(sim, exo, { CmdletInput: { CmdletName: 'Get-Mailbox', Parameters: {} } })).status,
        ).toBe(403);
      },
    );
  });

  it('serves a source the snapshot recorded as failed or not permitted as that failure', async () => {
    const { sim, stop } = await simulate({
      statuses: {
        'graph.domains': { status: 'failed', reason: 'timeout' },
        'graph.users': { status: 'not_permitted', permission: 'User.Read.All', reason: '403' },
        'exo.remoteDomain': { status: 'not_permitted', permission: 'Exchange.ManageAsApp', reason: '403' },
      },
    });
    try {
      const bearer = await token(sim);
      expect((await graphGet(sim, bearer, '/domains')).status).toBe(500);
      expect((await graphGet(sim, bearer, '/users')).status).toBe(403);
      const exo = await token(sim, 'https://outlook.office365.com');
      expect((await invokeCommand(sim, exo, { CmdletInput: { CmdletName: 'Get-RemoteDomain' } })).status).toBe(403);
    } finally {
      await stop();
    }
  });
});

describe('simulator injected faults', () => {
  it('injects 503 and 504 with Graph error bodies', async () => {
    await withFaults(
      {
        faults: [
          { kind: 'status503', path: '/domains' },
          { kind: 'status504', path: '/users' },
        ],
      },
      async (sim, bearer) => {
        const unavailable = await graphGet(sim, bearer, '/domains');
        expect([unavailable.status, (unavailable.body.error as { code: string }).code]).toEqual([
          503,
          'ServiceUnavailable',
        ]);
        expect((await graphGet(sim, bearer, '/users')).status).toBe(504);
        expect(sim.stats().faults.status503).toBe(1);
        expect(sim.stats().faults.status504).toBe(1);
      },
    );
  });

  it('resets the connection', async () => {
    await withFaults({ faults: [{ kind: 'reset', family: 'reports' }] }, async (sim, bearer) => {
      await expect(graphGet(sim, bearer, '/auditLogs/signIns')).rejects.toThrow();
      expect(sim.stats().faults.reset).toBe(1);
    });
  });

  it('stalls the body half way', async () => {
    await withFaults({ faults: [{ kind: 'stall', path: '/domains' }] }, async (sim, bearer) => {
      const response = await fetch(`${sim.graphUrl}/domains`, {
        headers: { authorization: `Bearer ${bearer}` },
        signal: AbortSignal.timeout(500),
      });
      expect(response.status).toBe(200);
      await expect(response.text()).rejects.toThrow();
      expect(sim.stats().faults.stall).toBe(1);
    });
  });

  it('sends malformed JSON', async () => {
    await withFaults({ faults: [{ kind: 'malformedJson', family: 'directory' }] }, async (sim, bearer) => {
      const response = await fetch(`${sim.graphUrl}/users`, { headers: { authorization: `Bearer ${bearer}` } });
      expect(response.status).toBe(200);
      await expect(response.json()).rejects.toThrow();
    });
  });

  it('loops the nextLink back to the same page, in Graph and in Exchange', async () => {
    await withFaults(
      {
        faults: [
          { kind: 'loopingNextLink', path: '$top=2' },
          { kind: 'loopingNextLink', family: 'exchange' },
        ],
      },
      async (sim, bearer) => {
        const first = await graphGet(sim, bearer, '/users?$top=2');
        const link = first.body['@odata.nextLink'] as string;
        expect(link).toBe(`${sim.graphUrl}/users?$top=2`);
        const again = await graphGet(sim, bearer, link);
        expect(again.body['@odata.nextLink']).toBe(link);
        const exo = await token(sim, 'https://outlook.office365.com');
        const reply = await invokeCommand(sim, exo, { CmdletInput: { CmdletName: 'Get-RemoteDomain' } });
        expect(reply.body['@odata.nextLink']).toBe(`${sim.exchangeUrl}/adminapi/beta/${sim.tenantId}/InvokeCommand`);
      },
    );
  });

  it('injects 503 into $batch items, by rate, after N and up to a limit', async () => {
    await withFaults(
      { seed: 7, faults: [{ kind: 'status503', family: 'directory', after: 1, limit: 2 }] },
      async (sim, bearer) => {
        const reply = await graphBatch(
          sim,
          bearer,
          Array.from({ length: 5 }, (_, i) => ({
            id: String(i),
            method: 'GET',
            url: '/domains',
            dependsOn: i > 0 ? [String(i - 1)] : undefined,
          })),
        );
        const statuses = (reply.body.responses as { id: string; status: number }[])
          .sort((a, b) => Number(a.id) - Number(b.id))
          .map((r) => r.status);
        expect(statuses).toEqual([200, 503, 424, 424, 424]);
      },
    );
    await withFaults(
      { seed: 7, faults: [{ kind: 'status503', family: 'directory', rate: 0.5 }] },
      async (sim, bearer) => {
        let failed = 0;
        for (let i = 0; i < 40; i++) if ((await graphGet(sim, bearer, '/domains')).status === 503) failed++;
        expect(failed).toBeGreaterThan(8);
        expect(failed).toBeLessThan(32);
      },
    );
  });

  it('adds latency drawn from the configured distribution', async () => {
    await withFaults({ latency: { kind: 'uniform', minMs: 150, maxMs: 200 } }, async (sim, bearer) => {
      const started = performance.now();
      await graphGet(sim, bearer, '/domains');
      expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    });
  });
});

describe('realism config validation', () => {
  it('names the JSON pointer of a bad value', () => {
    const bad = (value: unknown): string => {
      try {
        parseRealism(value, 'realism.json');
      } catch (error: unknown) {
        expect(error).toBeInstanceOf(ConfigurationError);
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    expect(bad({ faults: [{ kind: 'explode' }] })).toContain('/faults/0/kind');
    expect(bad({ throttling: { mode: 'enforce', reports: { limit: 0, windowMs: 10 } } })).toContain(
      '/throttling/reports/limit',
    );
    expect(bad({ latency: { kind: 'lognormal', medianMs: 'fast' } })).toContain('/latency/medianMs');
    expect(bad({ surprise: true })).toContain('/surprise');
    expect(parseRealism({ latency: { kind: 'fixed', ms: 5 } }, 'x.json')).toEqual({
      latency: { kind: 'fixed', ms: 5 },
    });
  });
});
