import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/result.js';
import {
  ALL_CONTROLS,
  assignment,
  DIRSYNC,
  EXO,
  EXO_SP_ID,
  findings,
  GRAPH,
  GRAPH_SP_ID,
  goldenTenant,
  judge,
  MAILWARDEN,
  NOW,
  servicePrincipal,
  VENDOR_TENANT,
  verdicts,
} from './mail-access-tenant.js';

const only = (results: readonly Result[]): Result => {
  const bad = findings(results);
  expect(bad, JSON.stringify(verdicts(bad))).toHaveLength(1);
  return bad[0] as Result;
};

const APP = { appId: 'c2000000-0000-4000-8000-000000000001', id: 'd2000000-0000-4000-8000-000000000001' };

/** The golden tenant with one more app holding the given roles. */
function withApp(
  roles: readonly { resource: 'graph' | 'exo'; id: string; at?: string }[],
  sp: Parameters<typeof servicePrincipal>[2] = {},
) {
  const t = goldenTenant();
  t['graph.servicePrincipals'].push(servicePrincipal(APP, 'Reporting Tool', sp));
  for (const r of roles) t['graph.appRoleAssignedTo'].push(assignment(APP, r.resource, r.id, r.at));
  return t;
}

describe('the golden tenant', () => {
  it.each(ALL_CONTROLS)('%s passes, saying what it examined', async (control) => {
    const results = await judge(control, goldenTenant());
    expect(findings(results), JSON.stringify(verdicts(results))).toEqual([]);
    expect(results.length).toBeGreaterThan(0);
  });
});

describe('apps.mail-access', () => {
  it("passes this tool's own app when allowedApps lists it, and says it is this tool", async () => {
    const results = await judge('apps.mail-access', goldenTenant());
    expect(verdicts(results)).toEqual([[`app/${MAILWARDEN.appId}`, 'pass']]);
    expect(results[0]?.evidence).toMatchObject({
      thisTool: true,
      allowed: { appId: MAILWARDEN.appId },
      permissions: [
        { resource: 'Microsoft Graph', permission: 'Mail.ReadBasic.All' },
        { resource: 'Microsoft Graph', permission: 'MailboxSettings.Read' },
      ],
    });
  });

  it('fails this tool like any other app when it is not allowed, naming it in the evidence', async () => {
    const r = only(await judge('apps.mail-access', goldenTenant(), { params: { allowedApps: [] } }));
    expect(r).toMatchObject({ target: `app/${MAILWARDEN.appId}`, status: 'fail', severity: 'high' });
    expect(r.evidence.thisTool).toBe(true);
    expect(typeof r.evidence.thisToolNote).toBe('string');
  });

  it('does not name this tool when the run authenticated as another app (or as a user)', async () => {
    for (const clientId of [null, DIRSYNC.appId]) {
      const r = only(await judge('apps.mail-access', goldenTenant(), { params: { allowedApps: [] }, clientId }));
      expect(r.evidence.thisTool).toBe(false);
    }
  });

  it('fails an app with Mail.ReadWrite on Microsoft Graph, one result per app', async () => {
    const t = withApp([
      { resource: 'graph', id: GRAPH['Mail.ReadWrite'] },
      { resource: 'graph', id: GRAPH['Mail.Send'] },
    ]);
    const r = only(await judge('apps.mail-access', t));
    expect(r).toMatchObject({ target: `app/${APP.appId}`, status: 'fail', severity: 'high' });
    expect(r.evidence.permissions).toMatchObject([
      { resource: 'Microsoft Graph', permission: 'Mail.ReadWrite', restrictedByAccessPolicy: false },
      { resource: 'Microsoft Graph', permission: 'Mail.Send', restrictedByAccessPolicy: false },
    ]);
    expect(r.evidence.severitySignals).toEqual([]);
  });

  it('raises an unverified app of another tenant, created recently, to critical, and says why', async () => {
    const t = withApp([{ resource: 'graph', id: GRAPH['Mail.Read'] }], {
      appOwnerOrganizationId: VENDOR_TENANT,
      createdDateTime: new Date(NOW.getTime() - 3 * 86_400_000).toISOString(),
    });
    const r = only(await judge('apps.mail-access', t));
    expect(r.severity).toBe('critical');
    expect(r.evidence.severitySignals).toEqual(['owned by another tenant', 'unverified publisher', 'created recently']);
    expect(r.evidence).toMatchObject({ ownerTenantId: VENDOR_TENANT, ownedByThisTenant: false });
  });

  it('raises each signal alone, and a verified vendor app only for its owner', async () => {
    const verified = { displayName: 'Fabrikam', verifiedPublisherId: '5123456', addedDateTime: '2024-01-01T00:00:00Z' };
    const vendor = only(
      await judge(
        'apps.mail-access',
        withApp([{ resource: 'graph', id: GRAPH['Mail.Read'] }], {
          appOwnerOrganizationId: VENDOR_TENANT,
          verifiedPublisher: verified,
        }),
      ),
    );
    expect(vendor.evidence.severitySignals).toEqual(['owned by another tenant']);
    expect(vendor.severity).toBe('critical');
    expect((vendor.evidence.publisher as { verified: boolean }).verified).toBe(true);
  });

  it('reads createdDateTime defensively: absent, it falls back to when the permission was first granted', async () => {
    const recent = new Date(NOW.getTime() - 86_400_000).toISOString();
    const t = withApp([{ resource: 'graph', id: GRAPH['Mail.Read'], at: recent }], { createdDateTime: null });
    const r = only(await judge('apps.mail-access', t));
    expect(r.evidence.createdDateTime).toBeNull();
    expect(r.evidence.severitySignals).toEqual(['first granted recently']);
    expect(r.severity).toBe('critical');
    // Neither time known: no "recent" signal, and still a finding.
    const unknown = withApp([{ resource: 'graph', id: GRAPH['Mail.Read'] }], { createdDateTime: 'not a date' });
    for (const a of unknown['graph.appRoleAssignedTo'])
      if (a.principalId === APP.id) Object.assign(a, { createdDateTime: null });
    const u = only(await judge('apps.mail-access', unknown));
    expect(u).toMatchObject({ status: 'fail', severity: 'high' });
    expect(u.evidence.severitySignals).toEqual([]);
  });

  it('honours recentDays', async () => {
    const t = withApp([{ resource: 'graph', id: GRAPH['Mail.Read'] }], {
      createdDateTime: new Date(NOW.getTime() - 10 * 86_400_000).toISOString(),
    });
    expect(only(await judge('apps.mail-access', t, { params: { recentDays: 30 } })).severity).toBe('critical');
    expect(only(await judge('apps.mail-access', t, { params: { recentDays: 7 } })).severity).toBe('high');
  });

  it('fails full_access_as_app on Exchange Online by its published ID', async () => {
    const r = only(await judge('apps.mail-access', withApp([{ resource: 'exo', id: EXO.full_access_as_app }])));
    expect(r.evidence.permissions).toMatchObject([
      { resource: 'Office 365 Exchange Online', permission: 'full_access_as_app' },
    ]);
  });

  it("names Exchange Online's Mail.Read from the resource's own app roles, not from Graph's IDs", async () => {
    const r = only(await judge('apps.mail-access', withApp([{ resource: 'exo', id: EXO['Mail.Read'] }])));
    expect(r.evidence.permissions).toMatchObject([{ resource: 'Office 365 Exchange Online', permission: 'Mail.Read' }]);
    // The same ID on the other resource is another permission: Graph's Mail.Read ID on Exchange
    // Online names nothing there, so it is an unknown Exchange role, not Graph's Mail.Read.
    const crossed = only(await judge('apps.mail-access', withApp([{ resource: 'exo', id: GRAPH['Mail.Read'] }])));
    expect(crossed.status).toBe('error');
    expect(crossed.evidence.unknownRoles).toMatchObject([{ resource: 'Office 365 Exchange Online' }]);
  });

  it('matches on resource and role ID: an Exchange role ID granted on Microsoft Graph is not an Exchange permission', async () => {
    const results = await judge('apps.mail-access', withApp([{ resource: 'graph', id: EXO['Mail.Read'] }]));
    expect(findings(results)).toEqual([]);
  });

  it('an app with only User.Read.All is not reported (false friend)', async () => {
    const results = await judge('apps.mail-access', withApp([{ resource: 'graph', id: GRAPH['User.Read.All'] }]));
    expect(verdicts(results)).toEqual([[`app/${MAILWARDEN.appId}`, 'pass']]);
  });

  it('ignores a user or group assigned to a resource and the default role', async () => {
    const t = goldenTenant();
    t['graph.appRoleAssignedTo'].push({ ...assignment(APP, 'graph', GRAPH['Mail.Read']), principalType: 'User' });
    t['graph.appRoleAssignedTo'].push(assignment(APP, 'graph', '00000000-0000-0000-0000-000000000000'));
    expect(findings(await judge('apps.mail-access', t))).toEqual([]);
  });

  it('passes an app that an application access policy restricts (RestrictAccess), with the scope in the evidence', async () => {
    const t = withApp([{ resource: 'graph', id: GRAPH['Mail.Send'] }]);
    t['exo.applicationAccessPolicy'] = [
      {
        AppId: APP.appId,
        ScopeName: 'Helpdesk',
        ScopeIdentity: 'Helpdesk',
        AccessRight: 'RestrictAccess',
        Description: 'x',
      },
    ];
    const results = await judge('apps.mail-access', t);
    expect(findings(results)).toEqual([]);
    const r = results.find((x) => x.target === `app/${APP.appId}`);
    expect(r?.evidence.applicationAccessPolicies).toMatchObject([
      { accessRight: 'RestrictAccess', scopeName: 'Helpdesk' },
    ]);
    expect(r?.evidence.permissions).toMatchObject([{ permission: 'Mail.Send', restrictedByAccessPolicy: true }]);
  });

  it('does not pass an app only denied some mailboxes (DenyAccess)', async () => {
    const t = withApp([{ resource: 'graph', id: GRAPH['Mail.Send'] }]);
    t['exo.applicationAccessPolicy'] = [{ AppId: APP.appId, ScopeName: 'VIPs', AccessRight: 'DenyAccess' }];
    expect(only(await judge('apps.mail-access', t)).status).toBe('fail');
  });

  it('neither passes nor fails an app a policy could restrict when the policies could not be read', async () => {
    const t = withApp([{ resource: 'graph', id: GRAPH['Mail.Send'] }]);
    t['exo.applicationAccessPolicy'] = [{ AppId: APP.appId, ScopeName: 'Helpdesk', AccessRight: 'RestrictAccess' }];
    const refused = only(
      await judge('apps.mail-access', t, {
        statuses: {
          'exo.applicationAccessPolicy': {
            status: 'not_permitted',
            permission: 'Exchange.ManageAsApp',
            reason: 'refused',
          },
        },
      }),
    );
    expect(refused).toMatchObject({ target: `app/${APP.appId}`, status: 'not_evaluable' });
    expect(refused.evidence.applicationAccessPolicies).toMatchObject({ read: false });
    const failed = only(
      await judge('apps.mail-access', t, {
        statuses: { 'exo.applicationAccessPolicy': { status: 'failed', reason: 'HTTP 500' } },
      }),
    );
    expect(failed.status).toBe('error');
    // A permission no policy can narrow still fails, read or not.
    const wider = withApp([
      { resource: 'graph', id: GRAPH['Mail.Send'] },
      { resource: 'exo', id: EXO['Mail.Read'] },
    ]);
    const unreadWider = only(
      await judge('apps.mail-access', wider, {
        statuses: { 'exo.applicationAccessPolicy': { status: 'failed', reason: 'HTTP 500' } },
      }),
    );
    expect(unreadWider.status).toBe('fail');
  });

  it('does not let an access policy narrow a permission it does not cover (Exchange Online Mail.Read, IMAP)', async () => {
    const t = withApp([
      { resource: 'graph', id: GRAPH['Mail.Read'] },
      { resource: 'exo', id: EXO['Mail.Read'] },
    ]);
    t['exo.applicationAccessPolicy'] = [{ AppId: APP.appId, ScopeName: 'Helpdesk', AccessRight: 'RestrictAccess' }];
    const r = only(await judge('apps.mail-access', t));
    expect(r.status).toBe('fail');
    expect(r.evidence.permissions).toMatchObject([
      { resource: 'Microsoft Graph', permission: 'Mail.Read', restrictedByAccessPolicy: true },
      { resource: 'Office 365 Exchange Online', permission: 'Mail.Read', restrictedByAccessPolicy: false },
    ]);
  });

  it('does not pass an app scoped only by RBAC for Applications: the Entra ID grant is still tenant-wide', async () => {
    const t = withApp([{ resource: 'exo', id: EXO['Mail.Read'] }]);
    t['exo.servicePrincipal'] = [
      { Identity: APP.id, DisplayName: 'Reporting Tool', AppId: APP.appId, ObjectId: APP.id },
    ];
    t['exo.managementRoleAssignment'] = [
      { Name: 'App Mail.Read', Role: 'Application Mail.Read', RoleAssignee: APP.id, CustomResourceScope: 'Finance' },
    ];
    const r = only(await judge('apps.mail-access', t));
    expect(r.status).toBe('fail');
    expect(r.evidence.rbacForApplications).toMatchObject({
      assignments: [{ role: 'Application Mail.Read', customResourceScope: 'Finance' }],
    });
  });

  it("reports IMAP.AccessAsApp with the app's Exchange service principal, whose FullAccess grants mailbox.delegation lists", async () => {
    const t = withApp([{ resource: 'exo', id: EXO['IMAP.AccessAsApp'] }]);
    t['exo.servicePrincipal'] = [
      { Identity: APP.id, DisplayName: 'Reporting Tool', AppId: APP.appId, ObjectId: APP.id },
    ];
    const r = only(await judge('apps.mail-access', t));
    expect(r.status).toBe('fail');
    expect(r.message).toContain('the mailboxes that grant it FullAccess');
    expect(r.evidence.exchangeServicePrincipal).toMatchObject({
      read: true,
      found: true,
      mailboxGrantsReportedBy: 'mailbox.delegation',
    });
  });

  it('says when no Exchange service principal points at an IMAP app, and when the pointers were not read', async () => {
    const t = withApp([{ resource: 'exo', id: EXO['POP.AccessAsApp'] }]);
    expect(only(await judge('apps.mail-access', t)).evidence.exchangeServicePrincipal).toMatchObject({
      read: true,
      found: false,
    });
    const unread = only(
      await judge('apps.mail-access', t, {
        statuses: { 'exo.servicePrincipal': { status: 'failed', reason: 'HTTP 500' } },
      }),
    );
    expect(unread.status).toBe('fail');
    expect(unread.evidence.exchangeServicePrincipal).toMatchObject({ read: false });
  });

  it('errs on the whole control when Microsoft Graph is missing from the resources, or when no service principal was listed', async () => {
    const t = goldenTenant();
    t['graph.resourceServicePrincipals'] = t['graph.resourceServicePrincipals'].filter((r) => r.id !== GRAPH_SP_ID);
    expect(verdicts(await judge('apps.mail-access', t))).toEqual([['tenant', 'error']]);
    const empty = goldenTenant();
    empty['graph.servicePrincipals'] = [];
    expect(verdicts(await judge('apps.mail-access', empty))).toEqual([['tenant', 'error']]);
  });

  it("errs when the assignments read lack this tool's own Graph permissions (an incomplete list)", async () => {
    const t = goldenTenant();
    t['graph.appRoleAssignedTo'] = t['graph.appRoleAssignedTo'].filter((a) => a.principalId !== MAILWARDEN.id);
    expect(verdicts(await judge('apps.mail-access', t))).toEqual([['tenant', 'error']]);
  });

  it('errs, never passes, when no application permission on Microsoft Graph was listed, even without the client ID', async () => {
    const t = goldenTenant();
    t['graph.appRoleAssignedTo'] = t['graph.appRoleAssignedTo'].filter((a) => a.resourceId !== GRAPH_SP_ID);
    for (const clientId of [MAILWARDEN.appId, null]) {
      const results = await judge('apps.mail-access', t, { clientId });
      expect(verdicts(results)).toEqual([['tenant', 'error']]);
    }
    const none = goldenTenant();
    none['graph.appRoleAssignedTo'] = [];
    const results = await judge('apps.mail-access', none, { clientId: null });
    expect(verdicts(results)).toEqual([['tenant', 'error']]);
    expect(results[0]?.message).toContain('appRoleAssignedTo listed no application permission on Microsoft Graph');
  });

  it('passes a tenant without Exchange Online, saying so', async () => {
    const t = goldenTenant();
    t['graph.resourceServicePrincipals'] = t['graph.resourceServicePrincipals'].filter((r) => r.id !== EXO_SP_ID);
    t['graph.appRoleAssignedTo'] = t['graph.appRoleAssignedTo'].filter((a) => a.resourceId !== EXO_SP_ID);
    const results = await judge('apps.mail-access', t, { params: { allowedApps: [] }, clientId: null });
    // This tool's Graph permissions remain; nothing on Exchange Online.
    expect(verdicts(results)).toEqual([[`app/${MAILWARDEN.appId}`, 'fail']]);
  });

  it.each([
    ['graph.appRoleAssignedTo', 'Application.Read.All'],
    ['graph.servicePrincipals', 'Application.Read.All'],
  ] as const)('is not evaluable when %s is refused, naming %s', async (source, permission) => {
    const results = await judge('apps.mail-access', goldenTenant(), {
      statuses: { [source]: { status: 'not_permitted', permission, reason: 'Authorization_RequestDenied' } },
    });
    expect(verdicts(results)).toEqual([['tenant', 'not_evaluable']]);
    expect(results[0]?.evidence).toMatchObject({ source, permission });
  });
});

describe('apps.user-consent', () => {
  const withConsent = (assigned: string[]) => {
    const t = goldenTenant();
    t['graph.authorizationPolicy'] = { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: assigned } };
    return t;
  };

  it('fails legacy user consent, in either casing', async () => {
    for (const entry of [
      'ManagePermissionGrantsForSelf.microsoft-user-default-legacy',
      'managePermissionGrantsForSelf.microsoft-user-default-legacy',
    ]) {
      const r = only(await judge('apps.user-consent', withConsent([entry])));
      expect(r).toMatchObject({ target: 'tenant', status: 'fail' });
      expect(r.evidence.userConsentPolicies).toEqual(['microsoft-user-default-legacy']);
    }
  });

  it('passes no user consent, and low-impact consent unless the policy forbids it', async () => {
    expect(findings(await judge('apps.user-consent', withConsent([])))).toEqual([]);
    expect(
      findings(
        await judge(
          'apps.user-consent',
          withConsent(['ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team']),
        ),
      ),
    ).toEqual([]);
    const low = withConsent(['ManagePermissionGrantsForSelf.microsoft-user-default-low']);
    expect(findings(await judge('apps.user-consent', low))).toEqual([]);
    expect(only(await judge('apps.user-consent', low, { params: { allowLowImpactConsent: false } })).status).toBe(
      'fail',
    );
  });

  it("fails Microsoft's managed policy unless the policy accepts it", async () => {
    const t = withConsent(['ManagePermissionGrantsForSelf.microsoft-user-default-recommended']);
    expect(only(await judge('apps.user-consent', t)).status).toBe('fail');
    expect(findings(await judge('apps.user-consent', t, { params: { allowMicrosoftManagedPolicy: true } }))).toEqual(
      [],
    );
  });

  it('errs on a custom consent policy it cannot read', async () => {
    const r = only(await judge('apps.user-consent', withConsent(['ManagePermissionGrantsForSelf.contoso-custom'])));
    expect(r).toMatchObject({ target: 'tenant', status: 'error' });
  });

  it('fails an all-user delegated mail grant to an app not allowed, one result per app', async () => {
    const t = goldenTenant();
    t['graph.servicePrincipals'].push(
      servicePrincipal(APP, 'Newsletter Tool', { appOwnerOrganizationId: VENDOR_TENANT }),
    );
    t['graph.oauth2PermissionGrants'].push(
      {
        id: 'g2',
        clientId: APP.id,
        consentType: 'AllPrincipals',
        principalId: null,
        resourceId: GRAPH_SP_ID,
        scope: '  openid  Mail.Read   User.Read ',
      },
      {
        id: 'g3',
        clientId: APP.id,
        consentType: 'AllPrincipals',
        principalId: null,
        resourceId: EXO_SP_ID,
        scope: 'EWS.AccessAsUser.All',
      },
    );
    const r = only(await judge('apps.user-consent', t));
    expect(r).toMatchObject({ target: `app/${APP.appId}`, status: 'fail' });
    expect(r.evidence.grants).toMatchObject([
      { resource: 'Microsoft Graph', mailScopes: ['Mail.Read'] },
      { resource: 'Office 365 Exchange Online', mailScopes: ['EWS.AccessAsUser.All'] },
    ]);
    const allowed = await judge('apps.user-consent', t, {
      params: { allowedApps: [{ appId: APP.appId, reason: 'newsletters', approver: 'ciso' }] },
    });
    expect(findings(allowed)).toEqual([]);
    expect(allowed.find((x) => x.target === `app/${APP.appId}`)?.evidence.allowed).toMatchObject({ approver: 'ciso' });
  });

  it('ignores a single-user grant and a grant without mail scopes', async () => {
    const t = goldenTenant();
    t['graph.oauth2PermissionGrants'].push({
      id: 'g4',
      clientId: DIRSYNC.id,
      consentType: 'Principal',
      principalId: 'u1',
      resourceId: GRAPH_SP_ID,
      scope: 'Mail.Read',
    });
    expect(findings(await judge('apps.user-consent', t))).toEqual([]);
  });

  it('is not evaluable without Policy.Read.All or Directory.Read.All', async () => {
    for (const [source, permission] of [
      ['graph.authorizationPolicy', 'Policy.Read.All'],
      ['graph.oauth2PermissionGrants', 'Directory.Read.All'],
    ] as const) {
      const results = await judge('apps.user-consent', goldenTenant(), {
        statuses: { [source]: { status: 'not_permitted', permission, reason: 'denied' } },
      });
      expect(verdicts(results)).toEqual([['tenant', 'not_evaluable']]);
      expect(results[0]?.message).toContain(permission);
    }
  });
});
