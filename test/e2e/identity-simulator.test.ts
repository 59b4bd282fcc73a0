import { afterEach, describe, expect, it } from 'vitest';
import { createGraphTransport } from '../../src/collect/graph/graph-transport.js';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { silentLogger } from '../../src/logger.js';
import type { Result } from '../../src/model/result.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import type { RealismConfig } from '../../src/simulator/realism.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/start-simulator.js';
import type { Snapshot } from '../../src/snapshot/snapshot.js';
import type { SourceId } from '../../src/snapshot/source-id.js';
import { writeSnapshotFolder } from '../../src/snapshot/write-folder.js';
import {
  ADMIN_GROUP,
  CUSTOM_STRENGTH,
  ELIGIBLE_ADMIN,
  GLOBAL_ADMIN,
  GROUP_ADMIN,
  goldenTenant,
  identityPolicyText,
  tenantSnapshot,
  type IdentityTenant,
} from '../helpers/identity-tenant.js';
import { simulatorClients, simulatorLiveCollector } from '../helpers/simulator-clients.js';
import { tempDir } from '../helpers/temp.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const SOURCES: SourceId[] = [
  'graph.users',
  'graph.userRegistrationDetails',
  'graph.conditionalAccessPolicies',
  'graph.securityDefaults',
  'graph.authenticationStrengthPolicies',
  'graph.roleAssignments',
  'graph.roleEligibilityScheduleInstances',
  'graph.authenticationMethodsPolicy',
  'graph.domains',
  'graph.riskyUsers',
];

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** Writes the tenant as a snapshot folder and serves it. */
async function serve(t: IdentityTenant, realism?: RealismConfig): Promise<RunningSimulator> {
  const dir = await tempDir();
  await writeSnapshotFolder(dir, tenantSnapshot({ ...t, p2: true }));
  const sim = await startSimulator({ dir, ...(realism ? { realism } : {}) });
  cleanup.push(() => sim.close());
  return sim;
}

async function collect(sim: RunningSimulator): Promise<Snapshot> {
  const created = simulatorClients(sim);
  cleanup.push(created.close);
  const { policy } = parsePolicy(identityPolicyText(), 'identity.json', NOW);
  const collector = simulatorLiveCollector(sim, created, NOW);
  return collector.collect({ sources: new Set(SOURCES), policy, logger: silentLogger });
}

async function audit(t: IdentityTenant, realism?: RealismConfig): Promise<readonly Result[]> {
  const snapshot = await collect(await serve(t, realism));
  const { policy } = parsePolicy(identityPolicyText(), 'identity.json', NOW);
  return (await evaluate(snapshot, policy, { now: NOW, domains: [] })).results;
}

const notPassing = (rs: readonly Result[]) =>
  rs
    .filter((r) => r.status !== 'pass')
    .map((r) => `${r.control} ${r.target} ${r.status}`)
    .sort();
const result = (rs: readonly Result[], control: string, target = 'tenant') =>
  rs.find((r) => r.control === control && r.target === target);

describe('identity controls through the simulated tenant (golden tenant, one mutation each)', () => {
  it('the golden tenant passes every identity control, admins judged one by one', async () => {
    const rs = await audit(goldenTenant());
    expect(notPassing(rs)).toEqual([]);
    expect(
      rs
        .filter((r) => r.control === 'mfa.admins-phishing-resistant')
        .map((r) => r.target)
        .sort(),
    ).toEqual([ELIGIBLE_ADMIN.userPrincipalName, GLOBAL_ADMIN.userPrincipalName, GROUP_ADMIN.userPrincipalName]);
  });

  it('a report-only MFA policy fails mfa.enforcement', async () => {
    const t = goldenTenant();
    t.policies[0]!.state = 'enabledForReportingButNotEnforced';
    expect(notPassing(await audit(t))).toEqual(['mfa.enforcement tenant fail']);
  });

  it('an excluded group fails mfa.enforcement', async () => {
    const t = goldenTenant();
    t.policies[0]!.conditions.users!.excludeGroups = ['c0ffee00-0000-4000-8000-000000000001'];
    const rs = await audit(t);
    expect(notPassing(rs)).toEqual(['mfa.enforcement tenant fail']);
    expect(JSON.stringify(result(rs, 'mfa.enforcement')?.evidence)).toContain(
      'group c0ffee00-0000-4000-8000-000000000001',
    );
  });

  it('a grant that ORs MFA with a compliant device fails mfa.enforcement with the reason', async () => {
    const t = goldenTenant();
    t.policies[0]!.grantControls = {
      operator: 'OR',
      builtInControls: ['mfa', 'compliantDevice'],
      authenticationStrength: null,
    };
    const rs = await audit(t);
    expect(notPassing(rs)).toEqual(['mfa.enforcement tenant fail']);
    expect(result(rs, 'mfa.enforcement')?.message).toContain('compliantDevice');
  });

  it('an admin holding a role through a group, uncovered by the admin policy, fails', async () => {
    const t = goldenTenant();
    t.policies[2]!.conditions.users = {
      ...t.policies[2]!.conditions.users!,
      includeRoles: [],
      includeUsers: [GLOBAL_ADMIN.id],
    };
    const rs = await audit(t);
    // Eve, eligible for Global Administrator, is no longer covered either once the role is not named.
    expect(notPassing(rs)).toEqual([
      `mfa.admins-phishing-resistant ${ELIGIBLE_ADMIN.userPrincipalName} fail`,
      `mfa.admins-phishing-resistant ${GROUP_ADMIN.userPrincipalName} fail`,
    ]);
    expect(result(rs, 'mfa.admins-phishing-resistant', GROUP_ADMIN.userPrincipalName)?.evidence).toMatchObject({
      viaGroups: [ADMIN_GROUP],
    });
  });

  it('a custom strength that allows SMS fails every admin', async () => {
    const t = goldenTenant();
    t.policies[2]!.grantControls = {
      operator: 'AND',
      builtInControls: [],
      authenticationStrength: { id: CUSTOM_STRENGTH, displayName: 'Admin keys' },
    };
    t.strengths[2]!.allowedCombinations = ['fido2', 'password,sms'];
    expect(notPassing(await audit(t))).toEqual([
      `mfa.admins-phishing-resistant ${ELIGIBLE_ADMIN.userPrincipalName} fail`,
      `mfa.admins-phishing-resistant ${GLOBAL_ADMIN.userPrincipalName} fail`,
      `mfa.admins-phishing-resistant ${GROUP_ADMIN.userPrincipalName} fail`,
    ]);
  });

  it('security defaults on pass mfa.enforcement and legacy-auth.blocked without those policies', async () => {
    const t = goldenTenant();
    t.securityDefaults.isEnabled = true;
    t.policies = t.policies.filter((p) => p.id !== 'ca-0001' && p.id !== 'ca-0002');
    expect(notPassing(await audit(t))).toEqual([]);
  });

  it('a tenant without Entra ID P2 gets not_evaluable for the risk policies, naming the licence', async () => {
    const rs = await audit(goldenTenant(), { licences: { 'entra-id-p2': false } });
    // PIM answers 400 AadPremiumLicenseRequired: the eligible admins are not evaluable, the active ones still pass.
    expect(notPassing(rs)).toEqual([
      'mfa.admins-phishing-resistant tenant not_evaluable',
      'sign-ins.risk-policies tenant not_evaluable',
    ]);
    expect(result(rs, 'mfa.admins-phishing-resistant')?.evidence).toMatchObject({
      unreadSources: [
        { source: 'graph.roleEligibilityScheduleInstances', status: 'not_licensed', licence: 'entra-id-p2' },
      ],
    });
    expect(result(rs, 'mfa.admins-phishing-resistant', GLOBAL_ADMIN.userPrincipalName)?.status).toBe('pass');
    expect(result(rs, 'sign-ins.risk-policies')?.evidence).toMatchObject({ licence: 'entra-id-p2' });
  });
});

describe('licence, permission and shape problems through the simulator', () => {
  it('a missing permission gives not_evaluable naming the application permission; no P1 names the licence', async () => {
    const rs = await audit(goldenTenant(), {
      missingPermissions: ['RoleManagement.Read.Directory', 'Directory.Read.All'],
      licences: { 'entra-id-p1': false },
    });
    expect(result(rs, 'mfa.admins-phishing-resistant')).toMatchObject({
      status: 'not_evaluable',
      evidence: { source: 'graph.roleAssignments', permission: 'RoleManagement.Read.Directory, GroupMember.Read.All' },
    });
    expect(result(rs, 'mfa.registration')).toMatchObject({
      status: 'not_evaluable',
      evidence: { source: 'graph.userRegistrationDetails', licence: 'entra-id-p1' },
    });
  });

  it('a null where an array belongs is an error naming endpoint and field; an unknown enum value is tolerated', async () => {
    const dir = await tempDir();
    const t = goldenTenant();
    t.policies[1]!.state = 'someFutureState';
    await writeSnapshotFolder(dir, tenantSnapshot(t));
    // The folder is well formed; the simulator serves a null in place of the fourth policy's list.
    const sim = await startSimulator({
      dir,
      realism: {
        faults: [
          {
            kind: 'replaceValue',
            path: '/identity/conditionalAccess/policies',
            pointer: '/value/3/conditions/clientAppTypes',
            value: null,
          },
        ],
      },
    });
    cleanup.push(() => sim.close());
    const snapshot = await collect(sim);
    const status = snapshot.status('graph.conditionalAccessPolicies');
    expect(status).toMatchObject({ status: 'failed' });
    expect(status?.status === 'failed' ? status.reason : '').toMatch(
      /\/identity\/conditionalAccess\/policies: \/value\/3\/conditions\/clientAppTypes is null, expected an array/,
    );
    // The unknown state alone is data: served as is, the policy reads and simply does not count.
    const again = await collect(
      await (async () => {
        const s = await startSimulator({ dir });
        cleanup.push(() => s.close());
        return s;
      })(),
    );
    expect(again.status('graph.conditionalAccessPolicies')).toMatchObject({ status: 'ok' });
    expect(again.data('graph.conditionalAccessPolicies')[1]?.state).toBe('someFutureState');
  });

  it('malformed JSON and a looping nextLink from the simulator end as failed sources, never a crash', async () => {
    const rs = await audit(goldenTenant(), {
      faults: [
        { kind: 'malformedJson', path: '/domains' },
        { kind: 'loopingNextLink', path: '/users' },
      ],
    });
    expect(result(rs, 'mfa.registration')?.status).toBe('error');
  });
});

describe('Graph transport against the simulator limits', () => {
  it('under the 1 request/s Conditional Access limit without Retry-After, backs off and finishes', async () => {
    const sim = await serve(goldenTenant(), {
      throttling: { mode: 'enforce', identityProtection: { limit: 1, windowMs: 1_000 } },
    });
    // Our own limiter is loosened so that the simulator's 429s (with no Retry-After) are exercised.
    const created = simulatorClients(sim);
    cleanup.push(created.close);
    const graph = createGraphTransport({
      baseUrl: new URL(sim.graphUrl).origin,
      credential: created.credential,
      logger: silentLogger,
      backoff: { baseMs: 300, maxMs: 2_000, random: () => 0.5 },
      limits: {
        'identity-reports': { concurrency: 5 },
        'identity-protection': { concurrency: 4 },
        outlook: { concurrency: 4, concurrencyPerKey: 4 },
        batch: { concurrency: 4 },
        directory: { concurrency: 8 },
      },
    });
    cleanup.push(async () => graph.close());
    const started = Date.now();
    const counts = await Promise.all(
      [1, 2, 3, 4].map(async () => {
        let n = 0;
        for await (const page of graph.pages('/identity/conditionalAccess/policies?$select=id,state')) n += page.length;
        return n;
      }),
    );
    expect(counts).toEqual([6, 6, 6, 6]);
    const stats = sim.stats();
    expect(stats.throttled.conditionalAccess + stats.throttled.identityProtection).toBeGreaterThan(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_500);
  });

  it('with our default limits the same four reads are never throttled', async () => {
    const sim = await serve(goldenTenant(), {
      throttling: { mode: 'enforce', identityProtection: { limit: 1, windowMs: 1_000 } },
    });
    const created = simulatorClients(sim);
    cleanup.push(created.close);
    const graph = created.clients.graph!;
    await Promise.all(
      [1, 2, 3, 4].map(async () => {
        for await (const page of graph.pages('/identity/conditionalAccess/policies?$select=id'))
          expect(page.length).toBe(6);
      }),
    );
    const stats = sim.stats();
    expect(stats.throttled, JSON.stringify(stats)).toMatchObject({ conditionalAccess: 0, identityProtection: 0 });
  });
});
