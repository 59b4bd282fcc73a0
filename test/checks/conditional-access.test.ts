import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors.js';
import { evaluate } from '../../src/evaluate/evaluate.js';
import type { Result } from '../../src/model/result.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import { memorySnapshot } from '../../src/snapshot/snapshot.js';
import {
  BREAK_GLASS_GROUP,
  BREAK_GLASS_SITE,
  CONTRACTORS_GROUP,
  GA_ROLE,
  goldenTenant,
  HEAD_OFFICE,
  identityPolicyText,
  type IdentityTenant,
  SALES_GROUP,
  tenantSnapshot,
  judgeIdentityTenant as results,
  notPassing,
} from '../helpers/identity-tenant.js';

/*
 * Conditional Access read as Entra applies it. Each test starts from the golden tenant (every
 * identity control passes), changes one thing, and expects exactly the finding it causes, with
 * evidence naming the condition.
 */

const NOW = new Date('2026-11-27T12:00:00Z');
type Policy = IdentityTenant['policies'][number];

function find(rs: readonly Result[], control: string): Result {
  const r = rs.find((x) => x.control === control && x.target === 'tenant');
  if (!r) throw new Error(`no result for ${control}`);
  return r;
}

/** The problems evidence gives for one policy of a control. */
function problemsOf(r: Result, policyId: string): string[] {
  const candidates = (r.evidence.candidates ?? []) as { id: string; problems: string[] }[];
  const found = candidates.find((c) => c.id === policyId);
  if (!found) throw new Error(`${policyId} is not among the candidates of ${r.control}: ${JSON.stringify(r.evidence)}`);
  return found.problems;
}

const HELPDESK_ROLE = '729827e3-9c14-49f7-bb1b-9608f156bbb8';

function gapsOf(r: Result): { description: string; where: Record<string, string[]> }[] {
  return r.evidence.gaps as { description: string; where: Record<string, string[]> }[];
}

const mfaPolicy = (t: IdentityTenant): Policy => t.policies[0] as Policy;
const legacyPolicy = (t: IdentityTenant): Policy => t.policies[1] as Policy;

/** One mutation of the MFA policy's conditions: mfa.enforcement alone fails, naming the condition. */
async function expectMfaNarrowedBy(mutate: (p: Policy, t: IdentityTenant) => void, words: RegExp): Promise<Result> {
  const t = goldenTenant();
  mutate(mfaPolicy(t), t);
  const rs = await results(t);
  expect(notPassing(rs)).toEqual(['mfa.enforcement tenant fail']);
  const r = find(rs, 'mfa.enforcement');
  expect(problemsOf(r, 'ca-0001')).toEqual([expect.stringMatching(words)]);
  expect((r.evidence.gaps as string[]).length).toBeGreaterThan(0);
  expect(r.message).toMatch(/Not covered: /);
  return r;
}

describe('mfa.enforcement: each narrowing condition turns a pass into a fail', () => {
  it('the golden tenant passes, its MFA policy alone, with what was read in the evidence', async () => {
    const r = find(await results(goldenTenant()), 'mfa.enforcement');
    expect(r.status).toBe('pass');
    expect(r.evidence).toMatchObject({
      coverage: 'single',
      satisfiedBy: [{ id: 'ca-0001', displayName: 'Require MFA for all users' }],
      gaps: [],
      policiesRead: 6,
      names: { groups: 'read', roles: 'read', namedLocations: 'read' },
    });
  });

  it('platforms: a policy limited to Android fails, naming the platforms left uncovered', async () => {
    const r = await expectMfaNarrowedBy((p) => {
      p.conditions.platforms = { includePlatforms: ['android'], excludePlatforms: [] };
    }, /^conditions\.platforms includes only android$/);
    expect(gapsOf(r)).toMatchObject([
      { where: { platform: ['iOS', 'windows', 'windowsPhone', 'macOS', 'linux', 'unrecognised'] } },
    ]);
    expect(gapsOf(r)[0]?.description).toMatch(/^sign-ins on every platform other than android/);
  });

  it('platforms: All platforms but one excluded fails', async () => {
    await expectMfaNarrowedBy((p) => {
      p.conditions.platforms = { includePlatforms: ['all'], excludePlatforms: ['macOS'] };
    }, /^conditions\.platforms excludes macOS$/);
  });

  it('locations: excluding AllTrusted fails, naming the trusted locations', async () => {
    const r = await expectMfaNarrowedBy((p) => {
      p.conditions.locations = { includeLocations: ['All'], excludeLocations: ['AllTrusted'] };
    }, /^conditions\.locations excludes AllTrusted/);
    expect(gapsOf(r)).toMatchObject([{ where: { trusted: ['in'] } }]);
    expect(gapsOf(r)[0]?.description).toContain('from trusted locations (AllTrusted)');
  });

  it('locations: excluding a named location names it by display name and ID', async () => {
    const r = await expectMfaNarrowedBy((p) => {
      p.conditions.locations = { includeLocations: ['All'], excludeLocations: [BREAK_GLASS_SITE] };
    }, /^conditions\.locations excludes named location "Break-glass site" \(0c1d2e3f-1111-4a5b-8c7d-00000000b002\)$/);
    expect(gapsOf(r)).toMatchObject([{ where: { [`location:${BREAK_GLASS_SITE}`]: ['in'] } }]);
    expect(gapsOf(r)[0]?.description).toContain(`from named location "Break-glass site" (${BREAK_GLASS_SITE})`);
  });

  it('locations: a policy that applies only at the trusted head office fails', async () => {
    await expectMfaNarrowedBy((p) => {
      p.conditions.locations = { includeLocations: [HEAD_OFFICE], excludeLocations: [] };
    }, /^conditions\.locations includes only trusted named location "Head office"/);
  });

  it('users: an excluded group is named by display name and ID', async () => {
    const r = await expectMfaNarrowedBy((p) => {
      p.conditions.users = { ...p.conditions.users, excludeGroups: [CONTRACTORS_GROUP] };
    }, /^conditions\.users excludes group "Contractors" \(5b0c6a1e-2222-4d3c-9e8f-000000000a03\), not listed as allowed$/);
    expect(gapsOf(r)).toMatchObject([{ where: { [`group:${CONTRACTORS_GROUP}`]: ['in'] } }]);
    expect(gapsOf(r)[0]?.description).toContain(`for members of group "Contractors" (${CONTRACTORS_GROUP})`);
  });

  it('users: a policy for one group instead of All users fails', async () => {
    await expectMfaNarrowedBy((p) => {
      p.conditions.users = { ...p.conditions.users, includeUsers: [], includeGroups: [SALES_GROUP] };
    }, /^conditions\.users includes only group "Sales" .* instead of All users$/);
  });

  it('users: an excluded role is named', async () => {
    await expectMfaNarrowedBy((p) => {
      p.conditions.users = { ...p.conditions.users, excludeRoles: [HELPDESK_ROLE] };
    }, /^conditions\.users excludes role "Helpdesk Administrator" \(729827e3/);
  });

  it('users: a policy that includes and excludes the same group applies to no one, even with the group allowed', async () => {
    const t = goldenTenant();
    mfaPolicy(t).conditions.users = {
      includeUsers: [],
      includeGroups: [BREAK_GLASS_GROUP],
      excludeGroups: [BREAK_GLASS_GROUP],
    };
    const rs = await results(t, { 'mfa.enforcement': { allowedExclusions: [BREAK_GLASS_GROUP] } });
    expect(notPassing(rs)).toEqual(['mfa.enforcement tenant fail']);
    expect(problemsOf(find(rs, 'mfa.enforcement'), 'ca-0001')).toEqual([
      `conditions.users includes only group "Break-glass accounts" (${BREAK_GLASS_GROUP}) instead of All users`,
    ]);
  });

  it('users: excluding a role that another policy holds to MFA is covered by the two together', async () => {
    const t = goldenTenant();
    mfaPolicy(t).conditions.users = { ...mfaPolicy(t).conditions.users, excludeRoles: [GA_ROLE] };
    const r = find(await results(t), 'mfa.enforcement');
    expect(r.status).toBe('pass');
    expect(r.evidence).toMatchObject({ coverage: 'set', satisfiedBy: [{ id: 'ca-0001' }, { id: 'ca-0003' }] });
  });

  it('guests: excluding a guest type fails', async () => {
    await expectMfaNarrowedBy((p) => {
      p.conditions.users = {
        ...p.conditions.users,
        excludeGuestsOrExternalUsers: {
          guestOrExternalUserTypes: 'b2bCollaborationGuest,serviceProvider',
          externalTenants: { membershipKind: 'all' },
        },
      };
    }, /^conditions\.users excludes guests or external users of type b2bCollaborationGuest, guests or external users of type serviceProvider/);
  });

  it('guests: a policy for guests only fails', async () => {
    await expectMfaNarrowedBy((p) => {
      p.conditions.users = {
        ...p.conditions.users,
        includeUsers: [],
        includeGuestsOrExternalUsers: {
          guestOrExternalUserTypes: 'internalGuest',
          externalTenants: { membershipKind: 'enumerated', members: ['tenant-b'] },
        },
      };
    }, /^conditions\.users includes only guests or external users of type internalGuest from tenants tenant-b/);
  });

  it('applications: Office 365 only, an excluded app, user actions and authentication context each fail', async () => {
    await expectMfaNarrowedBy((p) => {
      p.conditions.applications = { includeApplications: ['Office365'], excludeApplications: [] };
    }, /^conditions\.applications targets only office365 instead of All cloud apps$/);
    await expectMfaNarrowedBy((p) => {
      p.conditions.applications = {
        includeApplications: ['All'],
        excludeApplications: ['00000002-0000-0ff1-ce00-000000000000'],
      };
    }, /^conditions\.applications excludes applications 00000002-0000-0ff1-ce00-000000000000$/);
    await expectMfaNarrowedBy((p) => {
      p.conditions.applications = { includeApplications: [], includeUserActions: ['urn:user:registersecurityinfo'] };
    }, /^conditions\.applications targets user actions urn:user:registersecurityinfo instead of cloud apps$/);
    await expectMfaNarrowedBy((p) => {
      p.conditions.applications = {
        includeApplications: ['All'],
        includeAuthenticationContextClassReferences: ['c1'],
      };
    }, /^conditions\.applications targets authentication context c1/);
    await expectMfaNarrowedBy((p) => {
      p.conditions.applications = {
        includeApplications: ['All'],
        applicationFilter: { mode: 'exclude', rule: 'CustomSecurityAttribute.Team -eq "Legacy"' },
      };
    }, /^conditions\.applications leaves out apps matching the filter CustomSecurityAttribute\.Team -eq "Legacy"$/);
  });

  it('clientAppTypes: browser only fails', async () => {
    await expectMfaNarrowedBy((p) => {
      p.conditions.clientAppTypes = ['browser'];
    }, /^conditions\.clientAppTypes covers only browser$/);
  });

  it('devices: a device filter fails, naming the rule', async () => {
    await expectMfaNarrowedBy((p) => {
      p.conditions.devices = { deviceFilter: { mode: 'exclude', rule: 'device.extensionAttribute1 -eq "SAW"' } };
    }, /^conditions\.devices\.deviceFilter leaves out devices matching device\.extensionAttribute1 -eq "SAW"$/);
  });

  it('authenticationFlows: a flow-scoped policy never counts as tenant-wide', async () => {
    const t = goldenTenant();
    mfaPolicy(t).conditions.authenticationFlows = { transferMethods: 'deviceCodeFlow,authenticationTransfer' };
    const rs = await results(t);
    expect(notPassing(rs)).toEqual(['mfa.enforcement tenant fail']);
    expect(problemsOf(find(rs, 'mfa.enforcement'), 'ca-0001')).toEqual([
      'applies only to the authentication flows deviceCodeFlow, authenticationTransfer, so it never counts as a tenant-wide policy',
      'conditions.authenticationFlows applies only to deviceCodeFlow, authenticationTransfer',
    ]);
  });

  it('risk levels: user, sign-in, insider and service-principal risk each narrow an MFA-for-all policy', async () => {
    await expectMfaNarrowedBy((p) => {
      p.conditions.userRiskLevels = ['high'];
    }, /^conditions\.userRiskLevels applies only at user risk high$/);
    await expectMfaNarrowedBy((p) => {
      p.conditions.signInRiskLevels = ['medium', 'high'];
    }, /^conditions\.signInRiskLevels applies only at sign-in risk medium, high$/);
    await expectMfaNarrowedBy((p) => {
      p.conditions.insiderRiskLevels = 'elevated';
    }, /^conditions\.insiderRiskLevels applies only at insider risk elevated$/);
    await expectMfaNarrowedBy((p) => {
      p.conditions.servicePrincipalRiskLevels = ['high'];
    }, /^conditions\.servicePrincipalRiskLevels applies only to service principals at risk high$/);
  });

  it('clientApplications: a workload-identity policy does not count for users', async () => {
    await expectMfaNarrowedBy((p) => {
      p.conditions.clientApplications = { includeServicePrincipals: ['ServicePrincipalsInMyTenant'] };
    }, /^conditions\.clientApplications targets workload identities/);
  });

  it('a condition mailwarden does not read makes the policy not count', async () => {
    await expectMfaNarrowedBy((p) => {
      (p.conditions as Record<string, unknown>).times = { included: { daysOfWeek: ['monday'] } };
    }, /^conditions\.times is set, and mailwarden does not read that condition/);
  });
});

describe('mfa.enforcement grants', () => {
  it('terms of use alone, or a custom control alone, are not MFA', async () => {
    await expectMfaNarrowedBy((p) => {
      p.grantControls = { operator: 'AND', builtInControls: [], authenticationStrength: null, termsOfUse: ['tou-1'] };
    }, /^does not require MFA: termsOfUse tou-1 is not MFA/);
    await expectMfaNarrowedBy((p) => {
      p.grantControls = { operator: 'OR', builtInControls: ['mfa'], customAuthenticationFactors: ['duo'] };
    }, /^ORs MFA with custom control duo/);
  });

  it('terms of use ANDed with MFA still requires MFA', async () => {
    const t = goldenTenant();
    mfaPolicy(t).grantControls = { operator: 'AND', builtInControls: ['mfa'], termsOfUse: ['tou-1'] };
    expect(notPassing(await results(t))).toEqual([]);
  });

  it('a custom strength that allows a password alone is not MFA; a built-in strength is', async () => {
    const t = goldenTenant();
    t.strengths.push({
      id: 'weak-strength',
      displayName: 'Password or key',
      allowedCombinations: ['password', 'fido2'],
    });
    mfaPolicy(t).grantControls = {
      operator: 'AND',
      builtInControls: [],
      authenticationStrength: { id: 'weak-strength', displayName: 'Password or key' },
    };
    const rs = await results(t);
    expect(notPassing(rs)).toEqual(['mfa.enforcement tenant fail']);
    expect(problemsOf(find(rs, 'mfa.enforcement'), 'ca-0001')).toEqual([
      expect.stringContaining('"Password or key" also allows password, which is not multifactor'),
    ]);
    mfaPolicy(t).grantControls = {
      operator: 'AND',
      builtInControls: [],
      authenticationStrength: { id: '00000000-0000-0000-0000-000000000002', displayName: 'Multifactor authentication' },
    };
    expect(notPassing(await results(t))).toEqual([]);
  });

  it('a strength that says requirementsSatisfied "mfa" counts, "none" does not', async () => {
    const t = goldenTenant();
    mfaPolicy(t).grantControls = {
      operator: 'AND',
      builtInControls: [],
      authenticationStrength: { id: 'custom', displayName: 'Custom', requirementsSatisfied: 'mfa' },
    };
    expect(notPassing(await results(t))).toEqual([]);
    mfaPolicy(t).grantControls = {
      operator: 'AND',
      builtInControls: [],
      authenticationStrength: { id: 'custom', displayName: 'Custom', requirementsSatisfied: 'none' },
    };
    expect(notPassing(await results(t))).toEqual(['mfa.enforcement tenant fail']);
  });
});

describe('allowed narrowing: explicit, with a reason, shown in the evidence', () => {
  it('an excluded named location passes once the control allows it, and the reason is in the message', async () => {
    const t = goldenTenant();
    mfaPolicy(t).conditions.locations = { includeLocations: ['All'], excludeLocations: [BREAK_GLASS_SITE] };
    const reason = 'break-glass sign-ins come only from the vault room';
    const rs = await results(t, {
      'mfa.enforcement': { allowedNarrowing: [{ condition: 'location', value: BREAK_GLASS_SITE, reason }] },
    });
    const r = find(rs, 'mfa.enforcement');
    expect(r.status).toBe('pass');
    expect(r.evidence.allowedNarrowing).toEqual([{ condition: 'location', value: BREAK_GLASS_SITE, reason }]);
    expect(r.message).toContain(reason);
  });

  it('an allowed group exclusion passes through allowedExclusions, any other group fails', async () => {
    const t = goldenTenant();
    mfaPolicy(t).conditions.users!.excludeGroups = [BREAK_GLASS_GROUP, CONTRACTORS_GROUP];
    const rs = await results(t, { 'mfa.enforcement': { allowedExclusions: [BREAK_GLASS_GROUP] } });
    const r = find(rs, 'mfa.enforcement');
    expect(r.status).toBe('fail');
    expect(problemsOf(r, 'ca-0001')).toEqual([expect.stringMatching(/excludes group "Contractors" .*, not listed/)]);
    mfaPolicy(t).conditions.users!.excludeGroups = [BREAK_GLASS_GROUP];
    expect(
      find(await results(t, { 'mfa.enforcement': { allowedExclusions: [BREAK_GLASS_GROUP] } }), 'mfa.enforcement')
        .status,
    ).toBe('pass');
  });

  it('a platform left out is allowed only when listed', async () => {
    const t = goldenTenant();
    mfaPolicy(t).conditions.platforms = { includePlatforms: ['all'], excludePlatforms: ['linux'] };
    expect(find(await results(t), 'mfa.enforcement').status).toBe('fail');
    const allowed = await results(t, {
      'mfa.enforcement': { allowedNarrowing: [{ condition: 'platform', value: 'linux', reason: 'no Linux desktops' }] },
    });
    expect(find(allowed, 'mfa.enforcement').status).toBe('pass');
  });

  it('a narrowing without a reason is refused when the policy loads', () => {
    expect(() =>
      parsePolicy(
        identityPolicyText({
          'mfa.enforcement': { allowedNarrowing: [{ condition: 'location', value: 'x', reason: '' }] },
        }),
        'identity-test.json',
        NOW,
      ),
    ).toThrow(ConfigurationError);
    try {
      parsePolicy(
        identityPolicyText({
          'mfa.enforcement': { allowedNarrowing: [{ condition: 'location', value: 'x', reason: '' }] },
        }),
        'identity-test.json',
        NOW,
      );
    } catch (error: unknown) {
      expect((error as ConfigurationError).details.join('\n')).toContain('allowedNarrowing/0/reason');
    }
  });
});

describe('sets of policies: ANDed conditions, ORed policies', () => {
  it('legacy-auth.blocked: a block limited to iOS fails', async () => {
    const t = goldenTenant();
    legacyPolicy(t).conditions.platforms = { includePlatforms: ['iOS'], excludePlatforms: [] };
    const rs = await results(t);
    expect(notPassing(rs)).toEqual(['legacy-auth.blocked tenant fail']);
    const r = find(rs, 'legacy-auth.blocked');
    expect(problemsOf(r, 'ca-0002')).toEqual(['conditions.platforms includes only iOS']);
    expect(gapsOf(r)).toMatchObject([
      { where: { platform: ['android', 'windows', 'windowsPhone', 'macOS', 'linux', 'unrecognised'] } },
    ]);
  });

  it('legacy-auth.blocked: two blocks covering every platform between them pass; dropping one fails', async () => {
    const t = goldenTenant();
    legacyPolicy(t).conditions.platforms = { includePlatforms: ['all'], excludePlatforms: ['android'] };
    t.policies.push({
      ...JSON.parse(JSON.stringify(legacyPolicy(t))),
      id: 'ca-0006',
      displayName: 'Block legacy authentication on Android',
      conditions: {
        ...JSON.parse(JSON.stringify(legacyPolicy(t).conditions)),
        platforms: { includePlatforms: ['android'] },
      },
    });
    const rs = await results(t);
    expect(notPassing(rs)).toEqual([]);
    const r = find(rs, 'legacy-auth.blocked');
    expect(r.evidence).toMatchObject({
      coverage: 'set',
      satisfiedBy: [
        { id: 'ca-0002', displayName: 'Block legacy authentication' },
        { id: 'ca-0006', displayName: 'Block legacy authentication on Android' },
      ],
    });
    expect(r.message).toMatch(
      /^Conditional Access policies "Block legacy authentication", "Block legacy authentication on Android" together block legacy authentication/,
    );
    t.policies.pop();
    const dropped = find(await results(t), 'legacy-auth.blocked');
    expect(dropped.status).toBe('fail');
    expect(gapsOf(dropped)).toMatchObject([{ where: { platform: ['android'] } }]);
    expect(gapsOf(dropped)[0]?.description).toMatch(/^sign-ins on platform android/);
  });

  it('mfa.enforcement: a group excluded from one policy and required MFA by another is covered', async () => {
    const t = goldenTenant();
    mfaPolicy(t).conditions.users!.excludeGroups = [CONTRACTORS_GROUP];
    t.policies.push({
      ...JSON.parse(JSON.stringify(mfaPolicy(t))),
      id: 'ca-0007',
      displayName: 'MFA for contractors',
      conditions: {
        ...JSON.parse(JSON.stringify(mfaPolicy(t).conditions)),
        users: { includeUsers: [], includeGroups: [CONTRACTORS_GROUP], excludeGroups: [] },
      },
    });
    const r = find(await results(t), 'mfa.enforcement');
    expect(r.status).toBe('pass');
    expect(r.evidence.coverage).toBe('set');
  });

  it('two policies each excluding a different location do not cover an address inside both', async () => {
    const t = goldenTenant();
    mfaPolicy(t).conditions.locations = { includeLocations: ['All'], excludeLocations: [HEAD_OFFICE] };
    t.policies.push({
      ...JSON.parse(JSON.stringify(mfaPolicy(t))),
      id: 'ca-0008',
      displayName: 'MFA outside the break-glass site',
      conditions: {
        ...JSON.parse(JSON.stringify(mfaPolicy(t).conditions)),
        locations: { includeLocations: ['All'], excludeLocations: [BREAK_GLASS_SITE] },
      },
    });
    const r = find(await results(t), 'mfa.enforcement');
    expect(r.status).toBe('fail');
    expect(gapsOf(r)).toMatchObject([
      { where: { [`location:${HEAD_OFFICE}`]: ['in'], [`location:${BREAK_GLASS_SITE}`]: ['in'] } },
    ]);
  });

  it('a block of unrecognised platforms and MFA on the known ones cover MFA together', async () => {
    const t = goldenTenant();
    const known = ['android', 'iOS', 'windows', 'windowsPhone', 'macOS', 'linux'];
    mfaPolicy(t).conditions.platforms = { includePlatforms: known };
    t.policies.push({
      ...JSON.parse(JSON.stringify(legacyPolicy(t))),
      id: 'ca-0009',
      displayName: 'Block unsupported platforms',
      conditions: {
        ...JSON.parse(JSON.stringify(mfaPolicy(t).conditions)),
        clientAppTypes: ['all'],
        platforms: { includePlatforms: ['all'], excludePlatforms: known },
      },
    });
    const r = find(await results(t), 'mfa.enforcement');
    expect(r.status).toBe('pass');
    expect(r.evidence.satisfiedBy).toEqual([
      { id: 'ca-0001', displayName: 'Require MFA for all users' },
      { id: 'ca-0009', displayName: 'Block unsupported platforms' },
    ]);
  });
});

describe('sign-ins.risk-policies: user risk and sign-in risk judged separately', () => {
  it('one policy that needs high user risk AND high sign-in risk blocks neither alone', async () => {
    const t = goldenTenant();
    t.policies = t.policies.filter((p) => p.id !== 'ca-0005');
    const both = t.policies.find((p) => p.id === 'ca-0004') as Policy;
    both.displayName = 'Block high user and sign-in risk';
    both.conditions.signInRiskLevels = ['high'];
    const rs = await results(t);
    expect(notPassing(rs)).toEqual(['sign-ins.risk-policies tenant fail']);
    const r = find(rs, 'sign-ins.risk-policies');
    expect(r.message).toMatch(/high user risk is not blocked everywhere/);
    expect(r.message).toMatch(/high sign-in risk is not blocked everywhere/);
    expect(r.evidence).toMatchObject({
      userRisk: {
        coverage: 'none',
        gaps: [{ where: { signInRisk: ['none', 'low', 'medium', 'hidden'] } }],
        candidates: [{ id: 'ca-0004', problems: ['conditions.signInRiskLevels applies only at sign-in risk high'] }],
      },
      signInRisk: {
        coverage: 'none',
        gaps: [{ where: { userRisk: ['none', 'low', 'medium', 'hidden'] } }],
        candidates: [{ id: 'ca-0004', problems: ['conditions.userRiskLevels applies only at user risk high'] }],
      },
    });
  });

  it('a risk block limited to one platform leaves the others open', async () => {
    const t = goldenTenant();
    (t.policies[3] as Policy).conditions.platforms = { includePlatforms: ['windows'] };
    const r = find(await results(t), 'sign-ins.risk-policies');
    expect(r.status).toBe('fail');
    expect(r.evidence).toMatchObject({ userRisk: { coverage: 'none' }, signInRisk: { coverage: 'single' } });
  });
});

describe('names come from their own sources; a missing source never passes or fails on its own', () => {
  it('without graph.groups the verdict stands, the ID is shown and the evidence says why the name is missing', async () => {
    const t = goldenTenant();
    mfaPolicy(t).conditions.users!.excludeGroups = [CONTRACTORS_GROUP];
    const full = tenantSnapshot(t);
    const manifest = {
      ...full.manifest,
      sources: {
        ...full.manifest.sources,
        'graph.groups': { status: 'not_permitted' as const, permission: 'GroupMember.Read.All', reason: 'denied' },
      },
    };
    const data = Object.fromEntries(
      [
        'graph.users',
        'graph.userRegistrationDetails',
        'graph.conditionalAccessPolicies',
        'graph.securityDefaults',
        'graph.authenticationStrengthPolicies',
        'graph.roleAssignments',
        'graph.domains',
        'graph.roleDefinitions',
        'graph.namedLocations',
        'graph.riskyUsers',
      ].map((id) => [id, full.data(id as 'graph.users')]),
    );
    const snapshot = memorySnapshot(manifest, data);
    const { policy } = parsePolicy(identityPolicyText(), 'identity-test.json', NOW);
    const rs = (await evaluate(snapshot, policy, { now: NOW, domains: [] })).results;
    const r = find(rs, 'mfa.enforcement');
    expect(r.status).toBe('fail');
    expect(r.evidence.names).toMatchObject({ groups: 'not_permitted: denied' });
    expect(problemsOf(r, 'ca-0001')).toEqual([
      `conditions.users excludes group ${CONTRACTORS_GROUP} (name not read: graph.groups not_permitted: denied), not listed as allowed`,
    ]);
  });

  it('a group that no longer exists is shown as not found', async () => {
    const t = goldenTenant();
    mfaPolicy(t).conditions.users!.excludeGroups = ['deadbeef-0000-4000-8000-000000000000'];
    const r = find(await results(t), 'mfa.enforcement');
    expect(problemsOf(r, 'ca-0001')[0]).toContain(
      'group deadbeef-0000-4000-8000-000000000000 (not found in the directory)',
    );
  });
});

describe('policies that are not enforced never count', () => {
  it.each([
    ['enabledForReportingButNotEnforced', /report-only/],
    ['disabled', /is disabled/],
  ])('state %s', async (state, words) => {
    const t = goldenTenant();
    legacyPolicy(t).state = state;
    const r = find(await results(t), 'legacy-auth.blocked');
    expect(r.status).toBe('fail');
    expect(problemsOf(r, 'ca-0002')).toEqual([expect.stringMatching(words)]);
  });

  it('security defaults still pass MFA and legacy authentication whatever the policies say', async () => {
    const t = goldenTenant();
    t.securityDefaults.isEnabled = true;
    legacyPolicy(t).conditions.platforms = { includePlatforms: ['iOS'] };
    mfaPolicy(t).state = 'disabled';
    const rs = await results(t);
    expect(notPassing(rs)).toEqual([]);
    expect(find(rs, 'mfa.enforcement').evidence.securityDefaultsEnabled).toBe(true);
  });
});

describe('mfa.admins-phishing-resistant reads the same conditions, for each privileged user', () => {
  const adminPolicy = (t: IdentityTenant): Policy => t.policies[2] as Policy;

  it('a phishing-resistant policy limited to Android leaves every admin uncovered elsewhere', async () => {
    const t = goldenTenant();
    adminPolicy(t).conditions.platforms = { includePlatforms: ['android'] };
    const rs = await results(t);
    expect(notPassing(rs)).toEqual([
      // Eve is eligible (PIM) only: judged as once she activates, like the active holders.
      'mfa.admins-phishing-resistant eve@golden.example fail',
      'mfa.admins-phishing-resistant grace@golden.example fail',
      'mfa.admins-phishing-resistant gus@golden.example fail',
    ]);
    const grace = rs.find((r) => r.target === 'grace@golden.example');
    expect(grace?.evidence).toMatchObject({
      coverage: 'none',
      coveringPolicies: [],
      gaps: [{ where: { platform: ['iOS', 'windows', 'windowsPhone', 'macOS', 'linux', 'unrecognised'] } }],
      policyProblems: [expect.stringContaining('conditions.platforms includes only android')],
    });
  });

  it('a group the policy excludes may hold the admin: not covered unless the group is an allowed exclusion', async () => {
    const t = goldenTenant();
    adminPolicy(t).conditions.users!.excludeGroups = [CONTRACTORS_GROUP];
    expect(notPassing(await results(t))).toEqual([
      'mfa.admins-phishing-resistant eve@golden.example fail',
      'mfa.admins-phishing-resistant grace@golden.example fail',
      'mfa.admins-phishing-resistant gus@golden.example fail',
    ]);
    const allowed = await results(t, { 'mfa.admins-phishing-resistant': { allowedExclusions: [CONTRACTORS_GROUP] } });
    expect(notPassing(allowed)).toEqual([]);
  });

  it('a role the admin does not hold, excluded from the policy, changes nothing', async () => {
    const t = goldenTenant();
    adminPolicy(t).conditions.users!.excludeRoles = [HELPDESK_ROLE];
    expect(notPassing(await results(t))).toEqual([]);
  });

  it('ORing the phishing-resistant strength with MFA lets an admin in with a weaker method', async () => {
    const t = goldenTenant();
    adminPolicy(t).grantControls = {
      operator: 'OR',
      builtInControls: ['mfa'],
      authenticationStrength: { id: '00000000-0000-0000-0000-000000000004', displayName: 'Phishing-resistant MFA' },
    };
    const rs = await results(t);
    expect(notPassing(rs)).toHaveLength(3);
    for (const admin of ['grace@golden.example', 'eve@golden.example'])
      expect(JSON.stringify(rs.find((r) => r.target === admin)?.evidence)).toContain('ORs the strength with mfa');
  });
});
