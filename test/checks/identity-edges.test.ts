import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { weakMethods } from '../../src/checks/mfa/weak-methods.js';
import { ControlParams } from '../../src/controls/params.js';
import { EVIDENCE_CAP } from '../../src/model/cap.js';
import type { Json } from '../../src/model/json.js';
import type { Result } from '../../src/model/result.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import { memorySnapshot, type Snapshot } from '../../src/snapshot/snapshot.js';
import type { SourceId } from '../../src/snapshot/source-id.js';
import type { SourceStatus } from '../../src/snapshot/source-status.js';
import {
  ADMIN_GROUP,
  CONTRACTORS_GROUP,
  CUSTOM_STRENGTH,
  EXCHANGE_ADMIN_ROLE,
  GA_ROLE,
  GLOBAL_ADMIN,
  GROUP_ADMIN,
  IDENTITY_NOW,
  type IdentityTenant,
  SALES_GROUP,
  goldenTenant,
  identityPolicyText,
  tenantSnapshot,
} from '../helpers/identity-tenant.js';

/*
 * Edges of the MFA checks that the golden-tenant tests do not reach: exceptions in
 * mfa.registration, a privileged holder whose principal was not read, every holder allowed,
 * strengths that allow nothing, grants without an operator or built-in list, and method
 * configurations without target lists. Each test judges only the control it is about.
 */

const HELPDESK_ROLE = '729827e3-9c14-49f7-bb1b-9608f156bbb8';

interface PolicyException {
  readonly control: string;
  readonly target: string;
}

/** The results of `control` alone over tenant `t`, with `params` and policy exceptions. */
async function judgeOne(
  control: string,
  t: IdentityTenant,
  params: Record<string, unknown> = {},
  exceptions: readonly PolicyException[] = [],
  statuses: Partial<Record<SourceId, SourceStatus | undefined>> = {},
): Promise<Result[]> {
  const text = JSON.stringify({
    id: 'identity-edges',
    title: `${control} only`,
    version: '1.0.0',
    description: 'one identity control',
    controls: { [control]: { enabled: true, ...params } },
    domains: { include: [], exclude: [], parked: [] },
    exceptions: exceptions.map((e) => ({
      ...e,
      reason: 'vendor migration under way',
      approvedBy: 'CISO',
      expires: '2027-01-31',
    })),
  });
  const { policy } = parsePolicy(text, 'identity-edges.json', IDENTITY_NOW);
  const { results } = await evaluate(withStatuses(tenantSnapshot(t), statuses), policy, {
    now: IDENTITY_NOW,
    domains: [],
  });
  return results.filter((r) => r.control === control);
}

/** The snapshot with some sources marked unread (their data left out, as the collector leaves it). */
function withStatuses(snapshot: Snapshot, statuses: Partial<Record<SourceId, SourceStatus | undefined>>): Snapshot {
  const sources: Partial<Record<SourceId, SourceStatus>> = {};
  const data: Record<string, unknown> = {};
  for (const [id, status] of Object.entries({ ...snapshot.manifest.sources, ...statuses }) as [
    SourceId,
    SourceStatus | undefined,
  ][]) {
    // undefined: the source is not in the manifest at all, as when it was never collected.
    if (status === undefined) continue;
    sources[id] = status;
    if (status.status === 'ok') data[id] = snapshot.data(id);
  }
  return memorySnapshot({ ...snapshot.manifest, sources }, data);
}

function one(results: readonly Result[], target: string): Result {
  const r = results.find((x) => x.target === target);
  if (!r) throw new Error(`no result for ${target}: ${results.map((x) => `${x.target} ${x.status}`).join(', ')}`);
  return r;
}

function ensure<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`no ${what}`);
  return value;
}

describe('mfa.registration with exceptions', () => {
  it('leaves out an excepted user whatever the case of the exception target, and says so', async () => {
    const t = goldenTenant();
    // Una has no registration record: excepted, she is not counted at all.
    t.registration = t.registration.filter((d) => d.userPrincipalName !== 'una@golden.example');
    const rs = await judgeOne('mfa.registration', t, { minPercent: 100 }, [
      { control: 'mfa.registration', target: 'UNA@Golden.Example' },
    ]);
    const r = one(rs, 'tenant');
    expect(r.status).toBe('pass');
    expect(r.evidence).toMatchObject({ counted: 4, unregisteredTotal: 0, excludedByException: ['una@golden.example'] });
  });

  it('without the exception the same user fails the 100 % minimum', async () => {
    const t = goldenTenant();
    t.registration = t.registration.filter((d) => d.userPrincipalName !== 'una@golden.example');
    const r = one(await judgeOne('mfa.registration', t, { minPercent: 100 }), 'tenant');
    expect(r.status).toBe('fail');
    expect(r.evidence).toMatchObject({ counted: 5, unregisteredTotal: 1, excludedByException: [] });
  });
});

describe('mfa.registration in words and at its edges', () => {
  it('passes naming the share, the count and the minimum', async () => {
    const r = one(await judgeOne('mfa.registration', goldenTenant(), { minPercent: 100 }), 'tenant');
    expect(r).toMatchObject({
      status: 'pass',
      message: '100% of 5 enabled member users are registered for MFA (minimum 100%).',
    });
  });

  it('fails naming who is not registered, why, and the share against the minimum', async () => {
    const t = goldenTenant();
    t.registration = t.registration.filter((d) => d.userPrincipalName !== 'una@golden.example');
    const r = one(await judgeOne('mfa.registration', t, { minPercent: 90 }), 'tenant');
    expect(r).toMatchObject({
      status: 'fail',
      message: '1 of 5 enabled member users are not registered for MFA (80%, minimum 90%).',
    });
    expect(r.evidence.unregistered).toEqual([
      { upn: 'una@golden.example', displayName: 'Una User', reason: 'no registration record' },
    ]);
  });

  it('leaves out disabled accounts, guests and users without a type', async () => {
    const t = goldenTenant();
    const una = ensure(t.users[2], 'Una');
    const ulf = ensure(t.users[3], 'Ulf');
    const eve = ensure(t.users[4], 'Eve');
    una.accountEnabled = false;
    ulf.userType = 'Guest';
    delete (eve as { userType?: unknown }).userType;
    // None of them has a registration record: counted, they would fail the 100 % minimum.
    t.registration = t.registration.filter((d) => ![una.id, ulf.id, eve.id].includes(d.id));
    const r = one(await judgeOne('mfa.registration', t, { minPercent: 100 }), 'tenant');
    expect(r.status).toBe('pass');
    expect(r.evidence).toMatchObject({ counted: 2, unregisteredTotal: 0 });
  });

  it('errs, never passes, when no user was listed', async () => {
    const t = goldenTenant();
    t.users = [];
    const r = one(await judgeOne('mfa.registration', t), 'tenant');
    expect(r.status).toBe('error');
    expect(r.message).toMatch(
      /^graph\.users listed no user, but every tenant has at least the administrators who run it: /,
    );
  });

  it('errs when no enabled member is left to measure, counting what was read', async () => {
    const t = goldenTenant();
    for (const u of t.users) u.accountEnabled = false;
    const r = one(await judgeOne('mfa.registration', t), 'tenant');
    expect(r.status).toBe('error');
    expect(r.message).toMatch(
      /^No enabled member user to measure among 5 users \(0 excepted\), but a tenant in use has enabled members: /,
    );
    expect(r.evidence).toEqual({ usersRead: 5, excludedByException: [], empty: true });
  });

  it('caps the list of unregistered users and gives the total', async () => {
    const t = goldenTenant();
    for (let i = 0; i <= EVIDENCE_CAP; i++) {
      t.users.push({
        id: `10000000-aaaa-4bbb-8ccc-${String(i).padStart(12, '0')}`,
        userPrincipalName: `new${i}@golden.example`,
        displayName: null,
        accountEnabled: true,
        userType: 'Member',
        assignedLicenses: [],
      });
    }
    const r = one(await judgeOne('mfa.registration', t), 'tenant');
    expect(r.evidence.unregisteredTotal).toBe(EVIDENCE_CAP + 1);
    expect(r.evidence.unregistered).toHaveLength(EVIDENCE_CAP);
    expect((r.evidence.unregistered as { displayName: unknown }[])[0]?.displayName).toBeNull();
  });
});

describe('mfa.admins-phishing-resistant edges', () => {
  it('errs, naming the assignment, when a privileged assignment has no principal', async () => {
    const t = goldenTenant();
    const ra = ensure(t.roleAssignments[0], 'role assignment');
    ra.principal = null;
    const rs = await judgeOne('mfa.admins-phishing-resistant', t);
    expect(rs.map((r) => [r.target, r.status])).toEqual([['tenant', 'error']]);
    expect(rs[0]?.evidence).toEqual({ unresolvedPrincipals: [GLOBAL_ADMIN.id], unresolvedTotal: 1 });
  });

  it('errs when no enabled holder of a privileged role is found', async () => {
    const t = goldenTenant();
    t.roleAssignments = [];
    t.eligibility = [];
    const rs = await judgeOne('mfa.admins-phishing-resistant', t);
    expect(rs).toHaveLength(1);
    expect(rs[0]).toMatchObject({
      target: 'tenant',
      status: 'error',
      message: 'No enabled holder of a highly privileged role was found.',
    });
    expect(rs[0]?.evidence.privilegedRoles).toContain(GA_ROLE);
  });

  it('passes at tenant level, counting the holders, when every holder is an allowed exclusion', async () => {
    const t = goldenTenant();
    const holders = [GLOBAL_ADMIN.id, GROUP_ADMIN.id, '00000005-aaaa-4bbb-8ccc-000000000000'];
    const rs = await judgeOne('mfa.admins-phishing-resistant', t, { allowedExclusions: holders });
    expect(rs).toHaveLength(1);
    expect(rs[0]).toMatchObject({
      target: 'tenant',
      status: 'pass',
      message: 'Every privileged role holder is listed in allowedExclusions.',
    });
    expect(rs[0]?.evidence).toEqual({ holders: 3, eligibility: { read: true, instances: 1, ended: 0 } });
  });

  it('fails a holder whose only strength allows no method, saying so', async () => {
    const t = goldenTenant();
    const admins = ensure(t.policies[2], 'admin policy');
    const strength = ensure(t.strengths[2], 'custom strength');
    strength.allowedCombinations = [];
    if (!admins.grantControls) throw new Error('no grant');
    admins.grantControls.authenticationStrength = { id: strength.id, displayName: strength.displayName };
    const r = one(await judgeOne('mfa.admins-phishing-resistant', t), GLOBAL_ADMIN.userPrincipalName);
    expect(r.status).toBe('fail');
    expect(r.message).toContain('strength "Admin keys" allows no method');
  });

  it('reads a grant without built-in controls or an operator as the strength alone', async () => {
    const t = goldenTenant();
    const admins = ensure(t.policies[2], 'admin policy');
    if (!admins.grantControls) throw new Error('no grant');
    const { builtInControls: _b, operator: _o, ...rest } = admins.grantControls;
    admins.grantControls = { ...rest, operator: 'OR' } as typeof admins.grantControls;
    const r = one(await judgeOne('mfa.admins-phishing-resistant', t), GLOBAL_ADMIN.userPrincipalName);
    expect(r.status, r.message).toBe('pass');
  });

  it('shows no registered method for a holder without a registration record', async () => {
    const t = goldenTenant();
    t.registration = t.registration.filter((d) => d.id !== GLOBAL_ADMIN.id);
    const r = one(await judgeOne('mfa.admins-phishing-resistant', t), GLOBAL_ADMIN.userPrincipalName);
    expect(r.status).toBe('fail');
    expect(r.evidence).toMatchObject({ methodsRegistered: [], phishingResistantMethods: [] });
  });

  it('a holder who may activate an excluded role is not covered, since the role may be active', async () => {
    const t = goldenTenant();
    const admins = ensure(t.policies[2], 'admin policy');
    ensure(admins.conditions.users ?? undefined, 'users').excludeRoles = [HELPDESK_ROLE];
    const first = ensure(t.eligibility[0], 'eligibility');
    t.eligibility.push({
      ...first,
      id: 'rei-2',
      principalId: GLOBAL_ADMIN.id,
      roleDefinitionId: HELPDESK_ROLE,
      principal: { ...first.principal, id: GLOBAL_ADMIN.id } as typeof first.principal,
    });
    const r = one(await judgeOne('mfa.admins-phishing-resistant', t), GLOBAL_ADMIN.userPrincipalName);
    expect(r.status, r.message).toBe('fail');
    // Without the eligibility the exclusion does not reach her.
    t.eligibility.pop();
    expect(one(await judgeOne('mfa.admins-phishing-resistant', t), GLOBAL_ADMIN.userPrincipalName).status).toBe('pass');
  });

  it('a policy that names the role-assignable group the holder acts through covers the holder', async () => {
    const t = goldenTenant();
    const admins = ensure(t.policies[2], 'admin policy');
    const users = ensure(admins.conditions.users ?? undefined, 'users');
    users.includeRoles = [GA_ROLE];
    users.includeGroups = [ADMIN_GROUP];
    const r = one(await judgeOne('mfa.admins-phishing-resistant', t), GROUP_ADMIN.userPrincipalName);
    expect(r.status, r.message).toBe('pass');
    expect(r.evidence.coveringPolicies).toEqual(['Phishing-resistant MFA for administrators']);
  });
});

describe('mfa.enforcement: which client apps count and which policies explain a failure', () => {
  const candidates = (r: Result) => (r.evidence.candidates as { id: string }[]).map((c) => c.id);

  it('fails an MFA policy limited to browsers or to mobile and desktop clients, and passes one for both', async () => {
    for (const [types, status] of [
      [['browser'], 'fail'],
      [['mobileAppsAndDesktopClients'], 'fail'],
      [['browser', 'mobileAppsAndDesktopClients'], 'pass'],
    ] as const) {
      const t = goldenTenant();
      ensure(t.policies[0], 'MFA policy').conditions.clientAppTypes = [...types];
      expect(one(await judgeOne('mfa.enforcement', t), 'tenant').status, types.join()).toBe(status);
    }
  });

  it('leaves the legacy client types to legacy-auth.blocked: MFA for browsers and modern clients alone is enough', async () => {
    const t = goldenTenant();
    // No legacy block either: legacy clients cannot do MFA, and are judged by legacy-auth.blocked.
    t.policies = t.policies.filter((p) => p.id !== 'ca-0002');
    ensure(t.policies[0], 'MFA policy').conditions.clientAppTypes = ['browser', 'mobileAppsAndDesktopClients'];
    const r = one(await judgeOne('mfa.enforcement', t), 'tenant');
    expect(r.status, r.message).toBe('pass');
    expect(r.message).toBe(
      'Conditional Access policy "Require MFA for all users" alone is enough to require MFA for every sign-in of All users to All cloud apps.',
    );
  });

  it('names as candidates the policies that ask for MFA in some form, terms of use or a custom control, and no other', async () => {
    const t = goldenTenant();
    ensure(t.policies[0], 'MFA policy').state = 'disabled';
    const base = ensure(t.policies[1], 'legacy block');
    const grant = (id: string, grantControls: NonNullable<(typeof base)['grantControls']> | null) => ({
      ...base,
      id,
      displayName: id,
      conditions: { ...base.conditions, clientAppTypes: ['all'] },
      grantControls,
    });
    t.policies.push(
      grant('tou', { operator: 'OR', builtInControls: [], termsOfUse: ['agreement-1'] }),
      grant('custom', { operator: 'OR', customAuthenticationFactors: ['duo'] }),
      grant('session-only', null),
      grant('compliant', { operator: 'OR', builtInControls: ['compliantDevice'] }),
    );
    const r = one(await judgeOne('mfa.enforcement', t), 'tenant');
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(
      /^No enforced Conditional Access policy, alone or with others, is enough to require MFA for every sign-in of All users to All cloud apps, and security defaults are off\./,
    );
    expect(candidates(r)).toEqual(['ca-0001', 'ca-0003', 'tou', 'custom']);
  });

  it('still judges built-in MFA when the authentication strengths could not be read, or were not collected', async () => {
    const absent = one(
      await judgeOne('mfa.enforcement', goldenTenant(), {}, [], { 'graph.authenticationStrengthPolicies': undefined }),
      'tenant',
    );
    expect(absent.status, absent.message).toBe('pass');
    const t = goldenTenant();
    const r = one(
      await judgeOne('mfa.enforcement', t, {}, [], {
        'graph.authenticationStrengthPolicies': {
          status: 'not_permitted',
          permission: 'Policy.Read.All',
          reason: 'denied',
        },
      }),
      'tenant',
    );
    expect(r.status, r.message).toBe('pass');
  });
});

describe('mfa.admins-phishing-resistant: strengths and grants', () => {
  function adminGrant(t: IdentityTenant) {
    const grant = ensure(t.policies[2], 'admin policy').grantControls;
    if (!grant) throw new Error('no grant');
    return grant;
  }

  it('counts a custom strength that allows only phishing-resistant methods', async () => {
    const t = goldenTenant();
    adminGrant(t).authenticationStrength = { id: CUSTOM_STRENGTH, displayName: 'Admin keys' };
    const r = one(await judgeOne('mfa.admins-phishing-resistant', t), GLOBAL_ADMIN.userPrincipalName);
    expect(r.status, r.message).toBe('pass');
  });

  it('counts the built-in phishing-resistant strength even when the tenant list lacks it', async () => {
    const t = goldenTenant();
    t.strengths = t.strengths.filter((s) => s.policyType !== 'builtIn');
    expect(one(await judgeOne('mfa.admins-phishing-resistant', t), GLOBAL_ADMIN.userPrincipalName).status).toBe('pass');
  });

  it('fails a strength that is not in the tenant list, naming it', async () => {
    const t = goldenTenant();
    adminGrant(t).authenticationStrength = { id: 'ffffffff-0000-4000-8000-000000000009', displayName: 'Gone' };
    const r = one(await judgeOne('mfa.admins-phishing-resistant', t), GLOBAL_ADMIN.userPrincipalName);
    expect(r.status).toBe('fail');
    expect(r.message).toContain(
      "requires authentication strength ffffffff-0000-4000-8000-000000000009, which is not in the tenant's list",
    );
  });

  it('names every weak combination a custom strength also allows, and reads each method of a combination trimmed', async () => {
    const t = goldenTenant();
    const custom = ensure(t.strengths[2], 'custom strength');
    custom.allowedCombinations = ['fido2', 'windowsHelloForBusiness, fido2', 'password,fido2', 'sms'];
    adminGrant(t).authenticationStrength = { id: custom.id, displayName: custom.displayName };
    const r = one(await judgeOne('mfa.admins-phishing-resistant', t), GLOBAL_ADMIN.userPrincipalName);
    expect(r.status).toBe('fail');
    expect(r.message).toContain('strength "Admin keys" also allows password,fido2; sms');
  });

  it('counts a policy that only blocks the holder', async () => {
    const t = goldenTenant();
    const grant = adminGrant(t);
    grant.authenticationStrength = null;
    grant.builtInControls = ['block'];
    const r = one(await judgeOne('mfa.admins-phishing-resistant', t), GLOBAL_ADMIN.userPrincipalName);
    expect(r.status, r.message).toBe('pass');
  });

  it('fails a grant that offers block OR MFA without a strength: it is no block', async () => {
    const t = goldenTenant();
    const grant = adminGrant(t);
    grant.authenticationStrength = null;
    grant.operator = 'OR';
    grant.builtInControls = ['block', 'mfa'];
    const r = one(await judgeOne('mfa.admins-phishing-resistant', t), GLOBAL_ADMIN.userPrincipalName);
    expect(r.status).toBe('fail');
    expect(r.evidence.coveringPolicies).toEqual([]);
  });

  it('names every way round the strength an OR grant offers', async () => {
    const t = goldenTenant();
    const grant = adminGrant(t);
    grant.operator = 'OR';
    grant.builtInControls = ['mfa', 'compliantDevice'];
    const r = one(await judgeOne('mfa.admins-phishing-resistant', t), GLOBAL_ADMIN.userPrincipalName);
    expect(r.message).toContain(
      '"Phishing-resistant MFA for administrators" ORs the strength with mfa, compliantDevice',
    );
  });

  it('a strength policy limited to mobile and desktop clients leaves browsers open', async () => {
    const t = goldenTenant();
    ensure(t.policies[2], 'admin policy').conditions.clientAppTypes = ['mobileAppsAndDesktopClients'];
    const r = one(await judgeOne('mfa.admins-phishing-resistant', t), GLOBAL_ADMIN.userPrincipalName);
    expect(r.status).toBe('fail');
    expect(r.message).toContain('sign-ins from client app type browser');
  });

  it('passes a grant that ORs the strength with a block: either way the holder gets no weaker path', async () => {
    const t = goldenTenant();
    const grant = adminGrant(t);
    grant.operator = 'OR';
    grant.builtInControls = ['block'];
    const r = one(await judgeOne('mfa.admins-phishing-resistant', t), GLOBAL_ADMIN.userPrincipalName);
    expect(r.status, r.message).toBe('pass');
  });

  it('fails a grant that ORs the strength with MFA, naming the way round', async () => {
    const t = goldenTenant();
    const grant = adminGrant(t);
    grant.operator = 'OR';
    grant.builtInControls = ['mfa'];
    const r = one(await judgeOne('mfa.admins-phishing-resistant', t), GLOBAL_ADMIN.userPrincipalName);
    expect(r.status).toBe('fail');
    expect(r.message).toContain('"Phishing-resistant MFA for administrators" ORs the strength with mfa');
  });

  it('reads a policy without grant controls as requiring no strength', async () => {
    const t = goldenTenant();
    const admins = ensure(t.policies[2], 'admin policy');
    t.policies.push({ ...admins, id: 'session-only', displayName: 'Session only', grantControls: null });
    const r = one(await judgeOne('mfa.admins-phishing-resistant', t), GLOBAL_ADMIN.userPrincipalName);
    expect(r.status, r.message).toBe('pass');
  });

  it('names the part left open and why each candidate policy does not count, in one sentence', async () => {
    const t = goldenTenant();
    ensure(t.policies[2], 'admin policy').state = 'disabled';
    const r = one(await judgeOne('mfa.admins-phishing-resistant', t), GLOBAL_ADMIN.userPrincipalName);
    expect(r.message).toBe(
      'Privileged user is not held to phishing-resistant MFA: not covered: sign-ins at user risk other than high, at sign-in risk other than high. "Phishing-resistant MFA for administrators" is disabled.',
    );
  });

  it('a policy that excludes the group the holder acts through does not cover the holder', async () => {
    const t = goldenTenant();
    ensure(ensure(t.policies[2], 'admin policy').conditions.users ?? undefined, 'users').excludeGroups = [ADMIN_GROUP];
    const r = one(await judgeOne('mfa.admins-phishing-resistant', t), GROUP_ADMIN.userPrincipalName);
    expect(r.status, r.message).toBe('fail');
    expect(r.message).toContain(`excludes group "Exchange admins" (${ADMIN_GROUP}), not listed as allowed`);
  });
});

describe('mfa.admins-phishing-resistant: each holder in words', () => {
  it('passes a covered holder, naming the policy, the methods and the roles', async () => {
    const t = goldenTenant();
    const grace = ensure(t.registration[0], 'Grace registration');
    grace.methodsRegistered = ['fido2', 'microsoftAuthenticatorPush', 'windowsHelloForBusiness'];
    const r = one(await judgeOne('mfa.admins-phishing-resistant', t), GLOBAL_ADMIN.userPrincipalName);
    expect(r).toMatchObject({
      status: 'pass',
      message:
        'Covered by "Phishing-resistant MFA for administrators" and has fido2, windowsHelloForBusiness registered.',
    });
    expect(r.evidence).toEqual({
      userId: GLOBAL_ADMIN.id,
      displayName: 'Grace Admin',
      roles: ['Global Administrator'],
      eligibleRoles: [],
      viaGroups: [],
      coveringPolicies: ['Phishing-resistant MFA for administrators'],
      coverage: 'single',
      gaps: [],
      policyProblems: [],
      methodsRegistered: ['fido2', 'microsoftAuthenticatorPush', 'windowsHelloForBusiness'],
      phishingResistantMethods: ['fido2', 'windowsHelloForBusiness'],
    });
  });

  it('names every covering policy of a holder covered by two together', async () => {
    const t = goldenTenant();
    const admins = ensure(t.policies[2], 'admin policy');
    admins.conditions.platforms = { includePlatforms: ['all'], excludePlatforms: ['android'] };
    t.policies.push({
      ...admins,
      id: 'ca-android',
      displayName: 'Phishing-resistant MFA for administrators on Android',
      conditions: { ...admins.conditions, platforms: { includePlatforms: ['android'] } },
    });
    const r = one(await judgeOne('mfa.admins-phishing-resistant', t), GLOBAL_ADMIN.userPrincipalName);
    expect(r.status, r.message).toBe('pass');
    expect(r.message).toBe(
      'Covered by "Phishing-resistant MFA for administrators" and "Phishing-resistant MFA for administrators on Android" and has fido2 registered.',
    );
  });

  it('passes an eligible holder, saying she is eligible', async () => {
    const r = one(await judgeOne('mfa.admins-phishing-resistant', goldenTenant()), 'eve@golden.example');
    expect(r.status).toBe('pass');
    expect(r.message).toBe(
      'Eligible (PIM); covered by "Phishing-resistant MFA for administrators" and has fido2 registered.',
    );
    expect(r.evidence).toMatchObject({ roles: [], eligibleRoles: ['Global Administrator'] });
  });

  it('fails an eligible holder without a strong method, saying she is eligible', async () => {
    const t = goldenTenant();
    ensure(t.registration[4], 'Eve registration').methodsRegistered = ['microsoftAuthenticatorPush'];
    const r = one(await judgeOne('mfa.admins-phishing-resistant', t), 'eve@golden.example');
    expect(r.message).toBe(
      'Eligible privileged user (PIM) is not held to phishing-resistant MFA: no phishing-resistant method is registered.',
    );
  });

  it('names both failures of a holder neither covered nor holding a strong method', async () => {
    const t = goldenTenant();
    ensure(t.policies[2], 'admin policy').state = 'disabled';
    ensure(t.registration[0], 'Grace registration').methodsRegistered = ['microsoftAuthenticatorPush'];
    const r = one(await judgeOne('mfa.admins-phishing-resistant', t), GLOBAL_ADMIN.userPrincipalName);
    expect(r.message).toBe(
      'Privileged user is not held to phishing-resistant MFA: not covered: sign-ins at user risk other than high, at sign-in risk other than high. "Phishing-resistant MFA for administrators" is disabled; no phishing-resistant method is registered.',
    );
  });

  it('fails a covered holder without a strong method, listing no policy problem', async () => {
    const t = goldenTenant();
    ensure(t.registration[0], 'Grace registration').methodsRegistered = ['microsoftAuthenticatorPush'];
    const r = one(await judgeOne('mfa.admins-phishing-resistant', t), GLOBAL_ADMIN.userPrincipalName);
    expect(r.message).toBe(
      'Privileged user is not held to phishing-resistant MFA: no phishing-resistant method is registered.',
    );
    expect(r.evidence).toMatchObject({ policyProblems: [], phishingResistantMethods: [] });
  });

  it('names every problem of a candidate policy and every gap', async () => {
    const t = goldenTenant();
    const admins = ensure(t.policies[2], 'admin policy');
    admins.state = 'enabledForReportingButNotEnforced';
    admins.conditions.platforms = { includePlatforms: ['android', 'iOS'] };
    admins.conditions.clientAppTypes = ['browser'];
    const r = one(await judgeOne('mfa.admins-phishing-resistant', t), GLOBAL_ADMIN.userPrincipalName);
    expect(r.status).toBe('fail');
    expect((r.evidence.policyProblems as string[])[0]).toMatch(/^"Phishing-resistant MFA for administrators" .+; .+/);
    expect((r.evidence.gaps as { description: string }[]).length).toBeGreaterThan(0);
  });

  it('judges a holder of two roles once, with both roles', async () => {
    const t = goldenTenant();
    const first = ensure(t.roleAssignments[0], 'Grace assignment');
    t.roleAssignments.push({ ...first, id: 'ra-3', roleDefinitionId: EXCHANGE_ADMIN_ROLE });
    const r = one(await judgeOne('mfa.admins-phishing-resistant', t), GLOBAL_ADMIN.userPrincipalName);
    expect(r.evidence.roles).toEqual(['Global Administrator', 'Exchange Administrator']);
  });

  it('does not judge a disabled holder', async () => {
    const t = goldenTenant();
    const grace = ensure(t.roleAssignments[0], 'Grace assignment');
    if (!grace.principal) throw new Error('no principal');
    grace.principal.accountEnabled = false;
    const rs = await judgeOne('mfa.admins-phishing-resistant', t);
    expect(rs.map((r) => r.target)).not.toContain(GLOBAL_ADMIN.userPrincipalName);
  });

  it('a policy that excludes the holder does not cover her; one that excludes another user still does', async () => {
    const t = goldenTenant();
    const users = ensure(ensure(t.policies[2], 'admin policy').conditions.users ?? undefined, 'users');
    users.excludeUsers = [GROUP_ADMIN.id];
    expect(one(await judgeOne('mfa.admins-phishing-resistant', t), GLOBAL_ADMIN.userPrincipalName).status).toBe('pass');
    users.excludeUsers = [GLOBAL_ADMIN.id];
    expect(one(await judgeOne('mfa.admins-phishing-resistant', t), GLOBAL_ADMIN.userPrincipalName).status).toBe('fail');
  });
});

describe('mfa.admins-phishing-resistant: who holds a role', () => {
  it('names the unresolved assignments in words and caps them', async () => {
    const t = goldenTenant();
    const first = ensure(t.roleAssignments[0], 'Grace assignment');
    for (let i = 0; i <= EVIDENCE_CAP; i++)
      t.roleAssignments.push({ ...first, id: `ra-x${i}`, principalId: `gone-${i}`, principal: null });
    const rs = await judgeOne('mfa.admins-phishing-resistant', t);
    expect(rs).toHaveLength(1);
    expect(rs[0]?.message).toBe(
      `${EVIDENCE_CAP + 1} privileged role assignments have a principal or group membership that was not read, so their holders are unknown.`,
    );
    expect(rs[0]?.evidence.unresolvedTotal).toBe(EVIDENCE_CAP + 1);
    expect(rs[0]?.evidence.unresolvedPrincipals).toHaveLength(EVIDENCE_CAP);
  });

  it('judges only the user members of a role-assignable group', async () => {
    const t = goldenTenant();
    const group = ensure(t.roleAssignments[1], 'group assignment').principal;
    if (!group?.members) throw new Error('no members');
    group.members = [
      ...group.members,
      { '@odata.type': '#microsoft.graph.servicePrincipal', id: 'sp-1', displayName: 'Automation' },
    ];
    const rs = await judgeOne('mfa.admins-phishing-resistant', t);
    expect(rs.map((r) => r.target).sort()).toEqual([
      'eve@golden.example',
      'grace@golden.example',
      'gus@golden.example',
    ]);
  });

  it('leaves out a service principal holding a role: it signs in with credentials, not MFA', async () => {
    const t = goldenTenant();
    const first = ensure(t.roleAssignments[0], 'Grace assignment');
    t.roleAssignments.push({
      ...first,
      id: 'ra-sp',
      principalId: 'sp-1',
      principal: { '@odata.type': '#microsoft.graph.servicePrincipal', id: 'sp-1', displayName: 'Automation' },
    });
    const rs = await judgeOne('mfa.admins-phishing-resistant', t);
    expect(rs.map((r) => `${r.target} ${r.status}`).sort()).toEqual([
      'eve@golden.example pass',
      'grace@golden.example pass',
      'gus@golden.example pass',
    ]);
  });

  it('a policy that excludes another role the holder holds does not cover her, whatever the order of her assignments', async () => {
    const t = goldenTenant();
    const grace = ensure(t.roleAssignments[0], 'Grace assignment');
    t.roleAssignments.unshift({ ...grace, id: 'ra-helpdesk', roleDefinitionId: HELPDESK_ROLE });
    ensure(ensure(t.policies[2], 'admin policy').conditions.users ?? undefined, 'users').excludeRoles = [HELPDESK_ROLE];
    expect(one(await judgeOne('mfa.admins-phishing-resistant', t), GLOBAL_ADMIN.userPrincipalName).status).toBe('fail');
  });

  it('reads past a non-privileged assignment whose principal was not read', async () => {
    const t = goldenTenant();
    const grace = ensure(t.roleAssignments[0], 'Grace assignment');
    t.roleAssignments.push({
      ...grace,
      id: 'ra-x',
      principalId: 'gone',
      roleDefinitionId: HELPDESK_ROLE,
      principal: null,
    });
    expect(one(await judgeOne('mfa.admins-phishing-resistant', t), GLOBAL_ADMIN.userPrincipalName).status).toBe('pass');
  });

  it('a policy for a role or a group the holder is not known to have does not cover her', async () => {
    for (const users of [
      { includeRoles: [HELPDESK_ROLE], includeGroups: [] },
      { includeRoles: [], includeGroups: [SALES_GROUP] },
    ]) {
      const t = goldenTenant();
      const u = ensure(ensure(t.policies[2], 'admin policy').conditions.users ?? undefined, 'users');
      u.includeRoles = users.includeRoles;
      u.includeGroups = users.includeGroups;
      const r = one(await judgeOne('mfa.admins-phishing-resistant', t), GLOBAL_ADMIN.userPrincipalName);
      expect(r.status, JSON.stringify(users)).toBe('fail');
    }
  });

  it('counts a role both held and eligible as held', async () => {
    const t = goldenTenant();
    const eve = ensure(t.eligibility[0], 'Eve eligibility');
    t.eligibility.push({
      ...eve,
      id: 'rei-grace',
      principalId: GLOBAL_ADMIN.id,
      principal: { ...eve.principal, id: GLOBAL_ADMIN.id } as typeof eve.principal,
    });
    const r = one(await judgeOne('mfa.admins-phishing-resistant', t), GLOBAL_ADMIN.userPrincipalName);
    expect(r.evidence).toMatchObject({ roles: ['Global Administrator'], eligibleRoles: [] });
  });

  it('an eligibility that ends at this very moment can no longer be activated', async () => {
    const t = goldenTenant();
    ensure(t.eligibility[0], 'Eve eligibility').endDateTime = IDENTITY_NOW.toISOString();
    const rs = await judgeOne('mfa.admins-phishing-resistant', t);
    expect(rs.map((r) => r.target)).not.toContain('eve@golden.example');
  });

  it('says eligibility was not read when the tenant has no P2, and when the source is not in the snapshot', async () => {
    const holders = [GLOBAL_ADMIN.id, GROUP_ADMIN.id];
    const t = goldenTenant();
    t.p2 = false;
    const rs = await judgeOne('mfa.admins-phishing-resistant', t, { allowedExclusions: holders });
    // Without P2 the result names the unread source; what the check saw is kept beside it.
    expect(rs[0]?.evidence.seen).toMatchObject({ holders: 2, eligibility: { read: false, instances: 0, ended: 0 } });
    const absent = await judgeOne('mfa.admins-phishing-resistant', goldenTenant(), { allowedExclusions: holders }, [], {
      'graph.roleEligibilityScheduleInstances': undefined,
    });
    expect(absent[0]?.evidence.seen).toMatchObject({
      holders: 2,
      eligibility: { read: false, instances: 0, ended: 0 },
    });
  });
});

describe('mfa.weak-methods: acceptedMethods read strictly', () => {
  /** weakMethods over a tenant with SMS, voice and email on for everyone, with raw parameters. */
  function judgeAccepted(acceptedMethods: Json) {
    const t = goldenTenant();
    for (const c of t.methodsPolicy.authenticationMethodConfigurations) c.state = 'enabled';
    const { policy } = parsePolicy(identityPolicyText(), 'identity-test.json', IDENTITY_NOW);
    const findings = weakMethods({
      snapshot: tenantSnapshot(t),
      params: new ControlParams({ acceptedMethods }),
      context: {
        now: IDENTITY_NOW,
        tenantId: null,
        cloud: 'global',
        clientId: null,
        policy,
        domains: [],
        exceptions: [],
      },
    });
    return findings.map((f) => `${f.target} ${f.status}`);
  }

  it('keeps only complete entries: an object with a method and a reason', () => {
    expect(
      judgeAccepted([
        'Sms',
        null,
        7,
        { method: 'Voice' },
        { method: 7, reason: 'x' },
        { method: 'Sms', reason: 7 },
        { method: 'email', reason: 'guests sign in with a one-time code' },
      ]),
    ).toEqual(['Sms fail', 'Voice fail', 'Email pass']);
  });

  it('reads a value that is not a list as no accepted method', () => {
    expect(judgeAccepted('Sms')).toEqual(['Sms fail', 'Voice fail', 'Email fail']);
  });
});

describe('mfa.weak-methods in words', () => {
  function config(t: IdentityTenant, id: string) {
    return ensure(
      t.methodsPolicy.authenticationMethodConfigurations.find((c) => c.id === id),
      `${id} configuration`,
    );
  }

  it('passes a disabled method naming the migration state, with the evidence as read', async () => {
    const rs = await judgeOne('mfa.weak-methods', goldenTenant());
    const sms = one(rs, 'Sms');
    expect(sms.message).toBe(
      'SMS is disabled in the authentication methods policy (policyMigrationState migrationComplete).',
    );
    expect(sms.evidence).toStrictEqual({
      method: 'Sms',
      policyMigrationState: 'migrationComplete',
      state: 'disabled',
      includeTargets: [{ targetType: 'group', id: 'all_users', isUsableForSignIn: false }],
      excludeTargets: [],
      // The targets the exclusions leave, whatever the state: who it would be on for.
      enabledFor: [{ targetType: 'group', id: 'all_users', isUsableForSignIn: false }],
    });
    expect(one(rs, 'Email').evidence).toStrictEqual({
      method: 'Email',
      policyMigrationState: 'migrationComplete',
      state: 'disabled',
      includeTargets: [{ targetType: 'group', id: 'all_users' }],
      excludeTargets: [],
      enabledFor: [{ targetType: 'group', id: 'all_users' }],
      allowExternalIdToUseEmailOtp: 'default',
    });
  });

  it('a method enabled for a group but excluded for all users is enabled for nobody', async () => {
    const t = goldenTenant();
    const sms = config(t, 'Sms');
    sms.state = 'enabled';
    sms.includeTargets = [{ targetType: 'group', id: SALES_GROUP, isUsableForSignIn: false }];
    sms.excludeTargets = [{ targetType: 'group', id: 'all_users' }];
    expect(one(await judgeOne('mfa.weak-methods', t), 'Sms')).toMatchObject({
      status: 'pass',
      message:
        'SMS is enabled only for targets its exclusions also name in the authentication methods policy (policyMigrationState migrationComplete).',
    });
  });

  it('errs on a method without configuration, and on an unknown state, saying so', async () => {
    const t = goldenTenant();
    t.methodsPolicy.authenticationMethodConfigurations = t.methodsPolicy.authenticationMethodConfigurations.filter(
      (c) => c.id !== 'Voice',
    );
    config(t, 'Sms').state = 'paused';
    const rs = await judgeOne('mfa.weak-methods', t);
    expect(one(rs, 'Voice')).toMatchObject({
      status: 'error',
      message:
        'Voice call has no configuration in the authentication methods policy, so whether it is enabled is unknown.',
    });
    expect(one(rs, 'Sms')).toMatchObject({
      status: 'error',
      message: 'SMS is in state "paused", which mailwarden does not know.',
    });
  });

  it('fails a method enabled for a group, naming it, and passes one the policy accepts, with its reason', async () => {
    const t = goldenTenant();
    const voice = config(t, 'Voice');
    voice.state = 'enabled';
    voice.includeTargets = [
      { targetType: 'group', id: SALES_GROUP },
      { targetType: 'group', id: CONTRACTORS_GROUP },
    ];
    expect(one(await judgeOne('mfa.weak-methods', t), 'Voice')).toMatchObject({
      status: 'fail',
      message: `Voice call is enabled for group ${SALES_GROUP}, group ${CONTRACTORS_GROUP}.`,
    });
    const accepted = one(
      await judgeOne('mfa.weak-methods', t, { acceptedMethods: [{ method: 'Voice', reason: 'field staff' }] }),
      'Voice',
    );
    expect(accepted).toMatchObject({
      status: 'pass',
      message: `Voice call is enabled for group ${SALES_GROUP}, group ${CONTRACTORS_GROUP}; the policy accepts it: field staff`,
    });
  });

  it('raises SMS to critical when any remaining target signs in with the number alone', async () => {
    const t = goldenTenant();
    const sms = config(t, 'Sms');
    sms.state = 'enabled';
    sms.includeTargets = [
      { targetType: 'group', id: SALES_GROUP, isUsableForSignIn: false },
      { targetType: 'group', id: 'all_users', isUsableForSignIn: true },
    ];
    const r = one(await judgeOne('mfa.weak-methods', t), 'Sms');
    expect(r).toMatchObject({
      status: 'fail',
      severity: 'critical',
      message: `SMS is enabled for group ${SALES_GROUP}, all users, and the phone number alone signs in (isUsableForSignIn).`,
    });
  });
});

describe('mfa.weak-methods edges', () => {
  it('reads a configuration without target lists as enabled for no user', async () => {
    const t = goldenTenant();
    const voice = ensure(
      t.methodsPolicy.authenticationMethodConfigurations.find((c) => c.id === 'Voice'),
      'Voice configuration',
    );
    voice.state = 'enabled';
    delete (voice as { includeTargets?: unknown }).includeTargets;
    delete (voice as { excludeTargets?: unknown }).excludeTargets;
    const r = one(await judgeOne('mfa.weak-methods', t), 'Voice');
    expect(r).toMatchObject({
      status: 'pass',
      message:
        'Voice call is enabled for no user (no include target) in the authentication methods policy (policyMigrationState migrationComplete).',
    });
    expect(r.evidence).toMatchObject({ includeTargets: [], excludeTargets: [], enabledFor: [] });
  });

  it('says when the policy does not state its migration state', async () => {
    const t = goldenTenant();
    delete (t.methodsPolicy as { policyMigrationState?: unknown }).policyMigrationState;
    expect(one(await judgeOne('mfa.weak-methods', t), 'Sms').message).toBe(
      'SMS is disabled in the authentication methods policy (policyMigrationState not stated).',
    );
  });
});

describe('legacy-auth.blocked: which policies explain a failure', () => {
  const candidates = (r: Result) => (r.evidence.candidates as { id: string }[]).map((c) => c.id);

  it('names a block of Other clients alone as a candidate, and no policy that leaves the legacy clients aside', async () => {
    const t = goldenTenant();
    ensure(t.policies[1], 'legacy block').conditions.clientAppTypes = ['other'];
    const r = one(await judgeOne('legacy-auth.blocked', t), 'tenant');
    expect(r.status).toBe('fail');
    expect(candidates(r)).toEqual(['ca-0002']);
  });

  it('names a block of Exchange ActiveSync alone as a candidate', async () => {
    const t = goldenTenant();
    ensure(t.policies[1], 'legacy block').conditions.clientAppTypes = ['exchangeActiveSync'];
    const r = one(await judgeOne('legacy-auth.blocked', t), 'tenant');
    expect(r.status).toBe('fail');
    expect(candidates(r)).toEqual(['ca-0002']);
  });
});
