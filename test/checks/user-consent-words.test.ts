import { describe, expect, it } from 'vitest';
import { userConsent } from '../../src/checks/mail-access/user-consent.js';
import type { Finding } from '../../src/model/finding.js';
import type { JsonObject } from '../../src/model/json.js';
import type { OAuth2PermissionGrant } from '../../src/snapshot/graph-types.js';
import { directInput } from './mail-access-direct.js';
import {
  DIRSYNC,
  EXO_SP_ID,
  GRAPH_SP_ID,
  goldenTenant,
  type MailAccessTenant,
  VENDOR_TENANT,
} from './mail-access-tenant.js';

/*
 * What an auditor reads in apps.user-consent: the consent setting's words for each assigned
 * policy, and the all-user mail grants one app at a time, from the pure check. The verdicts over
 * the whole pipeline are pinned in mail-access.test.ts.
 */

function run(tenant: MailAccessTenant, params: JsonObject = {}): readonly Finding[] {
  return userConsent(
    directInput(tenant, {
      params: { allowedApps: [], allowMicrosoftManagedPolicy: false, allowLowImpactConsent: true, ...params },
    }),
  );
}

function withPolicies(assigned: string[]): MailAccessTenant {
  const t = goldenTenant();
  t['graph.authorizationPolicy'] = {
    id: 'authorizationPolicy',
    defaultUserRolePermissions: { permissionGrantPoliciesAssigned: assigned },
  };
  return t;
}

const OWNED = 'ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team';

describe('apps.user-consent: the consent setting in words', () => {
  it.each([
    [[OWNED], {}, 'pass', 'Users cannot consent to apps: no user consent policy is assigned.', []],
    [
      ['managePermissionGrantsForSelf.microsoft-user-default-legacy', OWNED],
      {},
      'fail',
      'Users may consent to any app for any permission that needs no admin (microsoft-user-default-legacy).',
      ['microsoft-user-default-legacy'],
    ],
    [
      ['ManagePermissionGrantsForSelf.microsoft-user-default-low'],
      {},
      'pass',
      'Users may consent only to low-impact permissions of apps from verified publishers (microsoft-user-default-low).',
      ['microsoft-user-default-low'],
    ],
    [
      ['ManagePermissionGrantsForSelf.microsoft-user-default-low'],
      { allowLowImpactConsent: false },
      'fail',
      'Users may consent to low-impact permissions of apps from verified publishers (microsoft-user-default-low), which the policy does not allow (allowLowImpactConsent is false).',
      ['microsoft-user-default-low'],
    ],
    [
      ['ManagePermissionGrantsForSelf.microsoft-user-default-recommended'],
      {},
      'fail',
      "User consent follows Microsoft's managed policy (microsoft-user-default-recommended), which the policy does not accept (allowMicrosoftManagedPolicy is false).",
      ['microsoft-user-default-recommended'],
    ],
    [
      ['ManagePermissionGrantsForSelf.microsoft-user-default-recommended'],
      { allowMicrosoftManagedPolicy: true },
      'pass',
      "User consent follows Microsoft's managed policy, which the policy accepts.",
      ['microsoft-user-default-recommended'],
    ],
    [
      [
        'ManagePermissionGrantsForSelf.microsoft-user-default-low',
        'ManagePermissionGrantsForSelf.Contoso-Reviewed',
        'ManagePermissionGrantsForSelf.partners-only',
      ],
      {},
      'error',
      'User consent follows 2 custom consent policy(ies) (Contoso-Reviewed, partners-only), whose conditions are not read: it cannot be judged.',
      ['microsoft-user-default-low', 'Contoso-Reviewed', 'partners-only'],
    ],
  ] as const)('%j with %j: %s', (assigned, params, status, message, self) => {
    const [setting] = run(withPolicies([...assigned]), params);
    expect(setting).toStrictEqual({
      target: 'tenant',
      status,
      message,
      evidence: {
        permissionGrantPoliciesAssigned: [...assigned],
        userConsentPolicies: [...self],
        allPrincipalsGrantsExamined: 1,
      },
    });
  });
});

describe('apps.user-consent: delegated mail permissions granted for all users', () => {
  const grant = (
    id: string,
    clientId: string,
    resourceId: string,
    scope: string | null,
    consentType = 'AllPrincipals',
  ) => ({ id, clientId, consentType, principalId: null, resourceId, scope }) as OAuth2PermissionGrant;

  it('fails each app an admin granted mail scopes for everyone, naming each scope once, and passes an allowed one', () => {
    const t = goldenTenant();
    const ghost = 'D4000000-0000-4000-8000-00000000000A';
    t['graph.servicePrincipals'][3] = {
      ...t['graph.servicePrincipals'][3],
      appOwnerOrganizationId: VENDOR_TENANT,
    } as never;
    t['graph.oauth2PermissionGrants'].push(
      grant('g2', DIRSYNC.id.toUpperCase(), GRAPH_SP_ID, '  Mail.Read   MailboxSettings.Read User.Read '),
      grant('g3', DIRSYNC.id, EXO_SP_ID, 'EWS.AccessAsUser.All Mail.Read'),
      grant('g4', ghost, GRAPH_SP_ID, 'SMTP.Send'),
      // Not for all users, on another resource, without a mail scope, or without any scope: not judged.
      grant('g5', ghost, GRAPH_SP_ID, 'Mail.Read', 'Principal'),
      grant('g6', ghost, 'f0000000-0000-4000-8000-0000000000aa', 'Mail.Read'),
      grant('g7', ghost, GRAPH_SP_ID, 'openid profile'),
      grant('g8', ghost, GRAPH_SP_ID, null),
    );
    const findings = run(t);
    expect(findings[0]?.evidence.allPrincipalsGrantsExamined).toBe(8);
    expect(findings.slice(1)).toStrictEqual([
      {
        target: `app/${DIRSYNC.appId}`,
        status: 'fail',
        message:
          'An admin granted the app delegated mail permissions for all users (Mail.Read, MailboxSettings.Read, EWS.AccessAsUser.All).',
        evidence: {
          appId: DIRSYNC.appId,
          appDisplayName: 'Directory Sync',
          servicePrincipalId: DIRSYNC.id.toUpperCase(),
          ownerTenantId: VENDOR_TENANT,
          consentType: 'AllPrincipals',
          grants: [
            {
              grantId: 'g2',
              resource: 'Microsoft Graph',
              mailScopes: ['Mail.Read', 'MailboxSettings.Read'],
              scope: '  Mail.Read   MailboxSettings.Read User.Read ',
            },
            {
              grantId: 'g3',
              resource: 'Office 365 Exchange Online',
              mailScopes: ['EWS.AccessAsUser.All', 'Mail.Read'],
              scope: 'EWS.AccessAsUser.All Mail.Read',
            },
          ],
          allowed: null,
        },
      },
      {
        target: `service-principal/${ghost}`,
        status: 'fail',
        message: 'An admin granted the app delegated mail permissions for all users (SMTP.Send).',
        evidence: {
          appId: null,
          appDisplayName: null,
          servicePrincipalId: ghost,
          ownerTenantId: null,
          consentType: 'AllPrincipals',
          grants: [{ grantId: 'g4', resource: 'Microsoft Graph', mailScopes: ['SMTP.Send'], scope: 'SMTP.Send' }],
          allowed: null,
        },
      },
    ]);
    const allow = { appId: DIRSYNC.appId.toUpperCase(), reason: 'syncs the directory', approver: 'IT' };
    const allowed = run(t, { allowedApps: [allow] })[1];
    expect(allowed?.status).toBe('pass');
    expect(allowed?.message).toBe(
      'Delegated mail permissions for all users (Mail.Read, MailboxSettings.Read, EWS.AccessAsUser.All) are granted to an app listed in allowedApps.',
    );
    expect(allowed?.evidence.allowed).toEqual(allow);
  });
});
