import { afterEach, describe, expect, it } from 'vitest';
import { liveCollector } from '../../src/collect/live/live-collector.js';
import { createSimulatorClients } from '../../src/entry/simulator-clients.js';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { silentLogger } from '../../src/logger.js';
import type { Result } from '../../src/model/result.js';
import type { RealismConfig } from '../../src/simulator/realism.js';
import { type RunningSimulator, startSimulator } from '../../src/simulator/start-simulator.js';
import { readSnapshotFolder } from '../../src/snapshot/read-folder.js';
import type { Snapshot } from '../../src/snapshot/snapshot.js';
import type { SourceId } from '../../src/snapshot/source-id.js';
import { writeSnapshotFolder } from '../../src/snapshot/write-folder.js';
import {
  ALL_CONTROLS,
  assignment,
  DOMAIN,
  EXO,
  fullAccess,
  GRAPH,
  GRAPH_SP_ID,
  goldenTenant,
  type MailAccessTenant,
  mailbox,
  MAILWARDEN,
  NOW,
  policyFor,
  sendAs,
  servicePrincipal,
  snapshotOf,
  transportRule,
  VENDOR_TENANT,
} from '../checks/mail-access-tenant.js';
import { tempDir } from '../helpers/temp.js';

/**
 * The golden mailbox-access tenant (test/checks/mail-access-tenant.ts) served by the simulator
 * and audited over the wire: Graph for the apps and consent, InvokeCommand for mail flow,
 * permissions and audit settings (Get-MailboxPermission once per mailbox). Each case changes
 * one thing; every audit is replayed from the snapshot it saved and must give the same verdicts.
 */

/** Everything the six controls read (sources and optional sources). */
const SOURCES: readonly SourceId[] = [
  'graph.domains',
  'graph.resourceServicePrincipals',
  'graph.appRoleAssignedTo',
  'graph.servicePrincipals',
  'graph.authorizationPolicy',
  'graph.oauth2PermissionGrants',
  'exo.mailbox',
  'exo.recipient',
  'exo.transportRule',
  'exo.outboundConnector',
  'exo.mailboxPermission',
  'exo.recipientPermission',
  'exo.organizationConfig',
  'exo.mailboxAuditBypassAssociation',
  'exo.adminAuditLogConfig',
  'exo.applicationAccessPolicy',
  'exo.managementRoleAssignment',
  'exo.servicePrincipal',
];

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function serve(t: MailAccessTenant, realism?: RealismConfig): Promise<RunningSimulator> {
  const dir = await tempDir();
  // The folder holds what a collection would have saved: mailbox permissions without the
  // simulator's knowledge of who asked; the simulator answers per mailbox from it.
  await writeSnapshotFolder(dir, snapshotOf(t));
  const sim = await startSimulator({ dir, ...(realism ? { realism } : {}) });
  cleanup.push(() => sim.close());
  return sim;
}

async function collect(sim: RunningSimulator, exchangePageSize?: number): Promise<Snapshot> {
  const created = createSimulatorClients(sim, {
    logger: silentLogger,
    graph: { backoff: { baseMs: 20, maxMs: 200, random: () => 0.5 } },
    exchange: {
      backoff: { baseMs: 20, maxMs: 200, random: () => 0.5 },
      ...(exchangePageSize !== undefined ? { maxPageSize: exchangePageSize } : {}),
    },
  });
  cleanup.push(created.close);
  return liveCollector({
    mode: 'simulate',
    tenantId: sim.tenantId,
    clientId: sim.credentials.clientId,
    clients: created.clients,
    extraDomains: [],
    now: () => NOW,
  }).collect({ sources: new Set(SOURCES), policy: policyFor(ALL_CONTROLS), logger: silentLogger });
}

const key = (r: Result) => [r.control, r.target, r.status, r.severity, r.fingerprint, JSON.stringify(r.evidence)];

/** Audits over the simulator, then replays the saved snapshot and checks the verdicts agree. */
async function audit(
  t: MailAccessTenant,
  options: {
    realism?: RealismConfig;
    exchangePageSize?: number;
    params?: Record<string, Record<string, unknown>>;
  } = {},
): Promise<{ results: readonly Result[]; snapshot: Snapshot; sim: RunningSimulator }> {
  const sim = await serve(t, options.realism);
  const snapshot = await collect(sim, options.exchangePageSize);
  const policy = policyFor(ALL_CONTROLS, options.params);
  const live = await evaluate(snapshot, policy, { now: NOW, domains: [DOMAIN] });
  const dir = await tempDir();
  await writeSnapshotFolder(dir, snapshot);
  const replay = await evaluate(await readSnapshotFolder(dir, { now: NOW }), policy, { now: NOW, domains: [DOMAIN] });
  expect(replay.results.map(key)).toEqual(live.results.map(key));
  return { results: live.results, snapshot, sim };
}

const notPassing = (rs: readonly Result[]) =>
  rs.filter((r) => r.status !== 'pass').map((r) => `${r.control} ${r.target} ${r.status}`);

describe('the six mailbox-access and audit controls over the simulator', () => {
  it('pass the golden tenant with every source read, as the in-memory evaluation does, and replay identically', async () => {
    const { results, snapshot } = await audit(goldenTenant());
    for (const id of SOURCES) expect(snapshot.status(id)?.status, id).toBe('ok');
    expect(snapshot.manifest.clientId).toBe(MAILWARDEN.appId);
    expect(notPassing(results)).toEqual([]);
    for (const control of ALL_CONTROLS)
      expect(
        results.some((r) => r.control === control),
        control,
      ).toBe(true);
    // What the wire carried is what the folder held: the same verdicts as judging it in memory.
    const direct = await evaluate(snapshotOf(goldenTenant()), policyFor(ALL_CONTROLS), { now: NOW, domains: [DOMAIN] });
    expect(results.map(key)).toEqual(direct.results.map(key));
  });

  it('finds each planted case, one finding per control, through paged InvokeCommand output', async () => {
    const t = goldenTenant();
    const app = { appId: 'c2000000-0000-4000-8000-000000000009', id: 'd2000000-0000-4000-8000-000000000009' };
    t['graph.servicePrincipals'].push(
      servicePrincipal(app, 'Mail Merge Pro', {
        appOwnerOrganizationId: VENDOR_TENANT,
        createdDateTime: new Date(NOW.getTime() - 2 * 86_400_000).toISOString(),
      }),
    );
    t['graph.appRoleAssignedTo'].push(assignment(app, 'graph', GRAPH['Mail.ReadWrite']));
    t['graph.authorizationPolicy'] = {
      defaultUserRolePermissions: {
        permissionGrantPoliciesAssigned: ['ManagePermissionGrantsForSelf.microsoft-user-default-legacy'],
      },
    };
    t['exo.transportRule'].push(transportRule('Finance archive', { BlindCopyTo: ['finance.archive@gmail.example'] }));
    t['exo.mailboxPermission'].push(fullAccess('megan', 'S-1-5-21-3623811015-3361044348-30300820-1013'));
    t['exo.mailboxAuditBypassAssociation'].push({ Identity: 'svc', Name: 'svc', AuditBypassEnabled: true });
    t['exo.adminAuditLogConfig'] = [{ Identity: 'Admin Audit Log Settings', UnifiedAuditLogIngestionEnabled: false }];
    const { results } = await audit(t, { exchangePageSize: 1 });
    expect(notPassing(results).sort()).toEqual(
      [
        `apps.mail-access app/${app.appId} fail`,
        'apps.user-consent tenant fail',
        'forwarding.transport-rules transport-rule/Finance archive fail',
        `mailbox.delegation megan@${DOMAIN}/S-1-5-21-3623811015-3361044348-30300820-1013 fail`,
        'audit.mailbox-auditing audit-bypass/svc fail',
        'audit.unified-log tenant fail',
      ].sort(),
    );
    expect(results.find((r) => r.control === 'apps.mail-access' && r.status === 'fail')?.severity).toBe('critical');
  });

  it('pages appRoleAssignedTo past its default page size and a mailbox with many permission rows', async () => {
    const t = goldenTenant();
    // 150 users assigned to Graph (not application permissions) push the list onto a second page.
    for (let i = 0; i < 150; i++)
      t['graph.appRoleAssignedTo'].push({
        ...assignment({ id: `u-${i}` }, 'graph', GRAPH['User.Read.All']),
        principalType: 'User',
      });
    const app = { appId: 'c2000000-0000-4000-8000-000000000010', id: 'd2000000-0000-4000-8000-000000000010' };
    t['graph.servicePrincipals'].push(servicePrincipal(app, 'Late Reader'));
    t['graph.appRoleAssignedTo'].push(assignment(app, 'graph', GRAPH['Mail.Read']));
    for (let i = 0; i < 5; i++) t['exo.mailboxPermission'].push(fullAccess('adele', `delegate${i}@${DOMAIN}`));
    const { results, snapshot } = await audit(t, { exchangePageSize: 2 });
    expect(snapshot.status('graph.appRoleAssignedTo')).toMatchObject({ status: 'ok', count: 156 });
    expect(notPassing(results).filter((s) => s.startsWith('apps.'))).toEqual([
      `apps.mail-access app/${app.appId} fail`,
    ]);
    expect(notPassing(results).filter((s) => s.startsWith('mailbox.'))).toHaveLength(5);
  });

  it('passes an app restricted by an application access policy and fails one scoped by RBAC for Applications only', async () => {
    const t = goldenTenant();
    const scoped = { appId: 'c2000000-0000-4000-8000-000000000011', id: 'd2000000-0000-4000-8000-000000000011' };
    const rbac = { appId: 'c2000000-0000-4000-8000-000000000012', id: 'd2000000-0000-4000-8000-000000000012' };
    t['graph.servicePrincipals'].push(servicePrincipal(scoped, 'Helpdesk Mailer'), servicePrincipal(rbac, 'Archive'));
    t['graph.appRoleAssignedTo'].push(
      assignment(scoped, 'graph', GRAPH['Mail.Send']),
      assignment(rbac, 'exo', EXO['Mail.Read']),
    );
    t['exo.applicationAccessPolicy'] = [
      { AppId: scoped.appId, ScopeName: 'Helpdesk', AccessRight: 'RestrictAccess', Description: 'helpdesk only' },
    ];
    t['exo.servicePrincipal'] = [{ Identity: rbac.id, DisplayName: 'Archive', AppId: rbac.appId, ObjectId: rbac.id }];
    t['exo.managementRoleAssignment'] = [
      { Name: 'a', Role: 'Application Mail.Read', RoleAssignee: rbac.id, CustomResourceScope: 'Records' },
    ];
    const { results } = await audit(t);
    expect(notPassing(results)).toEqual([`apps.mail-access app/${rbac.appId} fail`]);
    expect(results.find((r) => r.target === `app/${scoped.appId}`)?.status).toBe('pass');
  });

  it('reports IMAP.AccessAsApp with the app, and the FullAccess grant of its Exchange service principal naming the app', async () => {
    const t = goldenTenant();
    const imap = { appId: 'c2000000-0000-4000-8000-000000000013', id: 'd2000000-0000-4000-8000-000000000013' };
    t['graph.servicePrincipals'].push(servicePrincipal(imap, 'Scanner IMAP'));
    t['graph.appRoleAssignedTo'].push(assignment(imap, 'exo', EXO['IMAP.AccessAsApp']));
    t['exo.servicePrincipal'] = [
      { Identity: imap.id, DisplayName: 'Scanner IMAP', AppId: imap.appId, ObjectId: imap.id },
    ];
    t['exo.mailbox'].push(mailbox('lee', 'Lee Gu'));
    t['exo.mailboxPermission'].push(fullAccess('lee', 'NT AUTHORITY\\SELF'), fullAccess('lee', imap.id));
    t['exo.recipientPermission'].push(sendAs('Lee Gu', 'NT AUTHORITY\\SELF'));
    const { results } = await audit(t);
    expect(notPassing(results).sort()).toEqual([
      `apps.mail-access app/${imap.appId} fail`,
      `mailbox.delegation lee@${DOMAIN}/app/${imap.appId} fail`,
    ]);
    expect(results.find((r) => r.target === `lee@${DOMAIN}/app/${imap.appId}`)?.evidence).toMatchObject({
      delegateKind: 'app',
      appDisplayName: 'Scanner IMAP',
    });
  });

  it('rides out Exchange throttling (429 with Retry-After) in the per-mailbox sweep', async () => {
    const { results, snapshot } = await audit(goldenTenant(), {
      realism: { seed: 3, faults: [{ kind: 'status429', family: 'exchange', rate: 0.5, limit: 4 }] },
    });
    expect(snapshot.status('exo.mailboxPermission')?.status).toBe('ok');
    expect(notPassing(results)).toEqual([]);
  });

  it("rides out Graph's directory throttling (429 with Retry-After) on the new reads", async () => {
    const { results, snapshot, sim } = await audit(goldenTenant(), {
      realism: {
        seed: 5,
        faults: [
          { kind: 'status429', path: '/appRoleAssignedTo', limit: 2 },
          { kind: 'status429', path: '/oauth2PermissionGrants', limit: 2 },
          { kind: 'status429', path: '/policies/authorizationPolicy', limit: 1 },
          { kind: 'status429', path: "/servicePrincipals(appId='00000002", limit: 1 },
        ],
      },
    });
    for (const source of SOURCES) expect(snapshot.status(source)?.status, source).toBe('ok');
    expect(notPassing(results)).toEqual([]);
    expect(sim.stats().faults.status429).toBe(6);
  });

  it.each([
    ['/appRoleAssignedTo', 'graph.appRoleAssignedTo', 'apps.mail-access'],
    ["/servicePrincipals(appId='00000003", 'graph.resourceServicePrincipals', 'apps.mail-access'],
    ['/policies/authorizationPolicy', 'graph.authorizationPolicy', 'apps.user-consent'],
    ['/oauth2PermissionGrants', 'graph.oauth2PermissionGrants', 'apps.user-consent'],
  ] as const)(
    'a Graph read of %s that keeps failing makes %s failed and %s an error, never a pass',
    async (path, source, control) => {
      const { results, snapshot } = await audit(goldenTenant(), {
        realism: { seed: 7, faults: [{ kind: 'status503', path }] },
      });
      expect(snapshot.status(source)?.status).toBe('failed');
      expect(results.filter((r) => r.control === control).map((r) => [r.target, r.status])).toEqual([
        ['tenant', 'error'],
      ]);
    },
  );

  it('a malformed Graph answer to the consent setting is an error, never a pass', async () => {
    const { results, snapshot } = await audit(goldenTenant(), {
      realism: { seed: 9, faults: [{ kind: 'malformedJson', path: '/policies/authorizationPolicy' }] },
    });
    expect(snapshot.status('graph.authorizationPolicy')?.status).toBe('failed');
    expect(results.filter((r) => r.control === 'apps.user-consent').map((r) => r.status)).toEqual(['error']);
  });

  it.each([
    [
      { missingPermissions: ['Application.Read.All', 'Directory.Read.All'] },
      'apps.mail-access',
      'Application.Read.All',
    ],
    [{ missingPermissions: ['Policy.Read.All'] }, 'apps.user-consent', 'Policy.Read.All'],
    [{ missingPermissions: ['Directory.Read.All'] }, 'apps.user-consent', 'Directory.Read.All'],
    [{ missingPermissions: ['Exchange.ManageAsApp'] }, 'forwarding.transport-rules', 'Exchange.ManageAsApp'],
    [{ missingPermissions: ['Exchange.ManageAsApp'] }, 'mailbox.delegation', 'Exchange.ManageAsApp'],
    [{ missingPermissions: ['Exchange.ManageAsApp'] }, 'audit.unified-log', 'Exchange.ManageAsApp'],
    [{ missingCmdlets: ['Get-MailboxAuditBypassAssociation'] }, 'audit.mailbox-auditing', 'Get-ManagementRole -Cmdlet'],
    [{ missingCmdlets: ['Get-MailboxPermission'] }, 'mailbox.delegation', 'Get-MailboxPermission'],
  ] as const)('with %j, %s is not evaluable and names %s', async (realism, control, permission) => {
    const { results } = await audit(goldenTenant(), { realism });
    const result = results.filter((r) => r.control === control);
    expect(result.map((r) => [r.target, r.status])).toEqual([['tenant', 'not_evaluable']]);
    expect(String(result[0]?.evidence.permission)).toContain(permission);
  });

  it('still judges apps.mail-access when only an optional Exchange source is refused, saying what it could not read', async () => {
    const t = goldenTenant();
    const app = { appId: 'c2000000-0000-4000-8000-000000000014', id: 'd2000000-0000-4000-8000-000000000014' };
    t['graph.servicePrincipals'].push(servicePrincipal(app, 'Scoped'));
    t['graph.appRoleAssignedTo'].push(assignment(app, 'graph', GRAPH['Mail.Read']));
    t['exo.applicationAccessPolicy'] = [{ AppId: app.appId, ScopeName: 'x', AccessRight: 'RestrictAccess' }];
    const { results } = await audit(t, { realism: { missingCmdlets: ['Get-ApplicationAccessPolicy'] } });
    // Without the policies, whether one restricts the app is unknown: not evaluable, saying why.
    const r = results.find((x) => x.target === `app/${app.appId}`);
    expect(r?.status).toBe('not_evaluable');
    expect(r?.evidence.applicationAccessPolicies).toMatchObject({ read: false });
    expect(r?.message).toContain('Get-ApplicationAccessPolicy');
  });

  it('reads the Graph resource by appId and finds no Exchange Online in a tenant without it', async () => {
    const t = goldenTenant();
    t['graph.resourceServicePrincipals'] = t['graph.resourceServicePrincipals'].filter((r) => r.id === GRAPH_SP_ID);
    t['graph.appRoleAssignedTo'] = t['graph.appRoleAssignedTo'].filter((a) => a.resourceId === GRAPH_SP_ID);
    const { results, snapshot } = await audit(t);
    expect(snapshot.status('graph.resourceServicePrincipals')).toMatchObject({ status: 'ok', count: 1 });
    expect(notPassing(results)).toEqual([]);
  });
});
