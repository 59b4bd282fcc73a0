import { afterEach, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { silentLogger } from '../../src/logger.js';
import type { Result } from '../../src/model/result.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import type { Policy } from '../../src/policy/policy.js';
import type { RealismConfig } from '../../src/simulator/realism.js';
import { type RunningSimulator, startSimulator } from '../../src/simulator/start-simulator.js';
import type { SignIn } from '../../src/snapshot/graph-types.js';
import { readSnapshotFolder } from '../../src/snapshot/read-folder.js';
import { arrayPageStream, memorySnapshot, type Snapshot } from '../../src/snapshot/snapshot.js';
import type { SourceId } from '../../src/snapshot/source-id.js';
import type { SourceStatus } from '../../src/snapshot/source-status.js';
import { writeSnapshotFolder } from '../../src/snapshot/write-folder.js';
import {
  ELIGIBLE_ADMIN,
  GLOBAL_ADMIN,
  goldenTenant,
  type IdentityTenant,
  tenantSnapshot,
} from '../helpers/identity-tenant.js';
import { signIn } from '../helpers/sign-in-generator.js';
import { simulatorClients, simulatorLiveCollector } from '../helpers/simulator-clients.js';
import { tempDir } from '../helpers/temp.js';

/*
 * The identity-hardening controls end to end: the golden identity tenant with a day of beta
 * sign-ins, served by the simulator, collected by the production clients, judged, saved as a
 * snapshot folder and replayed to the same verdicts; and the licence and permission faults of
 * each new endpoint.
 */

const NOW = new Date('2026-11-27T12:00:00Z');
const GLASS = 'b1a55000-0000-4000-8000-000000000001';
const SPARE_GLASS = 'b1a55000-0000-4000-8000-000000000002';
const ROOM_DEVICE = 'de71ce00-0000-4000-8000-0000000000aa';
const CONTROLS = [
  'mfa.weak-methods',
  'mfa.admins-phishing-resistant',
  'sign-ins.break-glass',
  'sign-ins.device-code',
] as const;
const SOURCES: SourceId[] = [
  'graph.users',
  'graph.userRegistrationDetails',
  'graph.conditionalAccessPolicies',
  'graph.authenticationStrengthPolicies',
  'graph.roleAssignments',
  'graph.roleEligibilityScheduleInstances',
  'graph.authenticationMethodsPolicy',
  'graph.signIns',
];

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

function policy(betaLog = true): Policy {
  const params: Record<string, Record<string, unknown>> = {
    'sign-ins.break-glass': { breakGlassAccounts: [GLASS, SPARE_GLASS] },
    'sign-ins.device-code': { useBetaSignInLog: betaLog, allowedDevices: [ROOM_DEVICE] },
  };
  const text = JSON.stringify({
    id: 'identity-hardening',
    title: 'identity hardening',
    version: '1.0.0',
    description: 'test',
    controls: Object.fromEntries(CONTROLS.map((id) => [id, { enabled: true, ...params[id] }])),
    domains: { include: [], exclude: [], parked: [] },
    exceptions: [],
  });
  return parsePolicy(text, 'identity-hardening.json', NOW).policy;
}

const at = (minutesBefore: number): number => NOW.getTime() - minutesBefore * 60_000;

/** A quiet day of beta sign-ins, plus what each case adds. */
function signIns(extra: readonly SignIn[] = [], flowFields = true): SignIn[] {
  const flow = flowFields ? { protocol: 'none', transfer: 'none' } : {};
  const day = Array.from({ length: 30 }, (_, i) =>
    signIn({
      id: `q-${i}`,
      time: at(20 + i * 40),
      user: `user${i % 6}@golden.example`,
      ip: `198.51.100.${i % 6}`,
      ...flow,
    }),
  );
  // The meeting room signs in with a device code every morning: allowed by device ID.
  day.push(
    signIn({
      id: 'room',
      time: at(400),
      user: 'room-3a@golden.example',
      ip: '198.51.100.30',
      protocol: 'deviceCode',
      transfer: 'deviceCodeFlow',
      appId: '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
      app: 'Microsoft Teams',
      device: { deviceId: ROOM_DEVICE, displayName: 'CONF-ROOM-3A' },
    }),
  );
  return [...day, ...extra].sort((a, b) => (a.createdDateTime < b.createdDateTime ? 1 : -1));
}

/** The golden tenant and a sign-in log, as a folder the simulator serves. */
/** A successful sign-in of the break-glass account, from the Azure portal. */
function glassSignIn(): SignIn {
  return signIn({
    id: 'glass',
    time: at(90),
    user: 'bg@golden.example',
    userId: GLASS,
    ip: '203.0.113.9',
    app: 'Azure Portal',
    protocol: 'none',
    transfer: 'none',
  });
}

async function folder(t: IdentityTenant, log: readonly SignIn[], signInStatus?: SourceStatus): Promise<string> {
  const base = tenantSnapshot(t);
  const data: Record<string, unknown> = {};
  for (const id of Object.keys(base.manifest.sources) as SourceId[])
    if (base.manifest.sources[id]?.status === 'ok') data[id] = base.data(id);
  const snapshot = memorySnapshot(
    {
      ...base.manifest,
      capturedAt: NOW.toISOString(),
      sources: { ...base.manifest.sources, 'graph.signIns': signInStatus ?? { status: 'ok', graphApi: 'beta' } },
    },
    { ...data, 'graph.signIns': arrayPageStream(log, 10) },
  );
  const dir = await tempDir();
  await writeSnapshotFolder(dir, snapshot);
  return dir;
}

async function serve(dir: string, realism?: RealismConfig): Promise<RunningSimulator> {
  const sim = await startSimulator({ dir, ...(realism ? { realism } : {}) });
  cleanup.push(() => sim.close());
  return sim;
}

async function collect(sim: RunningSimulator, p: Policy = policy()): Promise<Snapshot> {
  const created = simulatorClients(sim);
  cleanup.push(created.close);
  return simulatorLiveCollector(sim, created, NOW).collect({
    sources: new Set(SOURCES),
    policy: p,
    logger: silentLogger,
  });
}

async function judge(snapshot: Snapshot, p: Policy = policy()): Promise<readonly Result[]> {
  return (await evaluate(snapshot, p, { now: NOW, domains: [] })).results;
}

const verdicts = (rs: readonly Result[]) => rs.map((r) => `${r.control} ${r.target} ${r.status} ${r.severity}`).sort();
const notPassing = (rs: readonly Result[]) => verdicts(rs.filter((r) => r.status !== 'pass'));

describe('identity hardening through the simulated tenant and a replayed snapshot', () => {
  it('the golden tenant passes all four, the false friends included; collected over beta', async () => {
    const sim = await serve(await folder(goldenTenant(), signIns()));
    const snapshot = await collect(sim);
    expect(snapshot.status('graph.signIns')).toMatchObject({ status: 'ok', graphApi: 'beta' });
    const rs = await judge(snapshot);
    expect(notPassing(rs)).toEqual([]);
    expect(verdicts(rs)).toEqual(
      expect.arrayContaining([
        `mfa.admins-phishing-resistant ${ELIGIBLE_ADMIN.userPrincipalName} pass critical`,
        `sign-ins.break-glass ${GLASS} pass high`,
        `sign-ins.break-glass ${SPARE_GLASS} pass high`,
        'sign-ins.device-code tenant pass high',
        'mfa.weak-methods Sms pass high',
      ]),
    );
  });

  it('one mutation per control, each found through the wire, and the saved snapshot replays to the same verdicts', async () => {
    const t = goldenTenant();
    const sms = t.methodsPolicy.authenticationMethodConfigurations.find((c) => c.id === 'Sms');
    if (!sms) throw new Error('no SMS');
    sms.state = 'enabled';
    const eve = t.registration.find((r) => r.id === ELIGIBLE_ADMIN.id);
    if (!eve) throw new Error('no Eve');
    eve.methodsRegistered = ['mobilePhone'];
    const log = signIns([
      glassSignIn(),
      signIn({
        id: 'phish',
        time: at(60),
        user: 'victim@golden.example',
        ip: '198.51.100.77',
        protocol: 'deviceCode',
        transfer: 'deviceCodeFlow',
        appId: '29d9ed98-a469-4536-ade2-f981bc1d605e',
        app: 'Microsoft Authentication Broker',
      }),
    ]);
    const sim = await serve(await folder(t, log));
    const live = await judge(await collect(sim));
    const expected = [
      `mfa.admins-phishing-resistant ${ELIGIBLE_ADMIN.userPrincipalName} fail critical`,
      'mfa.weak-methods Sms fail high',
      // A successful break-glass sign-in is raised from the policy's high.
      `sign-ins.break-glass ${GLASS} fail critical`,
      'sign-ins.device-code victim@golden.example fail high',
    ];
    expect(notPassing(live)).toEqual(expected);

    // Saved as --save-snapshot does, replayed as --snapshot does: the same verdicts.
    const saved = await tempDir();
    const again = await collect(await serve(await folder(t, log)));
    await writeSnapshotFolder(saved, again);
    const replayed = await judge(await readSnapshotFolder(saved, { now: NOW }));
    expect(verdicts(replayed)).toEqual(verdicts(live));
  });

  it('read from v1.0 (the option off), the same day gives device-code not_evaluable and everything else as before', async () => {
    const log = signIns([
      signIn({
        id: 'phish',
        time: at(60),
        user: 'victim@golden.example',
        ip: '198.51.100.77',
        protocol: 'deviceCode',
        transfer: 'deviceCodeFlow',
      }),
    ]);
    const sim = await serve(await folder(goldenTenant(), log));
    const off = policy(false);
    const snapshot = await collect(sim, off);
    expect(snapshot.status('graph.signIns')).toEqual(expect.not.objectContaining({ graphApi: 'beta' }));
    expect(notPassing(await judge(snapshot, off))).toEqual(['sign-ins.device-code tenant not_evaluable high']);
  });

  it('beta asked of a log captured from v1.0 serves empty flow fields: device-code is an error, never a pass', async () => {
    const sim = await serve(await folder(goldenTenant(), signIns([], false), { status: 'ok' }));
    const rs = await judge(await collect(sim));
    expect(notPassing(rs)).toEqual(['sign-ins.device-code tenant error high']);
  });
});

describe('the beta sign-in log refused: v1.0 for the other detectors, device-code not evaluable', () => {
  it.each([
    ['status400', 'HTTP 400 BadRequest'],
    ['status403', 'HTTP 403 Forbidden'],
    ['status404', 'HTTP 404 NotFound'],
  ] as const)(
    'a %s on /beta only: the log is read from v1.0, break-glass still judged, and it replays',
    async (kind, answer) => {
      const sim = await serve(await folder(goldenTenant(), signIns([glassSignIn()])), {
        faults: [{ kind, path: '/beta/auditLogs/signIns' }],
      });
      const snapshot = await collect(sim);
      const status = snapshot.status('graph.signIns');
      expect(status).toMatchObject({
        status: 'ok',
        betaRefused: expect.stringMatching(new RegExp(`^GET /beta/auditLogs/signIns answered ${answer}: `)),
      });
      const rs = await judge(snapshot);
      expect(notPassing(rs)).toEqual([
        `sign-ins.break-glass ${GLASS} fail critical`,
        'sign-ins.device-code tenant not_evaluable high',
      ]);
      const deviceCode = rs.find((r) => r.control === 'sign-ins.device-code');
      expect(deviceCode?.message).toMatch(
        new RegExp(
          `^The beta sign-in log was refused \\(GET /beta/auditLogs/signIns answered ${answer}: .*\\), so the run read the log from Graph v1\\.0`,
        ),
      );
      expect(deviceCode?.evidence).toMatchObject({
        graphApi: 'v1.0',
        betaRefused: status?.status === 'ok' ? status.betaRefused : '',
      });
      // The v1.0 read served every sign-in: the other detectors judged the whole day.
      expect(rs.find((r) => r.control === 'sign-ins.break-glass' && r.target === SPARE_GLASS)?.status).toBe('pass');
      expect(sim.stats().faults[kind]).toBe(1);

      // Saved and replayed: the refusal is in the manifest, and the verdicts are the same.
      const saved = await tempDir();
      // The live stream is read once: collect again, as --save-snapshot does.
      const again = await collect(
        await serve(await folder(goldenTenant(), signIns([glassSignIn()])), {
          faults: [{ kind, path: '/beta/auditLogs/signIns' }],
        }),
      );
      await writeSnapshotFolder(saved, again);
      const replayed = await readSnapshotFolder(saved, { now: NOW });
      expect(replayed.status('graph.signIns')).toMatchObject({
        status: 'ok',
        betaRefused: expect.stringMatching(new RegExp(`^GET /beta/auditLogs/signIns answered ${answer}: `)),
      });
      expect(verdicts(await judge(replayed))).toEqual(verdicts(rs));
    },
  );

  it('beta and v1.0 both refused: the source fails naming both answers, and every sign-in detector errs as before', async () => {
    const sim = await serve(await folder(goldenTenant(), signIns([glassSignIn()])), {
      faults: [{ kind: 'status404', path: '/auditLogs/signIns' }],
    });
    const snapshot = await collect(sim);
    const status = snapshot.status('graph.signIns');
    expect(status?.status).toBe('failed');
    expect(status?.status === 'failed' ? status.reason : '').toMatch(
      /HTTP 404 NotFound.*\(after GET \/beta\/auditLogs\/signIns answered HTTP 404 NotFound: /,
    );
    const rs = await judge(snapshot);
    expect(notPassing(rs)).toEqual([
      'sign-ins.break-glass tenant error high',
      'sign-ins.device-code tenant error high',
    ]);
  });

  it('a transient beta failure is no refusal: after the retries the source fails, it is not read from v1.0', async () => {
    const sim = await serve(await folder(goldenTenant(), signIns([glassSignIn()])), {
      faults: [{ kind: 'status504', path: '/beta/auditLogs/signIns' }],
    });
    const snapshot = await collect(sim);
    expect(snapshot.status('graph.signIns')?.status).toBe('failed');
    expect(notPassing(await judge(snapshot))).toEqual([
      'sign-ins.break-glass tenant error high',
      'sign-ins.device-code tenant error high',
    ]);
  });
});

describe('licence and permission faults of the new endpoints', () => {
  it('without Entra ID P2, PIM answers 400 AadPremiumLicenseRequired: eligible admins not evaluable, active ones judged', async () => {
    const sim = await serve(await folder(goldenTenant(), signIns()), { licences: { 'entra-id-p2': false } });
    const snapshot = await collect(sim);
    const status = snapshot.status('graph.roleEligibilityScheduleInstances');
    expect(status).toMatchObject({ status: 'not_licensed', licence: 'entra-id-p2' });
    expect(status?.status === 'not_licensed' ? status.reason : '').toMatch(/HTTP 400 AadPremiumLicenseRequired/);
    const rs = await judge(snapshot);
    expect(notPassing(rs)).toEqual(['mfa.admins-phishing-resistant tenant not_evaluable critical']);
    expect(rs.find((r) => r.target === GLOBAL_ADMIN.userPrincipalName)?.status).toBe('pass');
  });

  it('a missing permission names the one to grant, for each source', async () => {
    const sim = await serve(await folder(goldenTenant(), signIns()), {
      missingPermissions: ['Policy.Read.AuthenticationMethod', 'RoleEligibilitySchedule.Read.Directory'],
    });
    const snapshot = await collect(sim);
    // The app still holds Policy.Read.All and RoleManagement.Read.Directory, each of which reads both.
    expect(snapshot.status('graph.authenticationMethodsPolicy')?.status).toBe('ok');
    expect(snapshot.status('graph.roleEligibilityScheduleInstances')?.status).toBe('ok');
    const bare = await serve(await folder(goldenTenant(), signIns()), {
      missingPermissions: [
        'Policy.Read.AuthenticationMethod',
        'Policy.Read.All',
        'RoleEligibilitySchedule.Read.Directory',
        'RoleManagement.Read.Directory',
      ],
    });
    const denied = await judge(await collect(bare));
    expect(denied.find((r) => r.control === 'mfa.weak-methods')).toMatchObject({
      status: 'not_evaluable',
      evidence: { source: 'graph.authenticationMethodsPolicy', permission: 'Policy.Read.AuthenticationMethod' },
    });
  });

  it('a snapshot that recorded a failure is served as one, and the control is an error', async () => {
    const t = goldenTenant();
    const dir = await folder(t, signIns());
    const base = await readSnapshotFolder(dir, { now: NOW });
    const failed = memorySnapshot(
      {
        ...base.manifest,
        sources: {
          ...base.manifest.sources,
          'graph.authenticationMethodsPolicy': { status: 'failed', reason: 'HTTP 503 from the capture' },
        },
      },
      Object.fromEntries(
        (Object.keys(base.manifest.sources) as SourceId[])
          .filter((id) => id !== 'graph.authenticationMethodsPolicy')
          .map((id) => [id, base.data(id)]),
      ),
    );
    const refaulted = await tempDir();
    await writeSnapshotFolder(refaulted, failed);
    const rs = await judge(await collect(await serve(refaulted)));
    expect(rs.find((r) => r.control === 'mfa.weak-methods')?.status).toBe('error');
  });

  it('v1.0 refuses the beta-only fields, leaves them out of its answers, and beta serves the sign-in log only', async () => {
    const sim = await serve(await folder(goldenTenant(), signIns()));
    const created = simulatorClients(sim);
    cleanup.push(created.close);
    const graph = created.clients.graph;
    if (!graph) throw new Error('no Graph client');
    const read = async (path: string, version: 'v1.0' | 'beta') => {
      const out: unknown[] = [];
      for await (const page of graph.pages(path, version)) out.push(...page);
      return out as Record<string, unknown>[];
    };
    await expect(read('/auditLogs/signIns?$select=id,authenticationProtocol', 'v1.0')).rejects.toThrow(
      /HTTP 400 .*authenticationProtocol/,
    );
    const v1 = await read('/auditLogs/signIns', 'v1.0');
    expect(v1.length).toBe(31);
    expect(v1.some((r) => 'authenticationProtocol' in r || 'originalTransferMethod' in r)).toBe(false);
    const beta = await read('/auditLogs/signIns?$select=id,authenticationProtocol,originalTransferMethod', 'beta');
    expect(beta.find((r) => r.id === 'room')).toEqual({
      id: 'room',
      authenticationProtocol: 'deviceCode',
      originalTransferMethod: 'deviceCodeFlow',
    });
    await expect(read('/users', 'beta')).rejects.toThrow(/HTTP 400/);
  });
});
