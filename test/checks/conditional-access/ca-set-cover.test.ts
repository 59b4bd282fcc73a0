import { describe, expect, it } from 'vitest';
import { caDirectory } from '../../../src/checks/conditional-access/ca-directory.js';
import { allowedKeys } from '../../../src/checks/conditional-access/ca-requirement.js';
import { memorySnapshot } from '../../../src/snapshot/snapshot.js';
import { gapWords, judge, MFA_REQUIREMENT, mfaForAll, type Policy, USER_RISK_BLOCK } from '../../helpers/ca-unit.js';
import {
  BREAK_GLASS_SITE,
  CONTRACTORS_GROUP,
  GA_ROLE,
  goldenTenant,
  HEAD_OFFICE,
  tenantSnapshot,
} from '../../helpers/identity-tenant.js';

/*
 * The set check: whether enabled policies cover a requirement alone or together, as Entra ANDs
 * the conditions of one policy and enforces every policy that applies. Each test is one verdict
 * that a wrong region would flip.
 */

function mfa(id: string, patch: Partial<Policy['conditions']>): Policy {
  const p = mfaForAll(id, id.toUpperCase());
  p.conditions = { ...p.conditions, ...patch };
  return p;
}

function riskBlock(id: string, patch: Partial<Policy['conditions']>): Policy {
  const p = mfa(id, { userRiskLevels: ['high'], ...patch });
  p.grantControls = { operator: 'OR', builtInControls: ['block'] };
  return p;
}

const HO_WORDS = `trusted named location "Head office" (${HEAD_OFFICE})`;
const BGS_WORDS = `named location "Break-glass site" (${BREAK_GLASS_SITE})`;

describe('a value both included and excluded holds nothing: the exclusion wins', () => {
  it('a policy for one group that also excludes that group covers no one, even with the group allowed', () => {
    const p = mfa('a', {
      users: { includeUsers: [], includeGroups: [CONTRACTORS_GROUP], excludeGroups: [CONTRACTORS_GROUP] },
    });
    const v = judge(MFA_REQUIREMENT, [p], { allowedExclusions: [CONTRACTORS_GROUP] });
    expect(v).toMatchObject({ covered: false, coverage: 'none', satisfiedBy: [] });
  });

  it('a location both included and excluded does not complete a set', () => {
    const nowhere = mfa('a', { locations: { includeLocations: [HEAD_OFFICE], excludeLocations: [HEAD_OFFICE] } });
    const office = mfa('b', { locations: { includeLocations: [HEAD_OFFICE], excludeLocations: [] } });
    expect(judge(MFA_REQUIREMENT, [nowhere, office]).covered).toBe(false);
  });

  it('an app both included and excluded does not complete a set', () => {
    const none = mfa('a', { applications: { includeApplications: ['X'], excludeApplications: ['x'] } });
    const rest = mfa('b', { applications: { includeApplications: ['All'], excludeApplications: ['X'] } });
    expect(judge(MFA_REQUIREMENT, [none, rest]).covered).toBe(false);
  });
});

describe('sets of policies cover what each leaves out', () => {
  it('All apps but X, and X alone, cover every app together', () => {
    const rest = mfa('a', { applications: { includeApplications: ['All'], excludeApplications: ['X'] } });
    const x = mfa('b', { applications: { includeApplications: ['X'] } });
    expect(judge(MFA_REQUIREMENT, [rest, x])).toMatchObject({
      covered: true,
      coverage: 'set',
      satisfiedBy: [
        { id: 'a', displayName: 'A' },
        { id: 'b', displayName: 'B' },
      ],
    });
    expect(gapWords(judge(MFA_REQUIREMENT, [rest]))).toEqual(['sign-ins to app x']);
  });

  it('every location but the head office, and the head office alone, cover every location together', () => {
    const rest = mfa('a', { locations: { includeLocations: ['All'], excludeLocations: [HEAD_OFFICE] } });
    const office = mfa('b', { locations: { includeLocations: [HEAD_OFFICE] } });
    expect(judge(MFA_REQUIREMENT, [rest, office])).toMatchObject({ covered: true, coverage: 'set' });
    expect(gapWords(judge(MFA_REQUIREMENT, [office]))).toEqual([`sign-ins from outside ${HO_WORDS}`]);
  });
});

describe('allowed narrowing takes its part out of the requirement', () => {
  it('an allowed application exclusion leaves one policy enough', () => {
    const p = mfa('a', { applications: { includeApplications: ['All'], excludeApplications: ['X'] } });
    const v = judge(MFA_REQUIREMENT, [p], {
      allowedNarrowing: [{ condition: 'application', value: 'X', reason: 'r' }],
    });
    expect(v).toMatchObject({ covered: true, coverage: 'single', satisfiedBy: [{ id: 'a' }] });
  });

  it('an allowed device filter matches the rule however it is padded', () => {
    const p = mfa('a', {
      devices: { deviceFilter: { mode: 'exclude', rule: '  device.extensionAttribute1 -eq "SAW" ' } },
    });
    const allowed = [
      { condition: 'deviceFilter' as const, value: 'device.extensionAttribute1 -eq "SAW"', reason: 'r' },
    ];
    expect(judge(MFA_REQUIREMENT, [p], { allowedNarrowing: allowed })).toMatchObject({
      covered: true,
      coverage: 'single',
    });
    expect(gapWords(judge(MFA_REQUIREMENT, [p]))).toEqual([
      'sign-ins on devices matching the filter device.extensionAttribute1 -eq "SAW"',
    ]);
  });

  it('an allowed guest type is allowed from the tenants a policy enumerates, too', () => {
    const p = mfa('a', {
      users: {
        includeUsers: ['All'],
        excludeGuestsOrExternalUsers: {
          guestOrExternalUserTypes: 'internalGuest',
          externalTenants: { membershipKind: 'enumerated', members: ['t1'] },
        },
      },
    });
    const allowedNarrowing = [{ condition: 'guestOrExternalUserType' as const, value: 'internalGuest', reason: 'r' }];
    expect(judge(MFA_REQUIREMENT, [p], { allowedNarrowing })).toMatchObject({ covered: true, coverage: 'single' });
    const other = [{ condition: 'guestOrExternalUserType' as const, value: 'serviceProvider', reason: 'r' }];
    expect(gapWords(judge(MFA_REQUIREMENT, [p], { allowedNarrowing: other }))).toEqual([
      'sign-ins for guests or external users of type internalGuest from tenants t1',
    ]);
  });

  it('allowedKeys: exclusions name a user, group or role; each narrowing its own dimension, trimmed', () => {
    expect(
      [
        ...allowedKeys({
          allowedExclusions: [' ABC '],
          allowedNarrowing: [
            { condition: 'location', value: ' AllTrusted ', reason: 'r' },
            { condition: 'location', value: 'LOC-1', reason: 'r' },
            { condition: 'application', value: ' Office365 ', reason: 'r' },
            { condition: 'platform', value: 'Linux', reason: 'r' },
            { condition: 'guestOrExternalUserType', value: 'internalGuest', reason: 'r' },
            { condition: 'deviceFilter', value: ' R ', reason: 'r' },
          ],
        }),
      ].sort(),
    ).toEqual(
      [
        'user:abc',
        'group:abc',
        'role:abc',
        'trusted',
        'location:loc-1',
        'app:office365',
        'platform:linux',
        'guest:internalGuest',
        'deviceFilter:R',
      ].sort(),
    );
  });

  it('for one subject, a role that subject holds and may be excluded leaves nothing to cover', () => {
    const p = mfa('a', { users: { includeUsers: ['All'], excludeRoles: [GA_ROLE] } });
    const subject = (dim: string) => (dim === `role:${GA_ROLE}` ? ['in'] : undefined);
    expect(judge(MFA_REQUIREMENT, [p], { allowedExclusions: [GA_ROLE], subject }).covered).toBe(true);
    expect(judge(MFA_REQUIREMENT, [p], { subject }).covered).toBe(false);
  });
});

describe('trusted locations: a trusted named location lies inside AllTrusted', () => {
  const outsideOffice = () => mfa('a', { locations: { includeLocations: ['All'], excludeLocations: [HEAD_OFFICE] } });
  const trustedOnly = () => mfa('b', { locations: { includeLocations: ['AllTrusted'] } });

  it('all but the trusted head office, and every trusted location, cover every sign-in together', () => {
    expect(judge(MFA_REQUIREMENT, [outsideOffice(), trustedOnly()])).toMatchObject({ covered: true, coverage: 'set' });
  });

  it('an untrusted location left out is not inside AllTrusted', () => {
    const outsideSite = mfa('a', { locations: { includeLocations: ['All'], excludeLocations: [BREAK_GLASS_SITE] } });
    const v = judge(MFA_REQUIREMENT, [outsideSite, trustedOnly()]);
    expect(v.covered).toBe(false);
    expect(gapWords(v)).toEqual([`sign-ins from ${BGS_WORDS}, from outside trusted locations (AllTrusted)`]);
  });

  it('when the named locations were not read, trust is not assumed', () => {
    const full = tenantSnapshot(goldenTenant());
    const snapshot = memorySnapshot(
      {
        ...full.manifest,
        sources: {
          ...full.manifest.sources,
          'graph.namedLocations': { status: 'not_permitted', permission: 'Policy.Read.All', reason: 'denied' },
        },
      },
      { 'graph.groups': full.data('graph.groups'), 'graph.roleDefinitions': full.data('graph.roleDefinitions') },
    );
    const v = judge(MFA_REQUIREMENT, [outsideOffice(), trustedOnly()], { names: caDirectory(snapshot) });
    expect(v.covered).toBe(false);
  });
});

describe('gaps in words: who, what, where and when is left uncovered', () => {
  it.each<[string, Partial<Policy['conditions']>, string]>([
    ['one user only', { users: { includeUsers: ['U-1'] } }, 'sign-ins for users other than user u-1'],
    [
      'one group only',
      { users: { includeUsers: [], includeGroups: [CONTRACTORS_GROUP] } },
      `sign-ins for users outside group "Contractors" (${CONTRACTORS_GROUP})`,
    ],
    [
      'a role excluded',
      { users: { includeUsers: ['All'], excludeRoles: [GA_ROLE] } },
      `sign-ins for holders of role "Global Administrator" (${GA_ROLE})`,
    ],
    [
      'a guest type excluded',
      { users: { includeUsers: ['All'], excludeGuestsOrExternalUsers: { guestOrExternalUserTypes: 'internalGuest' } } },
      'sign-ins for guests or external users of type internalGuest',
    ],
    [
      'a guest type only',
      { users: { includeUsers: [], includeGuestsOrExternalUsers: { guestOrExternalUserTypes: 'internalGuest' } } },
      'sign-ins for users who are not guests or external users of type internalGuest',
    ],
    [
      'one app only',
      { applications: { includeApplications: ['Office365'] } },
      'sign-ins to apps other than Office 365 (all its apps)',
    ],
    [
      'an app filter',
      { applications: { includeApplications: ['All'], applicationFilter: { mode: 'include', rule: 'R' } } },
      'sign-ins to apps other than apps matching the filter R',
    ],
    [
      'a device filter',
      { devices: { deviceFilter: { mode: 'include', rule: 'R' } } },
      'sign-ins on devices not matching the filter R',
    ],
  ])('%s', (_what, patch, words) => {
    expect(gapWords(judge(MFA_REQUIREMENT, [mfa('a', patch)]))).toEqual([words]);
  });

  it.each<[string, Partial<Policy['conditions']>, string, Record<string, string[]>]>([
    [
      'sign-in risk',
      { signInRiskLevels: ['high'] },
      'sign-ins at sign-in risk other than high',
      {
        signInRisk: ['none', 'low', 'medium', 'hidden'],
      },
    ],
    [
      'insider risk',
      { insiderRiskLevels: 'elevated' },
      'sign-ins at insider risk other than elevated',
      {
        insiderRisk: ['none', 'minor', 'moderate'],
      },
    ],
    [
      'client apps',
      { clientAppTypes: ['browser'] },
      'sign-ins from client app type other than browser',
      {
        clientApp: ['mobileAppsAndDesktopClients', 'exchangeActiveSync', 'other'],
      },
    ],
    [
      'one flow',
      { authenticationFlows: { transferMethods: 'deviceCodeFlow' } },
      'sign-ins in the ordinary or authenticationTransfer flow',
      { flow: ['ordinary', 'authenticationTransfer'] },
    ],
    [
      'both transfer flows',
      { authenticationFlows: { transferMethods: 'deviceCodeFlow,authenticationTransfer' } },
      'sign-ins in ordinary sign-ins',
      { flow: ['ordinary'] },
    ],
  ])('a high-user-risk block narrowed by %s', (_what, patch, words, where) => {
    const v = judge(USER_RISK_BLOCK, [riskBlock('a', patch)]);
    expect(v.gaps).toEqual([{ description: words, where }]);
  });
});
