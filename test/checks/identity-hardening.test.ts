import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';
import type { Result } from '../../src/model/result.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import { memorySnapshot } from '../../src/snapshot/snapshot.js';
import {
  ELIGIBLE_ADMIN,
  ELIGIBLE_GROUP,
  EXCHANGE_ADMIN_ROLE,
  GA_ROLE,
  GLOBAL_ADMIN,
  GROUP_ADMIN,
  goldenTenant,
  identityPolicyText,
  type IdentityTenant,
  tenantSnapshot,
  judgeIdentityTenant as results,
  notPassing,
} from '../helpers/identity-tenant.js';

/*
 * mfa.weak-methods and the eligible half of mfa.admins-phishing-resistant over the golden
 * identity tenant: one mutation per case, and the false friends that must stay passes.
 */

const NOW = new Date('2026-11-27T12:00:00Z');

function find(rs: readonly Result[], control: string, target: string): Result {
  const r = rs.find((x) => x.control === control && x.target === target);
  if (!r) throw new Error(`no result for ${control} ${target}`);
  return r;
}

function method(t: IdentityTenant, id: string) {
  const config = t.methodsPolicy.authenticationMethodConfigurations.find((c) => c.id === id);
  if (!config) throw new Error(`no ${id}`);
  return config;
}

describe('mfa.weak-methods over the golden tenant', () => {
  it('judges SMS, voice and email one result each, all passing when disabled, naming what was read', async () => {
    const rs = (await results(goldenTenant())).filter((r) => r.control === 'mfa.weak-methods');
    expect(rs.map((r) => `${r.target} ${r.status}`)).toEqual(['Email pass', 'Sms pass', 'Voice pass']);
    expect(find(rs, 'mfa.weak-methods', 'Sms').evidence).toMatchObject({
      state: 'disabled',
      policyMigrationState: 'migrationComplete',
      enabledFor: [{ targetType: 'group', id: 'all_users' }],
    });
  });

  it('SMS enabled for all users fails, with the target', async () => {
    const t = goldenTenant();
    method(t, 'Sms').state = 'enabled';
    const rs = await results(t);
    expect(notPassing(rs)).toEqual(['mfa.weak-methods Sms fail']);
    expect(find(rs, 'mfa.weak-methods', 'Sms')).toMatchObject({
      severity: 'high',
      evidence: {
        enabledFor: [{ targetType: 'group', id: 'all_users', isUsableForSignIn: false }],
        usableForSignIn: false,
      },
    });
  });

  it('SMS usable for sign-in is raised to critical', async () => {
    const t = goldenTenant();
    method(t, 'Sms').state = 'enabled';
    method(t, 'Sms').includeTargets = [{ targetType: 'group', id: 'all_users', isUsableForSignIn: true }];
    const r = find(await results(t), 'mfa.weak-methods', 'Sms');
    expect(r).toMatchObject({ status: 'fail', severity: 'critical', evidence: { usableForSignIn: true } });
  });

  it('voice enabled for one group fails naming the group; email enabled for everyone but one group still fails', async () => {
    const t = goldenTenant();
    method(t, 'Voice').state = 'enabled';
    method(t, 'Voice').includeTargets = [{ targetType: 'group', id: ELIGIBLE_GROUP }];
    method(t, 'Email').state = 'enabled';
    method(t, 'Email').excludeTargets = [{ targetType: 'group', id: ELIGIBLE_GROUP }];
    const rs = await results(t);
    expect(notPassing(rs)).toEqual(['mfa.weak-methods Email fail', 'mfa.weak-methods Voice fail']);
    expect(find(rs, 'mfa.weak-methods', 'Voice').evidence).toMatchObject({
      enabledFor: [{ targetType: 'group', id: ELIGIBLE_GROUP }],
    });
    expect(find(rs, 'mfa.weak-methods', 'Email').evidence).toMatchObject({
      enabledFor: [{ targetType: 'group', id: 'all_users' }],
      excludeTargets: [{ targetType: 'group', id: ELIGIBLE_GROUP }],
    });
  });

  it('false friend: SMS enabled only for a group its exclusions also name is enabled for nobody', async () => {
    const t = goldenTenant();
    method(t, 'Sms').state = 'enabled';
    method(t, 'Sms').includeTargets = [{ targetType: 'group', id: ELIGIBLE_GROUP }];
    method(t, 'Sms').excludeTargets = [{ targetType: 'group', id: ELIGIBLE_GROUP.toUpperCase() }];
    const rs = await results(t);
    expect(notPassing(rs)).toEqual([]);
    expect(find(rs, 'mfa.weak-methods', 'Sms')).toMatchObject({ status: 'pass', evidence: { enabledFor: [] } });
    expect(find(rs, 'mfa.weak-methods', 'Sms').message).toMatch(/exclusions also name/);
  });

  it('an enabled method with no include target, or all users excluded, passes', async () => {
    const t = goldenTenant();
    method(t, 'Email').state = 'enabled';
    method(t, 'Email').includeTargets = [];
    method(t, 'Voice').state = 'enabled';
    method(t, 'Voice').excludeTargets = [{ targetType: 'group', id: 'all_users' }];
    expect(notPassing(await results(t))).toEqual([]);
  });

  it('a method the policy accepts with a reason passes, showing the reason', async () => {
    const t = goldenTenant();
    method(t, 'Sms').state = 'enabled';
    const rs = await results(t, {
      'mfa.weak-methods': { acceptedMethods: [{ method: 'Sms', reason: 'Field staff without smartphones, until Q3' }] },
    });
    expect(notPassing(rs)).toEqual([]);
    expect(find(rs, 'mfa.weak-methods', 'Sms').evidence).toMatchObject({
      accepted: { reason: 'Field staff without smartphones, until Q3' },
    });
    // Accepting SMS does not accept voice.
    method(t, 'Voice').state = 'enabled';
    expect(
      notPassing(
        await results(t, { 'mfa.weak-methods': { acceptedMethods: [{ method: 'Sms', reason: 'Field staff' }] } }),
      ),
    ).toEqual(['mfa.weak-methods Voice fail']);
  });

  it('a method missing from the policy, or in an unknown state, is an error, never a pass', async () => {
    const t = goldenTenant();
    t.methodsPolicy.authenticationMethodConfigurations = t.methodsPolicy.authenticationMethodConfigurations.filter(
      (c) => c.id !== 'Voice',
    );
    method(t, 'Email').state = 'enabledSomeday';
    expect(notPassing(await results(t))).toEqual(['mfa.weak-methods Email error', 'mfa.weak-methods Voice error']);
  });

  it('before the migration from the legacy policies, a disabled method is an error and an enabled one still fails', async () => {
    const t = goldenTenant();
    t.methodsPolicy.policyMigrationState = 'migrationInProgress';
    method(t, 'Sms').state = 'enabled';
    const rs = await results(t);
    expect(notPassing(rs)).toEqual([
      'mfa.weak-methods Email error',
      'mfa.weak-methods Sms fail',
      'mfa.weak-methods Voice error',
    ]);
    expect(find(rs, 'mfa.weak-methods', 'Voice').message).toMatch(/migrationInProgress/);
  });

  it('a source that could not be read gives not_evaluable naming the permission', async () => {
    const t = goldenTenant();
    const snapshot = tenantSnapshot(t);
    const manifest = {
      ...snapshot.manifest,
      sources: {
        ...snapshot.manifest.sources,
        'graph.authenticationMethodsPolicy': {
          status: 'not_permitted' as const,
          permission: 'Policy.Read.AuthenticationMethod',
          reason: 'Authorization_RequestDenied',
        },
      },
    };
    const { policy } = parsePolicy(identityPolicyText(), 'identity-test.json', NOW);
    const rs = (
      await evaluate(memorySnapshot(manifest, { ...dataOf(t) }), policy, { now: NOW, domains: [] })
    ).results.filter((r) => r.control === 'mfa.weak-methods');
    expect(rs).toMatchObject([
      { target: 'tenant', status: 'not_evaluable', evidence: { permission: 'Policy.Read.AuthenticationMethod' } },
    ]);
  });
});

/** The golden tenant's data, for a snapshot with another manifest. */
function dataOf(t: IdentityTenant) {
  return {
    'graph.users': t.users,
    'graph.userRegistrationDetails': t.registration,
    'graph.conditionalAccessPolicies': t.policies,
    'graph.securityDefaults': t.securityDefaults,
    'graph.authenticationStrengthPolicies': t.strengths,
    'graph.roleAssignments': t.roleAssignments,
    'graph.roleEligibilityScheduleInstances': t.eligibility,
    'graph.authenticationMethodsPolicy': t.methodsPolicy,
    'graph.domains': t.domains,
    'graph.groups': t.groups,
    'graph.roleDefinitions': t.roleDefinitions,
    'graph.namedLocations': t.namedLocations,
    'graph.riskyUsers': t.riskyUsers,
  };
}

describe('mfa.admins-phishing-resistant: eligible (PIM) holders', () => {
  it('false friend: an eligible Global Administrator with FIDO2, covered once she activates, passes', async () => {
    const rs = await results(goldenTenant());
    expect(notPassing(rs)).toEqual([]);
    expect(find(rs, 'mfa.admins-phishing-resistant', ELIGIBLE_ADMIN.userPrincipalName)).toMatchObject({
      status: 'pass',
      evidence: { roles: [], eligibleRoles: ['Global Administrator'], phishingResistantMethods: ['fido2'] },
    });
  });

  it('an eligible Global Administrator without a phishing-resistant method fails', async () => {
    const t = goldenTenant();
    const eve = t.registration.find((r) => r.id === ELIGIBLE_ADMIN.id);
    if (!eve) throw new Error('no registration for Eve');
    eve.methodsRegistered = ['microsoftAuthenticatorPush', 'mobilePhone'];
    const rs = await results(t);
    expect(notPassing(rs)).toEqual([`mfa.admins-phishing-resistant ${ELIGIBLE_ADMIN.userPrincipalName} fail`]);
    const r = find(rs, 'mfa.admins-phishing-resistant', ELIGIBLE_ADMIN.userPrincipalName);
    expect(r.message).toMatch(/^Eligible privileged user \(PIM\)/);
    expect(r.evidence).toMatchObject({ eligibleRoles: ['Global Administrator'], phishingResistantMethods: [] });
  });

  it('members of a group eligible for a privileged role are judged; a member with no strong method fails', async () => {
    const t = goldenTenant();
    const una = t.users[2];
    if (!una) throw new Error('no Una');
    t.eligibility.push({
      id: 'rei-group',
      principalId: ELIGIBLE_GROUP,
      roleDefinitionId: EXCHANGE_ADMIN_ROLE,
      directoryScopeId: '/',
      startDateTime: '2026-10-01T00:00:00Z',
      endDateTime: '2027-10-01T00:00:00Z',
      memberType: 'Direct',
      principal: {
        '@odata.type': '#microsoft.graph.group',
        id: ELIGIBLE_GROUP,
        displayName: 'Exchange on call',
        members: [
          {
            '@odata.type': '#microsoft.graph.user',
            id: una.id,
            userPrincipalName: una.userPrincipalName,
            displayName: una.displayName,
            accountEnabled: true,
          },
        ],
      },
    });
    const rs = await results(t);
    expect(notPassing(rs)).toEqual([`mfa.admins-phishing-resistant ${una.userPrincipalName} fail`]);
    expect(find(rs, 'mfa.admins-phishing-resistant', una.userPrincipalName).evidence).toMatchObject({
      eligibleRoles: ['Exchange Administrator'],
      viaGroups: [ELIGIBLE_GROUP],
    });
  });

  it('an eligibility that has ended, or for a role that is not privileged, is not judged', async () => {
    const t = goldenTenant();
    const eve = t.registration.find((r) => r.id === ELIGIBLE_ADMIN.id);
    if (!eve) throw new Error('no registration for Eve');
    eve.methodsRegistered = ['microsoftAuthenticatorPush'];
    const instance = t.eligibility[0];
    if (!instance) throw new Error('no eligibility');
    instance.endDateTime = '2026-11-27T11:59:00Z';
    let rs = await results(t);
    expect(notPassing(rs)).toEqual([]);
    expect(rs.some((r) => r.target === ELIGIBLE_ADMIN.userPrincipalName)).toBe(false);
    instance.endDateTime = null;
    instance.roleDefinitionId = '88d8e3e3-8f55-4a1e-953a-9b9898b8876b'; // Directory Readers
    rs = await results(t);
    expect(notPassing(rs)).toEqual([]);
    // The same eligibility ending in an hour still counts.
    instance.roleDefinitionId = GA_ROLE;
    instance.endDateTime = '2026-11-27T13:00:00Z';
    expect(notPassing(await results(t))).toEqual([
      `mfa.admins-phishing-resistant ${ELIGIBLE_ADMIN.userPrincipalName} fail`,
    ]);
  });

  it('an eligible holder is judged on the policies as if the role were active: a policy naming only the active holder leaves her out', async () => {
    const t = goldenTenant();
    const prPolicy = t.policies[2];
    if (!prPolicy?.conditions.users) throw new Error('no admin policy');
    prPolicy.conditions.users.includeRoles = [];
    prPolicy.conditions.users.includeUsers = [GLOBAL_ADMIN.id, GROUP_ADMIN.id];
    const rs = await results(t);
    expect(notPassing(rs)).toEqual([`mfa.admins-phishing-resistant ${ELIGIBLE_ADMIN.userPrincipalName} fail`]);
  });

  it('without P2 the eligible part is not_evaluable naming the licence, and active holders are still judged', async () => {
    const t = goldenTenant();
    t.p2 = false;
    const glory = t.registration[0];
    if (!glory) throw new Error('no registration');
    glory.methodsRegistered = ['sms'];
    const rs = (await results(t)).filter((r) => r.control === 'mfa.admins-phishing-resistant');
    expect(rs.map((r) => `${r.target} ${r.status}`).sort()).toEqual([
      `${GLOBAL_ADMIN.userPrincipalName} fail`,
      `${GROUP_ADMIN.userPrincipalName} pass`,
      'tenant not_evaluable',
    ]);
    expect(find(rs, 'mfa.admins-phishing-resistant', 'tenant').evidence).toMatchObject({
      unreadSources: [
        { source: 'graph.roleEligibilityScheduleInstances', status: 'not_licensed', licence: 'entra-id-p2' },
      ],
    });
  });

  it('a missing permission for eligibility names it; a failed read is an error', async () => {
    const t = goldenTenant();
    const snapshot = tenantSnapshot(t);
    const { policy } = parsePolicy(identityPolicyText(), 'identity-test.json', NOW);
    const run = async (status: object) => {
      const manifest = {
        ...snapshot.manifest,
        sources: { ...snapshot.manifest.sources, 'graph.roleEligibilityScheduleInstances': status },
      } as typeof snapshot.manifest;
      return (await evaluate(memorySnapshot(manifest, { ...dataOf(t) }), policy, { now: NOW, domains: [] })).results;
    };
    const denied = await run({
      status: 'not_permitted',
      permission: 'RoleEligibilitySchedule.Read.Directory, GroupMember.Read.All',
      reason: 'denied',
    });
    expect(find(denied, 'mfa.admins-phishing-resistant', 'tenant')).toMatchObject({
      status: 'not_evaluable',
      evidence: {
        unreadSources: [
          {
            source: 'graph.roleEligibilityScheduleInstances',
            status: 'not_permitted',
            permission: 'RoleEligibilitySchedule.Read.Directory, GroupMember.Read.All',
          },
        ],
      },
    });
    expect(find(denied, 'mfa.admins-phishing-resistant', GLOBAL_ADMIN.userPrincipalName).status).toBe('pass');
    const failed = await run({ status: 'failed', reason: 'HTTP 500' });
    expect(find(failed, 'mfa.admins-phishing-resistant', 'tenant').status).toBe('error');
  });

  it('an eligible group whose members were not read makes the holders unknown: error', async () => {
    const t = goldenTenant();
    t.eligibility.push({
      id: 'rei-unread',
      principalId: ELIGIBLE_GROUP,
      roleDefinitionId: GA_ROLE,
      principal: { '@odata.type': '#microsoft.graph.group', id: ELIGIBLE_GROUP, displayName: 'Tier 0 (eligible)' },
    });
    expect(notPassing(await results(t))).toEqual(['mfa.admins-phishing-resistant tenant error']);
  });
});
