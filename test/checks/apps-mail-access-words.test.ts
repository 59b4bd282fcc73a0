import { describe, expect, it } from 'vitest';
import { appsMailAccess } from '../../src/checks/mail-access/apps-mail-access.js';
import type { Finding } from '../../src/model/finding.js';
import type { JsonObject } from '../../src/model/json.js';
import type { AppRoleAssignment, ServicePrincipal } from '../../src/snapshot/graph-types.js';
import type { SourceStatus } from '../../src/snapshot/source-status.js';
import { type DirectOptions, directInput } from './mail-access-direct.js';
import {
  assignment,
  DIRSYNC,
  EXO,
  EXO_SP_ID,
  GRAPH,
  GRAPH_SP_ID,
  goldenTenant,
  MAILWARDEN,
  type MailAccessTenant,
  NOW,
  servicePrincipal,
  TENANT_ID,
  VENDOR_TENANT,
} from './mail-access-tenant.js';

/*
 * What an auditor reads in apps.mail-access, branch by branch: the exact message, every evidence
 * row and the severity, from the pure check (before evaluation adds the control's severity).
 * The verdicts over the whole pipeline are pinned in mail-access.test.ts.
 */

const APP = { appId: 'c2000000-0000-4000-8000-000000000001', id: 'd2000000-0000-4000-8000-000000000001' };
const ALLOW_MAILWARDEN = {
  appId: MAILWARDEN.appId,
  reason: 'reads inbox rules for this audit',
  approver: 'security team',
};
const GRANTED = '2025-01-10T09:30:00Z';
const daysAgo = (days: number): string => new Date(NOW.getTime() - days * 86_400_000).toISOString();

type Role = { resource: 'graph' | 'exo'; id: string; at?: string };

function withApp(roles: readonly Role[], sp: Partial<ServicePrincipal> = {}): MailAccessTenant {
  const t = goldenTenant();
  t['graph.servicePrincipals'].push(servicePrincipal(APP, 'Reporting Tool', sp));
  for (const r of roles) t['graph.appRoleAssignedTo'].push(assignment(APP, r.resource, r.id, r.at));
  return t;
}

function run(
  tenant: Partial<MailAccessTenant>,
  options: Partial<DirectOptions> & { allowedApps?: JsonObject[] } = {},
): readonly Finding[] {
  const { allowedApps = [ALLOW_MAILWARDEN], ...rest } = options;
  return appsMailAccess(directInput(tenant, { params: { allowedApps, recentDays: 30 }, ...rest }));
}

function of(findings: readonly Finding[], target: string): Finding {
  const found = findings.find((f) => f.target === target);
  expect(found, JSON.stringify(findings.map((f) => f.target))).toBeDefined();
  return found as Finding;
}

/** The evidence of an ordinary app of this tenant holding `permissions`, with nothing else read about it. */
function appEvidence(permissions: JsonObject[], extra: JsonObject = {}): JsonObject {
  return {
    appId: APP.appId,
    appDisplayName: 'Reporting Tool',
    servicePrincipalId: APP.id,
    servicePrincipalType: 'Application',
    ownerTenantId: TENANT_ID,
    ownedByThisTenant: true,
    publisher: { name: 'Contoso', verified: false, verifiedPublisher: null },
    createdDateTime: '2025-01-10T09:00:00Z',
    permissions,
    applicationAccessPolicies: [],
    rbacForApplications: { read: false, why: 'no Exchange service principal points at this app' },
    severitySignals: [],
    thisTool: false,
    allowed: null,
    ...extra,
  };
}

const graphRow = (permission: keyof typeof GRAPH, restricted = false, at: string | null = GRANTED): JsonObject => ({
  resource: 'Microsoft Graph',
  permission,
  appRoleId: GRAPH[permission],
  consentedAt: at,
  restrictedByAccessPolicy: restricted,
});
const exoRow = (permission: keyof typeof EXO, restricted = false): JsonObject => ({
  resource: 'Office 365 Exchange Online',
  permission,
  appRoleId: EXO[permission],
  consentedAt: GRANTED,
  restrictedByAccessPolicy: restricted,
});

describe('apps.mail-access when the read itself is incomplete', () => {
  it("errs when Microsoft Graph's service principal is not among the resources, naming those read", () => {
    const t = goldenTenant();
    t['graph.resourceServicePrincipals'] = t['graph.resourceServicePrincipals'].filter((sp) => sp.id !== GRAPH_SP_ID);
    expect(run(t)).toStrictEqual([
      {
        target: 'tenant',
        status: 'error',
        message:
          "Microsoft Graph's service principal was not among the resources read, though every tenant has one: the read is incomplete.",
        evidence: { resources: ['Office 365 Exchange Online'], servicePrincipals: 4 },
      },
    ]);
  });

  it('errs when the tenant listed no service principal at all', () => {
    const t = goldenTenant();
    t['graph.servicePrincipals'] = [];
    expect(run(t)).toStrictEqual([
      {
        target: 'tenant',
        status: 'error',
        message: 'The tenant listed no service principal, though every tenant has some: the read is incomplete.',
        evidence: { resources: ['Microsoft Graph', 'Office 365 Exchange Online'], servicePrincipals: 0 },
      },
    ]);
  });

  it('concludes nothing when no app holds any application permission on Microsoft Graph', () => {
    const t = goldenTenant();
    t['graph.appRoleAssignedTo'] = t['graph.appRoleAssignedTo'].filter((a) => a.resourceId === EXO_SP_ID);
    expect(run(t)).toStrictEqual([
      {
        target: 'tenant',
        status: 'error',
        message:
          'appRoleAssignedTo listed no application permission on Microsoft Graph, but the app this audit read Graph with holds some: an empty list here is a collection fault, not a clean tenant, so nothing is concluded.',
        evidence: { assignments: 1, toServicePrincipals: 1, toUsersOrGroups: 0, otherResource: 0, empty: true },
      },
    ]);
  });

  it("errs when this audit's own app is listed but holds nothing on Graph, which it read with", () => {
    const t = goldenTenant();
    t['graph.appRoleAssignedTo'] = t['graph.appRoleAssignedTo'].filter(
      (a) => a.principalId !== MAILWARDEN.id || a.resourceId !== GRAPH_SP_ID,
    );
    expect(run(t, { clientId: MAILWARDEN.appId.toUpperCase() })).toStrictEqual([
      {
        target: 'tenant',
        status: 'error',
        message:
          "The Microsoft Graph permissions read do not include those of this audit's own app, which read Graph with them: the list of assignments is incomplete.",
        evidence: {
          clientId: MAILWARDEN.appId.toUpperCase(),
          assignments: 2,
          toServicePrincipals: 2,
          toUsersOrGroups: 0,
          otherResource: 0,
        },
      },
    ]);
    // Authenticated as an app the tenant does not list (or as a user), the same list is judged.
    expect(run(t, { clientId: 'f9000000-0000-4000-8000-000000000009' })).toHaveLength(1);
    expect(run(t, { clientId: 'f9000000-0000-4000-8000-000000000009' })[0]?.status).toBe('pass');
  });
});

describe('apps.mail-access when no app holds a mail permission', () => {
  /** The golden tenant without this tool's mail roles, with assignments the check must count but not judge. */
  function quietTenant(): MailAccessTenant {
    const t = goldenTenant();
    t['graph.appRoleAssignedTo'] = t['graph.appRoleAssignedTo'].filter(
      (a) => a.appRoleId !== GRAPH['Mail.ReadBasic.All'] && a.appRoleId !== GRAPH['MailboxSettings.Read'],
    );
    const user: AppRoleAssignment = { ...assignment({ id: 'e1' }, 'graph', GRAPH['Mail.Read']), principalType: 'User' };
    const group: AppRoleAssignment = {
      ...assignment({ id: 'e2' }, 'exo', EXO.full_access_as_app),
      principalType: 'Group',
    };
    const elsewhere: AppRoleAssignment = {
      ...assignment(DIRSYNC, 'graph', GRAPH['Mail.Read']),
      resourceId: 'f0-other',
    };
    // No principalType: judged as an application permission (it is not a mail role here).
    const { principalType: _t, ...untyped } = assignment(DIRSYNC, 'graph', GRAPH['User.Read.All']);
    // "Default access" on either resource is no specific role, so nothing is held.
    const defaultGraph = assignment(DIRSYNC, 'graph', '00000000-0000-0000-0000-000000000000');
    const defaultExo = assignment(DIRSYNC, 'exo', '00000000-0000-0000-0000-000000000000');
    t['graph.appRoleAssignedTo'].push(user, group, elsewhere, untyped, defaultGraph, defaultExo);
    return t;
  }

  it('passes saying how many application permissions it examined on both resources', () => {
    expect(run(quietTenant())).toStrictEqual([
      {
        target: 'tenant',
        status: 'pass',
        message:
          'No service principal holds a mail application permission on Microsoft Graph or Office 365 Exchange Online (6 application permission(s) examined).',
        evidence: {
          assignments: 9,
          toServicePrincipals: 6,
          toUsersOrGroups: 2,
          otherResource: 1,
          resources: ['Microsoft Graph', 'Office 365 Exchange Online'],
          servicePrincipals: 4,
        },
      },
    ]);
  });

  it('names only Microsoft Graph, and says so, in a tenant without Exchange Online', () => {
    const t = quietTenant();
    t['graph.resourceServicePrincipals'] = t['graph.resourceServicePrincipals'].filter((sp) => sp.id !== EXO_SP_ID);
    expect(run(t)).toStrictEqual([
      {
        target: 'tenant',
        status: 'pass',
        message:
          'No service principal holds a mail application permission on Microsoft Graph (4 application permission(s) examined).',
        evidence: {
          assignments: 9,
          toServicePrincipals: 4,
          toUsersOrGroups: 2,
          otherResource: 3,
          resources: ['Microsoft Graph'],
          servicePrincipals: 4,
          note: 'The tenant has no Office 365 Exchange Online service principal.',
        },
      },
    ]);
  });
});

describe('apps.mail-access, one app at a time', () => {
  it('fails an app with Graph mail permissions, in words, with every evidence row', () => {
    const t = withApp([
      { resource: 'graph', id: GRAPH['Mail.ReadWrite'] },
      { resource: 'graph', id: GRAPH['Mail.Send'] },
    ]);
    expect(of(run(t), `app/${APP.appId}`)).toStrictEqual({
      target: `app/${APP.appId}`,
      status: 'fail',
      message:
        'The app holds application permission(s) that reach every mailbox: Mail.ReadWrite (Microsoft Graph), Mail.Send (Microsoft Graph).',
      evidence: appEvidence([graphRow('Mail.ReadWrite'), graphRow('Mail.Send')]),
    });
  });

  it("passes this tool's own app when allowedApps lists it, saying what it holds and why it is allowed", () => {
    expect(run(goldenTenant())).toStrictEqual([
      {
        target: `app/${MAILWARDEN.appId}`,
        status: 'pass',
        message:
          'The app holds Mail.ReadBasic.All (Microsoft Graph), MailboxSettings.Read (Microsoft Graph) and is listed in allowedApps.',
        evidence: {
          ...appEvidence([graphRow('Mail.ReadBasic.All'), graphRow('MailboxSettings.Read')]),
          appId: MAILWARDEN.appId,
          appDisplayName: 'mailwarden',
          servicePrincipalId: MAILWARDEN.id,
          thisTool: true,
          thisToolNote:
            "This is mailwarden's own app (the client ID this audit authenticated with): list it in allowedApps, or restrict it with an application access policy.",
          allowed: ALLOW_MAILWARDEN,
        },
      },
    ]);
  });

  it("fails this tool's own app by name when it is not allowed, and says nothing of it when the run was another app's", () => {
    const own = run(goldenTenant(), { allowedApps: [] })[0];
    expect(own?.message).toBe(
      "mailwarden's own app holds application permission(s) that reach every mailbox: Mail.ReadBasic.All (Microsoft Graph), MailboxSettings.Read (Microsoft Graph).",
    );
    expect(own?.evidence.thisTool).toBe(true);
    for (const clientId of [null, DIRSYNC.appId]) {
      const other = run(goldenTenant(), { allowedApps: [], clientId })[0];
      expect(other?.message).toBe(
        'The app holds application permission(s) that reach every mailbox: Mail.ReadBasic.All (Microsoft Graph), MailboxSettings.Read (Microsoft Graph).',
      );
      expect(other?.evidence.thisTool).toBe(false);
      expect('thisToolNote' in (other?.evidence ?? {})).toBe(false);
    }
  });

  it('judges a holder the tenant does not list by its service principal ID, with nothing made up', () => {
    const t = goldenTenant();
    const ghost = { id: 'd3000000-0000-4000-8000-00000000000f' };
    t['graph.appRoleAssignedTo'].push({
      ...assignment(ghost, 'graph', GRAPH['Mail.Read']),
      principalDisplayName: 'Ghost app',
    });
    // Exchange's pointers and policies were read, so the lookups by appId are skipped, not guessed.
    t['exo.servicePrincipal'] = [{ Identity: 'other', AppId: DIRSYNC.appId }];
    t['exo.applicationAccessPolicy'] = [{ AppId: DIRSYNC.appId, AccessRight: 'RestrictAccess' }];
    expect(of(run(t), `service-principal/${ghost.id}`)).toStrictEqual({
      target: `service-principal/${ghost.id}`,
      status: 'fail',
      message: 'The app holds application permission(s) that reach every mailbox: Mail.Read (Microsoft Graph).',
      evidence: {
        appId: null,
        appDisplayName: 'Ghost app',
        servicePrincipalId: ghost.id,
        servicePrincipalType: null,
        ownerTenantId: null,
        ownedByThisTenant: null,
        publisher: { name: null, verified: false, verifiedPublisher: null },
        createdDateTime: null,
        permissions: [graphRow('Mail.Read')],
        applicationAccessPolicies: [],
        rbacForApplications: { read: false, why: 'no Exchange service principal points at this app' },
        severitySignals: [],
        thisTool: false,
        allowed: null,
      },
    });
    // Without a display name on the assignment either, the app has none.
    const bare = goldenTenant();
    const { principalDisplayName: _n, ...nameless } = assignment(ghost, 'graph', GRAPH['Mail.Read']);
    bare['graph.appRoleAssignedTo'].push(nameless);
    expect(of(run(bare), `service-principal/${ghost.id}`).evidence.appDisplayName).toBeNull();
  });

  it('reads a service principal that lacks the optional properties as unknown, not as this tenant’s', () => {
    const t = withApp([{ resource: 'graph', id: GRAPH['Mail.Read'] }]);
    const sp = t['graph.servicePrincipals'].at(-1) as ServicePrincipal;
    const {
      verifiedPublisher: _v,
      appOwnerOrganizationId: _o,
      servicePrincipalType: _s,
      publisherName: _p,
      ...bare
    } = sp;
    t['graph.servicePrincipals'][t['graph.servicePrincipals'].length - 1] = { ...bare, displayName: null };
    const r = of(run(t), `app/${APP.appId}`);
    expect(r.evidence).toMatchObject({
      appDisplayName: 'app',
      servicePrincipalType: null,
      ownerTenantId: null,
      ownedByThisTenant: null,
      publisher: { name: null, verified: false, verifiedPublisher: null },
      severitySignals: [],
    });
  });

  it('shows the verified publisher of a vendor app, and calls an empty publisher ID unverified', () => {
    const verified = withApp([{ resource: 'graph', id: GRAPH['Mail.Read'] }], {
      appOwnerOrganizationId: VENDOR_TENANT,
      publisherName: 'Fabrikam Inc',
      verifiedPublisher: { displayName: 'Fabrikam', verifiedPublisherId: '5123456', addedDateTime: null },
    });
    const v = of(run(verified), `app/${APP.appId}`);
    expect(v.evidence.publisher).toEqual({ name: 'Fabrikam Inc', verified: true, verifiedPublisher: 'Fabrikam' });
    expect(v.message).toBe(
      'The app holds application permission(s) that reach every mailbox: Mail.Read (Microsoft Graph); owned by another tenant.',
    );
    expect(v.severity).toBe('critical');

    const empty = withApp([{ resource: 'graph', id: GRAPH['Mail.Read'] }], {
      appOwnerOrganizationId: VENDOR_TENANT.toUpperCase(),
      verifiedPublisher: { displayName: null, verifiedPublisherId: '', addedDateTime: null },
    });
    const e = of(run(empty), `app/${APP.appId}`);
    expect(e.evidence.severitySignals).toEqual(['owned by another tenant', 'unverified publisher']);
    expect(e.message).toBe(
      'The app holds application permission(s) that reach every mailbox: Mail.Read (Microsoft Graph); owned by another tenant, unverified publisher.',
    );
    expect(e.evidence.ownedByThisTenant).toBe(false);
    // The tenant's own ID in another casing is still this tenant.
    const own = withApp([{ resource: 'graph', id: GRAPH['Mail.Read'] }], {
      appOwnerOrganizationId: TENANT_ID.toUpperCase(),
    });
    expect(of(run(own), `app/${APP.appId}`).evidence).toMatchObject({ ownedByThisTenant: true, severitySignals: [] });
  });

  it('cannot tell who owns an app when the run does not know its own tenant', () => {
    const t = withApp([{ resource: 'graph', id: GRAPH['Mail.Read'] }], { appOwnerOrganizationId: VENDOR_TENANT });
    const r = of(run(t, { tenantId: null }), `app/${APP.appId}`);
    expect(r.evidence).toMatchObject({ ownerTenantId: VENDOR_TENANT, ownedByThisTenant: null, severitySignals: [] });
    expect(r.message).toBe(
      'The app holds application permission(s) that reach every mailbox: Mail.Read (Microsoft Graph).',
    );
    expect('severity' in r).toBe(false);
  });

  it.each([
    [30, ['created recently'], 'the capture time'],
    [30.0001, [], 'the capture time'],
    [30, ['created recently'], 'the real clock'],
    [30.0001, [], 'the real clock'],
  ])(
    'an app created %s days before the run is recent: %j (the window includes its last day), at %s',
    (days, signals, clock) => {
      const now = clock === 'the real clock' ? new Date() : NOW;
      const created = new Date(now.getTime() - days * 86_400_000).toISOString();
      const t = withApp([{ resource: 'graph', id: GRAPH['Mail.Read'] }], { createdDateTime: created });
      const r = of(run(t, { now }), `app/${APP.appId}`);
      expect(r.evidence.severitySignals).toEqual(signals);
      expect(r.message).toBe(
        `The app holds application permission(s) that reach every mailbox: Mail.Read (Microsoft Graph)${signals.length > 0 ? '; created recently' : ''}.`,
      );
    },
  );

  it('without a readable creation time, dates the app from its earliest readable grant', () => {
    // The earliest grant is old: the recent one does not make the app recent.
    const old = withApp(
      [
        { resource: 'graph', id: GRAPH['Mail.Read'], at: daysAgo(1) },
        { resource: 'graph', id: GRAPH['Mail.Send'], at: daysAgo(400) },
      ],
      { createdDateTime: null },
    );
    expect(of(run(old), `app/${APP.appId}`).evidence.severitySignals).toEqual([]);
    // An unreadable grant time is no time: the readable recent one dates the app.
    const recent = withApp(
      [
        { resource: 'graph', id: GRAPH['Mail.Read'], at: 'last Tuesday' },
        { resource: 'graph', id: GRAPH['Mail.Send'], at: daysAgo(1) },
      ],
      { createdDateTime: 'not a date' },
    );
    const r = of(run(recent), `app/${APP.appId}`);
    expect(r.evidence.severitySignals).toEqual(['first granted recently']);
    expect(r.evidence.createdDateTime).toBeNull();
    expect(r.evidence.permissions).toEqual([
      graphRow('Mail.Read', false, null),
      graphRow('Mail.Send', false, daysAgo(1)),
    ]);
    expect(r.message).toBe(
      'The app holds application permission(s) that reach every mailbox: Mail.Read (Microsoft Graph), Mail.Send (Microsoft Graph); first granted recently.',
    );
    expect(r.severity).toBe('critical');
  });

  it('compares grant times as times, not as text, whatever offset they are written with', () => {
    // 10:00+05:00 is 05:00 UTC, an hour before the window opens; 07:00 UTC is an hour inside it.
    const t = withApp(
      [
        { resource: 'graph', id: GRAPH['Mail.Read'], at: '2026-10-28T07:00:00Z' },
        { resource: 'graph', id: GRAPH['Mail.Send'], at: '2026-10-28T10:00:00+05:00' },
      ],
      { createdDateTime: null },
    );
    expect(of(run(t), `app/${APP.appId}`).evidence.severitySignals).toEqual([]);
    t['graph.appRoleAssignedTo'].pop();
    expect(of(run(t), `app/${APP.appId}`).evidence.severitySignals).toEqual(['first granted recently']);
  });

  it('reads a time of another type as no time, though Date.parse would take it', () => {
    const t = withApp([], { createdDateTime: 2026 as unknown as string });
    t['graph.appRoleAssignedTo'].push({
      ...assignment(APP, 'graph', GRAPH['Mail.Read']),
      createdDateTime: ['2026-11-26T00:00:00Z'] as unknown as string,
    });
    const r = of(run(t), `app/${APP.appId}`);
    expect(r.evidence.createdDateTime).toBeNull();
    expect(r.evidence.permissions).toEqual([graphRow('Mail.Read', false, null)]);
    expect(r.evidence.severitySignals).toEqual([]);
  });

  it('reads the grant time from the older creationTimestamp when createdDateTime is absent', () => {
    const t = withApp([], { createdDateTime: null });
    const { createdDateTime: _c, ...legacy } = assignment(APP, 'graph', GRAPH['Mail.Read']);
    const { createdDateTime: _d, ...numeric } = assignment(APP, 'graph', GRAPH['Mail.Send']);
    t['graph.appRoleAssignedTo'].push(
      { ...legacy, creationTimestamp: daysAgo(2) } as AppRoleAssignment,
      { ...numeric, creationTimestamp: 1_700_000_000 } as unknown as AppRoleAssignment,
    );
    const r = of(run(t), `app/${APP.appId}`);
    expect(r.evidence.permissions).toEqual([
      graphRow('Mail.Read', false, daysAgo(2)),
      graphRow('Mail.Send', false, null),
    ]);
    expect(r.evidence.severitySignals).toEqual(['first granted recently']);
  });
});

describe('apps.mail-access and Exchange Online', () => {
  const restrict = (appIds: string | string[], extra: JsonObject = {}): JsonObject => ({
    AppId: appIds,
    AccessRight: 'RestrictAccess',
    ScopeName: 'Finance',
    ScopeIdentity: 'finance@contoso.example',
    Description: 'Finance mailboxes only',
    ...extra,
  });
  const policyRow = {
    accessRight: 'RestrictAccess',
    scopeName: 'Finance',
    scopeIdentity: 'finance@contoso.example',
    description: 'Finance mailboxes only',
  };

  it('passes an app whose every Graph mail permission an access policy naming it restricts, showing that policy only', () => {
    const t = withApp([
      { resource: 'graph', id: GRAPH['Mail.Read'] },
      { resource: 'exo', id: EXO.full_access_as_app },
    ]);
    t['exo.applicationAccessPolicy'] = [
      restrict([APP.appId.toUpperCase(), DIRSYNC.appId]),
      restrict(DIRSYNC.appId, { AccessRight: 'DenyAccess' }),
    ];
    expect(of(run(t), `app/${APP.appId}`)).toStrictEqual({
      target: `app/${APP.appId}`,
      status: 'pass',
      message:
        'An application access policy restricts every mail permission the app holds (Mail.Read (Microsoft Graph), full_access_as_app (Office 365 Exchange Online)) to a group of mailboxes.',
      evidence: appEvidence([graphRow('Mail.Read', true), exoRow('full_access_as_app', true)], {
        applicationAccessPolicies: [policyRow],
      }),
    });
  });

  it("does not count a DenyAccess policy, or one without an access right, as restricting; nor Exchange's own Mail.Read", () => {
    const t = withApp([
      { resource: 'graph', id: GRAPH['Mail.Read'] },
      { resource: 'exo', id: EXO['Mail.Read'] },
    ]);
    t['exo.applicationAccessPolicy'] = [restrict(APP.appId, { AccessRight: 'DenyAccess' }), { AppId: APP.appId }];
    const r = of(run(t), `app/${APP.appId}`);
    expect(r.evidence.applicationAccessPolicies).toEqual([
      { ...policyRow, accessRight: 'DenyAccess' },
      { accessRight: null, scopeName: null, scopeIdentity: null, description: null },
    ]);
    expect(r.message).toBe(
      'The app holds application permission(s) that reach every mailbox: Mail.Read (Microsoft Graph), Mail.Read (Office 365 Exchange Online).',
    );
    // Restricted, the Graph permission drops out of the failure; Exchange's Mail.Read stays.
    t['exo.applicationAccessPolicy'] = [restrict(APP.appId)];
    const partly = of(run(t), `app/${APP.appId}`);
    expect(partly.message).toBe(
      'The app holds application permission(s) that reach every mailbox: Mail.Read (Office 365 Exchange Online).',
    );
    expect(partly.evidence.permissions).toEqual([graphRow('Mail.Read', true), exoRow('Mail.Read', false)]);
  });

  it('says IMAP or POP alone reaches only the mailboxes that grant the app FullAccess, and where those grants are reported', () => {
    const t = withApp([
      { resource: 'graph', id: GRAPH['Mail.Read'] },
      { resource: 'exo', id: EXO['IMAP.AccessAsApp'] },
    ]);
    t['exo.applicationAccessPolicy'] = [restrict(APP.appId)];
    t['exo.servicePrincipal'] = [
      {
        Identity: 'Zeta pointer',
        Name: 'Alpha-SP',
        DisplayName: 'Reporting Tool',
        AppId: APP.appId.toUpperCase(),
        ObjectId: APP.id,
      },
    ];
    const r = of(run(t), `app/${APP.appId}`);
    expect(r.message).toBe(
      'The app holds application permission(s) that reach the mailboxes that grant it FullAccess: IMAP.AccessAsApp (Office 365 Exchange Online).',
    );
    expect(r.evidence.exchangeServicePrincipal).toEqual({
      read: true,
      found: true,
      names: ['alpha-sp', APP.appId, APP.id, 'reporting tool', 'zeta pointer'],
      mailboxGrantsReportedBy: 'mailbox.delegation',
    });
    expect(r.evidence.rbacForApplications).toEqual({
      assignments: [],
      note: 'RBAC for Applications grants are independent of the Entra ID grant and do not narrow it',
    });
    // Not restricted, the Graph permission reaches every mailbox.
    t['exo.applicationAccessPolicy'] = [];
    expect(of(run(t), `app/${APP.appId}`).message).toBe(
      'The app holds application permission(s) that reach every mailbox: Mail.Read (Microsoft Graph), IMAP.AccessAsApp (Office 365 Exchange Online).',
    );
  });

  it('says when no Exchange service principal points at an IMAP app, and when the pointers could not be read', () => {
    const t = withApp([{ resource: 'exo', id: EXO['IMAP.AccessAsApp'] }]);
    t['exo.servicePrincipal'] = [{ Identity: 'someone else', AppId: DIRSYNC.appId }];
    const none = of(run(t), `app/${APP.appId}`);
    expect(none.evidence.exchangeServicePrincipal).toEqual({
      read: true,
      found: false,
      note: 'no Exchange service principal points at this app, so no mailbox can grant it FullAccess',
    });
    const failed: SourceStatus = { status: 'failed', reason: 'HTTP 500 after retries' };
    const unread = of(run(t, { statuses: { 'exo.servicePrincipal': failed } }), `app/${APP.appId}`);
    expect(unread.evidence.exchangeServicePrincipal).toEqual({
      read: false,
      why: 'exo.servicePrincipal is failed: HTTP 500 after retries',
    });
    expect(unread.evidence.rbacForApplications).toEqual({
      read: false,
      why: 'exo.servicePrincipal is failed: HTTP 500 after retries',
    });
    // IMAP and POP are never narrowed by an access policy, so the failure stands without one.
    expect(unread.status).toBe('fail');
  });

  it('shows the RBAC for Applications assignments held by any name of the app’s pointer, and only those', () => {
    const t = withApp([{ resource: 'graph', id: GRAPH['Mail.Read'] }]);
    t['exo.servicePrincipal'] = [
      { Identity: 'Reporting-SP', DisplayName: 'Reporting Tool', AppId: APP.appId, ObjectId: APP.id },
    ];
    t['exo.managementRoleAssignment'] = [
      {
        Role: 'Application Mail.Read',
        Name: 'a1',
        RoleAssignee: 'Reporting-SP',
        CustomResourceScope: 'Finance',
        RecipientWriteScope: 'CustomRecipientScope',
      },
      { Role: 'Application Mail.Send', Name: 'a2', RoleAssigneeName: 'REPORTING TOOL' },
      { Role: 'Application Calendars.Read', App: APP.appId.toUpperCase() },
      { Role: 'Application Contacts.Read', Name: 'a4', User: APP.id },
      { Role: 'Mail Recipients', Name: 'not an application role', RoleAssignee: 'Reporting-SP' },
      { Role: 'Application Mail.Read', Name: 'another app', RoleAssignee: 'Other-SP' },
      { Name: 'no role', RoleAssignee: 'Reporting-SP' },
    ];
    const r = of(run(t), `app/${APP.appId}`);
    const row = (role: string, name: string | null) => ({
      role,
      name,
      customResourceScope: null,
      recipientWriteScope: null,
    });
    expect(r.evidence.rbacForApplications).toEqual({
      assignments: [
        {
          role: 'Application Mail.Read',
          name: 'a1',
          customResourceScope: 'Finance',
          recipientWriteScope: 'CustomRecipientScope',
        },
        row('Application Mail.Send', 'a2'),
        row('Application Calendars.Read', null),
        row('Application Contacts.Read', 'a4'),
      ],
      note: 'RBAC for Applications grants are independent of the Entra ID grant and do not narrow it',
    });
    const rbacFailed: SourceStatus = { status: 'failed', reason: 'HTTP 500' };
    expect(
      of(run(t, { statuses: { 'exo.managementRoleAssignment': rbacFailed } }), `app/${APP.appId}`).evidence
        .rbacForApplications,
    ).toEqual({ read: false, why: 'exo.managementRoleAssignment is failed: HTTP 500' });
  });

  it.each([
    [
      'failed',
      { status: 'failed', reason: 'HTTP 500 after retries' },
      'error',
      'exo.applicationAccessPolicy is failed: HTTP 500 after retries',
    ],
    [
      'not_permitted',
      { status: 'not_permitted', permission: 'Exchange.ManageAsApp', reason: 'HTTP 403' },
      'not_evaluable',
      'exo.applicationAccessPolicy is not permitted: HTTP 403',
    ],
    ['not collected', undefined, 'not_evaluable', 'exo.applicationAccessPolicy was not collected in this run'],
  ] as const)(
    'with the access policies %s, an app a policy could restrict is neither passed nor failed',
    (_n, status, verdict, why) => {
      const t = withApp([
        { resource: 'graph', id: GRAPH['Mail.Read'] },
        { resource: 'exo', id: EXO.full_access_as_app },
      ]);
      const tenant: Partial<MailAccessTenant> = { ...t };
      if (status === undefined) delete tenant['exo.applicationAccessPolicy'];
      const r = of(
        run(
          tenant,
          status === undefined ? {} : { statuses: { 'exo.applicationAccessPolicy': status as SourceStatus } },
        ),
        `app/${APP.appId}`,
      );
      expect(r.status).toBe(verdict);
      expect(r.message).toBe(
        `Whether an application access policy restricts the app's mail permissions (Mail.Read (Microsoft Graph), full_access_as_app (Office 365 Exchange Online)) cannot be told: ${why}.`,
      );
      expect(r.evidence.applicationAccessPolicies).toEqual({ read: false, why });
      // IMAP is never narrowed by a policy: with it, the app fails whatever the policies say.
      t['graph.appRoleAssignedTo'].push(assignment(APP, 'exo', EXO['IMAP.AccessAsApp']));
      const imap = of(
        run(
          tenant,
          status === undefined ? {} : { statuses: { 'exo.applicationAccessPolicy': status as SourceStatus } },
        ),
        `app/${APP.appId}`,
      );
      expect(imap.status).toBe('fail');
    },
  );

  it('errs on an Exchange Online role its app roles do not name, and passes it only when allowedApps lists the app', () => {
    const t = withApp([{ resource: 'exo', id: 'e0000000-0000-4000-8000-0000000000ff' }]);
    const r = of(run(t), `app/${APP.appId}`);
    expect(r).toStrictEqual({
      target: `app/${APP.appId}`,
      status: 'error',
      message:
        'The app holds 1 role(s) on Office 365 Exchange Online that its app roles do not name, so whether they reach mailboxes cannot be told.',
      evidence: appEvidence([], {
        unknownRoles: [
          {
            resource: 'Office 365 Exchange Online',
            appRoleId: 'e0000000-0000-4000-8000-0000000000ff',
            consentedAt: GRANTED,
          },
        ],
      }),
    });
    const allow = { appId: APP.appId.toUpperCase(), reason: 'archiving', approver: 'CISO' };
    const allowed = of(run(t, { allowedApps: [ALLOW_MAILWARDEN, allow] }), `app/${APP.appId}`);
    expect(allowed.status).toBe('pass');
    expect(allowed.message).toBe('The app holds roles on Office 365 Exchange Online and is listed in allowedApps.');
    expect(allowed.evidence.allowed).toEqual(allow);
  });
});
