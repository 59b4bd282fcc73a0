import { afterEach, describe, expect, it } from 'vitest';
import { liveCollector } from '../../src/collect/live/live-collector.js';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { silentLogger } from '../../src/logger.js';
import type { Result } from '../../src/model/result.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import type { RealismConfig } from '../../src/simulator/realism.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/start-simulator.js';
import { readSnapshotFolder } from '../../src/snapshot/read-folder.js';
import type { Snapshot } from '../../src/snapshot/snapshot.js';
import type { SourceId } from '../../src/snapshot/source-id.js';
import { writeSnapshotFolder } from '../../src/snapshot/write-folder.js';
import {
  BREAK_GLASS_SITE,
  CONTRACTORS_GROUP,
  DEVICE_CODE_POLICY,
  goldenTenant,
  identityPolicyText,
  type IdentityTenant,
  tenantSnapshot,
} from '../helpers/identity-tenant.js';
import { simulatorClients } from '../helpers/simulator-clients.js';
import { tempDir } from '../helpers/temp.js';

/*
 * Conditional Access coverage through the simulated tenant: the collectors read the policies with
 * every condition, and the names of the groups, roles and named locations they use, over real
 * HTTP; the same verdicts come back from the saved snapshot folder.
 */

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
  'graph.groups',
  'graph.roleDefinitions',
  'graph.namedLocations',
];

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

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
  return liveCollector({
    mode: 'simulate',
    tenantId: sim.tenantId,
    clients: created.clients,
    extraDomains: [],
    now: () => NOW,
  }).collect({ sources: new Set(SOURCES), policy, logger: silentLogger });
}

async function judge(snapshot: Snapshot): Promise<readonly Result[]> {
  const { policy } = parsePolicy(identityPolicyText(), 'identity.json', NOW);
  return (await evaluate(snapshot, policy, { now: NOW, domains: [] })).results;
}

const verdict = (rs: readonly Result[], control: string) =>
  rs.find((r) => r.control === control && r.target === 'tenant');
const notPassing = (rs: readonly Result[]) =>
  rs
    .filter((r) => r.status !== 'pass')
    .map((r) => `${r.control} ${r.target} ${r.status}`)
    .sort();

describe('Conditional Access through the simulator', () => {
  it('reads only the groups the policies name, with their names, and replays the same verdicts', async () => {
    const t = goldenTenant();
    t.policies[0]!.conditions.users!.excludeGroups = [CONTRACTORS_GROUP];
    const snapshot = await collect(await serve(t));
    expect(snapshot.status('graph.groups')).toMatchObject({ status: 'ok', count: 1 });
    expect(snapshot.data('graph.groups')).toEqual([{ id: CONTRACTORS_GROUP, displayName: 'Contractors' }]);
    expect(snapshot.status('graph.namedLocations')).toMatchObject({ status: 'ok', count: 2 });
    const rs = await judge(snapshot);
    expect(notPassing(rs)).toEqual(['mfa.enforcement tenant fail']);
    expect(JSON.stringify(verdict(rs, 'mfa.enforcement')?.evidence)).toContain(
      `group \\"Contractors\\" (${CONTRACTORS_GROUP})`,
    );

    const dir = await tempDir();
    await writeSnapshotFolder(dir, snapshot);
    const replayed = await judge(await readSnapshotFolder(dir, { now: NOW }));
    expect(replayed.map((r) => [r.control, r.target, r.status, r.message])).toEqual(
      rs.map((r) => [r.control, r.target, r.status, r.message]),
    );
  });

  it('the platform and location probes: MFA for Android only, MFA except trusted locations, a legacy block for iOS only', async () => {
    const android = goldenTenant();
    android.policies[0]!.conditions.platforms = { includePlatforms: ['android'] };
    expect(notPassing(await judge(await collect(await serve(android))))).toEqual(['mfa.enforcement tenant fail']);

    const trusted = goldenTenant();
    trusted.policies[0]!.conditions.locations = { includeLocations: ['All'], excludeLocations: ['AllTrusted'] };
    expect(notPassing(await judge(await collect(await serve(trusted))))).toEqual(['mfa.enforcement tenant fail']);

    const ios = goldenTenant();
    ios.policies[1]!.conditions.platforms = { includePlatforms: ['iOS'] };
    const rs = await judge(await collect(await serve(ios)));
    expect(notPassing(rs)).toEqual(['legacy-auth.blocked tenant fail']);
    expect(verdict(rs, 'legacy-auth.blocked')?.evidence).toMatchObject({
      gaps: [{ where: { platform: ['android', 'windows', 'windowsPhone', 'macOS', 'linux', 'unrecognised'] } }],
    });
  });

  it('every condition and the session controls survive the collector', async () => {
    const t = goldenTenant();
    const p = t.policies[0]!;
    p.conditions.locations = { includeLocations: ['All'], excludeLocations: [BREAK_GLASS_SITE] };
    p.conditions.devices = { deviceFilter: { mode: 'exclude', rule: 'device.trustType -eq "ServerAD"' } };
    p.conditions.authenticationFlows = { transferMethods: 'deviceCodeFlow' };
    p.conditions.insiderRiskLevels = 'minor,moderate';
    p.conditions.users!.excludeGuestsOrExternalUsers = {
      guestOrExternalUserTypes: 'internalGuest',
      externalTenants: { membershipKind: 'enumerated', members: ['9b1c'] },
    };
    (p as { sessionControls?: unknown }).sessionControls = {
      persistentBrowser: { isEnabled: true, mode: 'always' },
      signInFrequency: { isEnabled: true, value: 12, type: 'hours', frequencyInterval: 'timeBased' },
    };
    const snapshot = await collect(await serve(t));
    expect(snapshot.data('graph.conditionalAccessPolicies')[0]).toMatchObject({
      conditions: {
        locations: { excludeLocations: [BREAK_GLASS_SITE] },
        devices: { deviceFilter: { mode: 'exclude', rule: 'device.trustType -eq "ServerAD"' } },
        authenticationFlows: { transferMethods: 'deviceCodeFlow' },
        insiderRiskLevels: 'minor,moderate',
        users: { excludeGuestsOrExternalUsers: { guestOrExternalUserTypes: 'internalGuest' } },
      },
      sessionControls: { persistentBrowser: { mode: 'always' }, signInFrequency: { value: 12 } },
    });
  });

  it('without GroupMember.Read.All the groups source is not permitted: the verdict stands, the IDs are shown', async () => {
    const t = goldenTenant();
    t.policies[0]!.conditions.users!.excludeGroups = [CONTRACTORS_GROUP];
    const snapshot = await collect(
      await serve(t, { missingPermissions: ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All'] }),
    );
    expect(snapshot.status('graph.groups')).toMatchObject({
      status: 'not_permitted',
      permission: 'GroupMember.Read.All',
    });
    const r = verdict(await judge(snapshot), 'mfa.enforcement');
    expect(r?.status).toBe('fail');
    expect(r?.evidence.names).toMatchObject({ groups: expect.stringMatching(/^not_permitted: /) });
    expect(JSON.stringify(r?.evidence)).toContain(
      `group ${CONTRACTORS_GROUP} (name not read: graph.groups not_permitted`,
    );
  });

  it('a group deleted from the directory but still named by a policy reads as not found', async () => {
    const t = goldenTenant();
    t.policies[0]!.conditions.users!.excludeGroups = ['0badc0de-0000-4000-8000-000000000000'];
    const snapshot = await collect(await serve(t));
    expect(snapshot.status('graph.groups')).toMatchObject({ status: 'ok', count: 0 });
    expect(JSON.stringify(verdict(await judge(snapshot), 'mfa.enforcement')?.evidence)).toContain(
      '0badc0de-0000-4000-8000-000000000000 (not found in the directory)',
    );
  });

  it('sign-ins.device-code-blocked: the flags string survives the wire; a narrowed block fails naming the group, and replays', async () => {
    const golden = await collect(await serve(goldenTenant()));
    expect(golden.data('graph.conditionalAccessPolicies').find((p) => p.id === DEVICE_CODE_POLICY)).toMatchObject({
      conditions: { authenticationFlows: { transferMethods: 'deviceCodeFlow,authenticationTransfer' } },
    });
    const pass = verdict(await judge(golden), 'sign-ins.device-code-blocked');
    expect(pass).toMatchObject({
      status: 'pass',
      message:
        'Conditional Access policy "Block device code flow" alone is enough to block the device-code flow for All users and All cloud apps.',
      evidence: { coverage: 'single', satisfiedBy: [{ id: DEVICE_CODE_POLICY }] },
    });

    const narrowed = goldenTenant();
    const block = narrowed.policies.find((p) => p.id === DEVICE_CODE_POLICY)!;
    block.conditions.users!.excludeGroups = [CONTRACTORS_GROUP];
    const snapshot = await collect(await serve(narrowed));
    const rs = await judge(snapshot);
    expect(notPassing(rs)).toEqual(['sign-ins.device-code-blocked tenant fail']);
    expect(verdict(rs, 'sign-ins.device-code-blocked')?.message).toContain(
      `"Block device code flow" conditions.users excludes group "Contractors" (${CONTRACTORS_GROUP}), not listed as allowed`,
    );

    const dir = await tempDir();
    await writeSnapshotFolder(dir, snapshot);
    const replayed = await judge(await readSnapshotFolder(dir, { now: NOW }));
    expect(replayed.map((r) => [r.control, r.target, r.status, r.message])).toEqual(
      rs.map((r) => [r.control, r.target, r.status, r.message]),
    );

    const onlyTransfer = goldenTenant();
    onlyTransfer.policies.find((p) => p.id === DEVICE_CODE_POLICY)!.conditions.authenticationFlows = {
      transferMethods: 'authenticationTransfer',
    };
    const transfer = verdict(await judge(await collect(await serve(onlyTransfer))), 'sign-ins.device-code-blocked');
    expect(transfer?.status).toBe('fail');
    expect(transfer?.message).toContain('conditions.authenticationFlows applies only to authenticationTransfer');
  });
});
