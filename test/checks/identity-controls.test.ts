import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/result.js';
import {
  ADMIN_GROUP,
  CUSTOM_STRENGTH,
  ELIGIBLE_ADMIN,
  GLOBAL_ADMIN,
  GROUP_ADMIN,
  goldenTenant,
  judgeIdentityTenant as results,
} from '../helpers/identity-tenant.js';

function notPassing(rs: readonly Result[]) {
  return rs.filter((r) => r.status !== 'pass').map((r) => ({ control: r.control, target: r.target, status: r.status }));
}

function find(rs: readonly Result[], control: string, target = 'tenant'): Result {
  const r = rs.find((x) => x.control === control && x.target === target);
  if (!r) throw new Error(`no result for ${control} ${target}`);
  return r;
}

describe('identity controls over the golden tenant (pure checks)', () => {
  it("passes every identity control at today's clock too, not only at the pinned one", async () => {
    // The golden tenant's dates (registrations, eligibility windows, risk detections) must not rot
    // into findings as the calendar moves on; the other tests here pin the clock.
    expect(notPassing(await results(goldenTenant(), {}, new Date()))).toEqual([]);
  });

  it('passes every identity control on the golden tenant', async () => {
    const rs = await results(goldenTenant());
    expect(notPassing(rs)).toEqual([]);
    expect(
      rs
        .filter((r) => r.control === 'mfa.admins-phishing-resistant')
        .map((r) => r.target)
        .sort(),
    ).toEqual([ELIGIBLE_ADMIN.userPrincipalName, GLOBAL_ADMIN.userPrincipalName, GROUP_ADMIN.userPrincipalName]);
  });

  it('a report-only MFA policy does not count', async () => {
    const t = goldenTenant();
    t.policies[0]!.state = 'enabledForReportingButNotEnforced';
    const rs = await results(t);
    expect(notPassing(rs)).toEqual([{ control: 'mfa.enforcement', target: 'tenant', status: 'fail' }]);
    expect(find(rs, 'mfa.enforcement').evidence).toMatchObject({
      candidates: expect.arrayContaining([
        expect.objectContaining({ id: 'ca-0001', problems: [expect.stringMatching(/report-only/)] }),
      ]),
    });
  });

  it('an excluded group fails MFA enforcement unless the policy lists it in allowedExclusions', async () => {
    const t = goldenTenant();
    t.policies[0]!.conditions.users = {
      ...t.policies[0]!.conditions.users,
      excludeGroups: ['c0ffee00-0000-4000-8000-000000000001'],
    };
    expect(notPassing(await results(t))).toEqual([{ control: 'mfa.enforcement', target: 'tenant', status: 'fail' }]);
    const allowed = await results(t, {
      'mfa.enforcement': { allowedExclusions: ['C0FFEE00-0000-4000-8000-000000000001'] },
    });
    expect(notPassing(allowed)).toEqual([]);
  });

  it('a grant that ORs MFA with a compliant device fails, naming the weaker control', async () => {
    const t = goldenTenant();
    t.policies[0]!.grantControls = {
      operator: 'OR',
      builtInControls: ['mfa', 'compliantDevice'],
      authenticationStrength: null,
    };
    const rs = await results(t);
    expect(notPassing(rs)).toEqual([{ control: 'mfa.enforcement', target: 'tenant', status: 'fail' }]);
    expect(find(rs, 'mfa.enforcement').evidence).toMatchObject({
      candidates: expect.arrayContaining([
        expect.objectContaining({ id: 'ca-0001', problems: [expect.stringContaining('compliantDevice')] }),
      ]),
    });
  });

  it('an admin who holds a role only through a group is judged, and fails when the policy covers only direct holders', async () => {
    const t = goldenTenant();
    t.policies[2]!.conditions.users = {
      ...t.policies[2]!.conditions.users,
      includeRoles: [],
      includeUsers: [GLOBAL_ADMIN.id],
    };
    const rs = await results(t);
    // Eve, eligible for Global Administrator, is no longer covered either once the role is not named.
    expect(notPassing(rs)).toEqual([
      { control: 'mfa.admins-phishing-resistant', target: ELIGIBLE_ADMIN.userPrincipalName, status: 'fail' },
      { control: 'mfa.admins-phishing-resistant', target: GROUP_ADMIN.userPrincipalName, status: 'fail' },
    ]);
    expect(find(rs, 'mfa.admins-phishing-resistant', GROUP_ADMIN.userPrincipalName).evidence).toMatchObject({
      viaGroups: [ADMIN_GROUP],
      coveringPolicies: [],
    });
  });

  it('a custom strength that also allows SMS is not phishing-resistant', async () => {
    const t = goldenTenant();
    t.policies[2]!.grantControls = {
      operator: 'AND',
      builtInControls: [],
      authenticationStrength: { id: CUSTOM_STRENGTH, displayName: 'Admin keys' },
    };
    expect(notPassing(await results(t))).toEqual([]);
    t.strengths[2]!.allowedCombinations = ['fido2', 'password,sms'];
    const rs = await results(t);
    expect(notPassing(rs).map((r) => r.control)).toEqual([
      'mfa.admins-phishing-resistant',
      'mfa.admins-phishing-resistant',
      'mfa.admins-phishing-resistant',
    ]);
    expect(
      JSON.stringify(find(rs, 'mfa.admins-phishing-resistant', GLOBAL_ADMIN.userPrincipalName).evidence),
    ).toContain('password,sms');
  });

  it('an admin without a phishing-resistant method registered fails', async () => {
    const t = goldenTenant();
    t.registration[0]!.methodsRegistered = ['microsoftAuthenticatorPush', 'sms'];
    expect(notPassing(await results(t))).toEqual([
      { control: 'mfa.admins-phishing-resistant', target: GLOBAL_ADMIN.userPrincipalName, status: 'fail' },
    ]);
  });

  it('security defaults on pass MFA enforcement and legacy-auth blocking without any CA policy', async () => {
    const t = goldenTenant();
    t.securityDefaults.isEnabled = true;
    t.policies = t.policies.filter((p) => ['ca-0003', 'ca-0004', 'ca-0005', 'ca-0006'].includes(p.id));
    expect(notPassing(await results(t))).toEqual([]);
    t.securityDefaults.isEnabled = false;
    expect(
      notPassing(await results(t))
        .map((r) => r.control)
        .sort(),
    ).toEqual(['legacy-auth.blocked', 'mfa.enforcement']);
  });

  it('legacy auth: a policy missing the "other" client type or excluding an app fails', async () => {
    const t = goldenTenant();
    t.policies[1]!.conditions.clientAppTypes = ['exchangeActiveSync'];
    expect(notPassing(await results(t))).toEqual([
      { control: 'legacy-auth.blocked', target: 'tenant', status: 'fail' },
    ]);
  });

  it('risk policies: without Entra ID P2 the control is not evaluable; a missing sign-in risk block fails', async () => {
    const t = goldenTenant();
    t.p2 = false;
    expect(notPassing(await results(t))).toEqual([
      // Without P2 the eligible admins cannot be read either (PIM); the active ones still pass.
      { control: 'mfa.admins-phishing-resistant', target: 'tenant', status: 'not_evaluable' },
      { control: 'sign-ins.risk-policies', target: 'tenant', status: 'not_evaluable' },
    ]);
    const u = goldenTenant();
    u.policies = u.policies.filter((p) => p.id !== 'ca-0005');
    expect(notPassing(await results(u))).toEqual([
      { control: 'sign-ins.risk-policies', target: 'tenant', status: 'fail' },
    ]);
  });

  it('an unknown policy state is tolerated and simply not enforced', async () => {
    const t = goldenTenant();
    t.policies[0]!.state = 'someFutureState';
    expect(notPassing(await results(t))).toEqual([{ control: 'mfa.enforcement', target: 'tenant', status: 'fail' }]);
  });
});
