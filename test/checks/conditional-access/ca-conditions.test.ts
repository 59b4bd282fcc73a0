import { describe, expect, it } from 'vitest';
import {
  describeSet,
  isAllowed,
  list,
  policyConditions,
  transferMethods,
} from '../../../src/checks/conditional-access/ca-conditions.js';
import { conditionScope, goldenNames, mfaForAll, mfaForAllWith } from '../../helpers/ca-unit.js';
import { BREAK_GLASS_SITE, CONTRACTORS_GROUP, GA_ROLE, HEAD_OFFICE } from '../../helpers/identity-tenant.js';

/*
 * One condition of one policy, read on its own: the boxes it holds and the exact words that say how
 * it narrows the policy. Each test changes one condition of the golden "MFA for all" policy.
 */

const ALL = [{}];
const ho = `location:${HEAD_OFFICE}`;
const bgs = `location:${BREAK_GLASS_SITE}`;
const HO_WORDS = `trusted named location "Head office" (${HEAD_OFFICE})`;
const BGS_WORDS = `named location "Break-glass site" (${BREAK_GLASS_SITE})`;

describe('list: Graph string collections', () => {
  it('splits flags enums, trims, and drops empty and non-string items', () => {
    expect(list('deviceCodeFlow, ,authenticationTransfer')).toEqual(['deviceCodeFlow', 'authenticationTransfer']);
    expect(list([' android ', '', null, 3] as unknown as string[])).toEqual(['android']);
    expect(list(null)).toEqual([]);
  });
});

describe('users', () => {
  it('no users condition applies to no user', () => {
    expect(conditionScope(mfaForAllWith({ users: null }), 'conditions.users')).toEqual({
      boxes: [],
      narrowing: 'conditions.users is not set, so it applies to no user',
    });
  });

  it('includeUsers None applies to no user', () => {
    expect(conditionScope(mfaForAllWith({ users: { includeUsers: ['None'] } }), 'conditions.users')).toEqual({
      boxes: [],
      narrowing: 'conditions.users includes no user (None)',
    });
  });

  it('GuestsOrExternalUsers in includeUsers is every guest, in words', () => {
    expect(
      conditionScope(mfaForAllWith({ users: { includeUsers: ['GuestsOrExternalUsers'] } }), 'conditions.users'),
    ).toEqual({
      boxes: [{ 'guest:GuestsOrExternalUsers': ['in'] }],
      narrowing: 'conditions.users includes only all guests and external users instead of All users',
    });
  });

  it('a guest type of "none" excludes nobody', () => {
    const p = mfaForAllWith({
      users: { includeUsers: ['All'], excludeGuestsOrExternalUsers: { guestOrExternalUserTypes: 'None' } },
    });
    expect(conditionScope(p, 'conditions.users')).toEqual({ boxes: ALL });
  });

  it('a guest type without external tenants means that type from every tenant', () => {
    const p = mfaForAllWith({
      users: { includeUsers: ['All'], excludeGuestsOrExternalUsers: { guestOrExternalUserTypes: 'internalGuest' } },
    });
    expect(conditionScope(p, 'conditions.users')).toEqual({
      boxes: [{ 'guest:internalGuest': ['out'] }],
      narrowing: 'conditions.users excludes guests or external users of type internalGuest, not listed as allowed',
    });
  });

  it('enumerated tenants are named sorted and lower-cased; an empty enumeration is said', () => {
    const enumerated = (members?: string[]) =>
      mfaForAllWith({
        users: {
          includeUsers: ['All'],
          excludeGuestsOrExternalUsers: {
            guestOrExternalUserTypes: 'b2bCollaborationGuest',
            externalTenants: { membershipKind: 'enumerated', ...(members ? { members } : {}) },
          },
        },
      });
    expect(conditionScope(enumerated(['Tenant-B', 'tenant-a']), 'conditions.users').narrowing).toBe(
      'conditions.users excludes guests or external users of type b2bCollaborationGuest from tenants tenant-a,tenant-b, not listed as allowed',
    );
    expect(conditionScope(enumerated(), 'conditions.users').narrowing).toBe(
      'conditions.users excludes guests or external users of type b2bCollaborationGuest from tenants (no tenant), not listed as allowed',
    );
  });

  it('an allowed guest type allows it from enumerated tenants too', () => {
    const p = mfaForAllWith({
      users: {
        includeUsers: ['All'],
        excludeGuestsOrExternalUsers: {
          guestOrExternalUserTypes: 'internalGuest',
          externalTenants: { membershipKind: 'enumerated', members: ['t1'] },
        },
      },
    });
    expect(conditionScope(p, 'conditions.users', new Set(['guest:internalGuest']))).toEqual({
      boxes: [{ 'guest:internalGuest@t1': ['out'] }],
    });
    expect(isAllowed('guest:internalGuest@t1', new Set(['guest:internalGuest']))).toBe(true);
    expect(isAllowed('guest:internalGuest', new Set(['guest:internalGuest']))).toBe(true);
    expect(isAllowed('guest:internalGuest@t1', new Set(['guest:serviceProvider']))).toBe(false);
  });
});

describe('applications', () => {
  it('authentication contexts are all named', () => {
    const p = mfaForAllWith({
      applications: { includeApplications: ['All'], includeAuthenticationContextClassReferences: ['c1', 'c2'] },
    });
    expect(conditionScope(p, 'conditions.applications')).toEqual({
      boxes: [],
      narrowing: 'conditions.applications targets authentication context c1, c2, not every sign-in',
    });
  });

  it('no cloud app, or user actions only, apply to no app sign-in', () => {
    expect(
      conditionScope(mfaForAllWith({ applications: { includeApplications: [] } }), 'conditions.applications'),
    ).toEqual({
      boxes: [],
      narrowing: 'conditions.applications targets no cloud app instead of cloud apps',
    });
    const actions = mfaForAllWith({
      applications: {
        includeApplications: ['None'],
        includeUserActions: ['urn:user:registersecurityinfo', 'urn:user:registerdevice'],
      },
    });
    expect(conditionScope(actions, 'conditions.applications').narrowing).toBe(
      'conditions.applications targets user actions urn:user:registersecurityinfo, urn:user:registerdevice instead of cloud apps',
    );
  });

  it('an application filter in a mode mailwarden does not read makes the policy apply to nothing', () => {
    const p = (mode: string | null) =>
      mfaForAllWith({ applications: { includeApplications: ['All'], applicationFilter: { mode, rule: 'R' } } });
    expect(conditionScope(p('sometimes'), 'conditions.applications')).toEqual({
      boxes: [],
      narrowing: 'conditions.applications.applicationFilter has mode "sometimes", which mailwarden does not read',
    });
    expect(conditionScope(p(null), 'conditions.applications').narrowing).toBe(
      'conditions.applications.applicationFilter has mode "", which mailwarden does not read',
    );
  });

  it('named apps and excluded apps are each listed, joined by "and"', () => {
    const p = mfaForAllWith({
      applications: { includeApplications: ['Office365', 'App-B'], excludeApplications: ['X', 'Y'] },
    });
    expect(conditionScope(p, 'conditions.applications')).toEqual({
      boxes: [
        { 'app:office365': ['in'], 'app:x': ['out'], 'app:y': ['out'] },
        { 'app:app-b': ['in'], 'app:x': ['out'], 'app:y': ['out'] },
      ],
      narrowing:
        'conditions.applications targets only office365, app-b instead of All cloud apps and excludes applications x, y',
    });
  });

  it('an include filter applies only to the apps it matches', () => {
    const p = mfaForAllWith({
      applications: { includeApplications: ['All'], applicationFilter: { mode: 'include', rule: 'R' } },
    });
    expect(conditionScope(p, 'conditions.applications')).toEqual({
      boxes: [{ 'appFilter:R': ['in'] }],
      narrowing: 'conditions.applications applies only to apps matching the filter R',
    });
  });

  it('an allowed excluded application is no narrowing, but still outside the box', () => {
    const p = mfaForAllWith({ applications: { includeApplications: ['All'], excludeApplications: ['X'] } });
    expect(conditionScope(p, 'conditions.applications', new Set(['app:x']))).toEqual({ boxes: [{ 'app:x': ['out'] }] });
  });
});

describe('clientAppTypes', () => {
  it('easSupported alone covers no client app type, and says why', () => {
    expect(conditionScope(mfaForAllWith({ clientAppTypes: ['easSupported'] }), 'conditions.clientAppTypes')).toEqual({
      boxes: [],
      narrowing:
        'conditions.clientAppTypes covers only easSupported (easSupported covers Exchange ActiveSync on only some platforms, so it is not counted)',
    });
  });

  it('an empty list covers nothing', () => {
    expect(conditionScope(mfaForAllWith({ clientAppTypes: [] }), 'conditions.clientAppTypes')).toEqual({
      boxes: [],
      narrowing: 'conditions.clientAppTypes covers only (none)',
    });
  });

  it('listed types become the box', () => {
    expect(
      conditionScope(mfaForAllWith({ clientAppTypes: ['Browser', 'exchangeActiveSync'] }), 'conditions.clientAppTypes'),
    ).toEqual({
      boxes: [{ clientApp: ['browser', 'exchangeActiveSync'] }],
      narrowing: 'conditions.clientAppTypes covers only Browser, exchangeActiveSync',
    });
  });
});

describe('platforms', () => {
  const platforms = (includePlatforms: string[], excludePlatforms: string[] = []) =>
    mfaForAllWith({ platforms: { includePlatforms, excludePlatforms } });

  it('all among the included platforms is every platform', () => {
    expect(conditionScope(platforms(['all', 'iOS']), 'conditions.platforms')).toEqual({ boxes: ALL });
    expect(conditionScope(platforms(['All']), 'conditions.platforms')).toEqual({ boxes: ALL });
  });

  it('excluding all leaves no platform', () => {
    expect(conditionScope(platforms(['all'], ['ALL']), 'conditions.platforms')).toEqual({
      boxes: [],
      narrowing: 'conditions.platforms excludes ALL',
    });
  });

  it('"unrecognised" is matched only by all, never by name', () => {
    expect(conditionScope(platforms(['unrecognised']), 'conditions.platforms')).toEqual({
      boxes: [],
      narrowing: 'conditions.platforms includes only unrecognised',
    });
  });

  it('no platform included covers none', () => {
    expect(conditionScope(platforms([]), 'conditions.platforms')).toEqual({
      boxes: [],
      narrowing: 'conditions.platforms includes only (no platform)',
    });
  });

  it('includes and excludes are both said, joined by "and"', () => {
    expect(conditionScope(platforms(['android', 'iOS'], ['iOS']), 'conditions.platforms')).toEqual({
      boxes: [{ platform: ['android'] }],
      narrowing: 'conditions.platforms includes only android, iOS and excludes iOS',
    });
    expect(conditionScope(platforms(['all'], ['macOS', 'linux']), 'conditions.platforms').narrowing).toBe(
      'conditions.platforms excludes macOS, linux',
    );
  });

  it('an allowed platform exclusion is left out of the words, whatever its case', () => {
    const allowed = new Set(['platform:linux']);
    expect(conditionScope(platforms(['all'], ['Linux', 'macOS']), 'conditions.platforms', allowed).narrowing).toBe(
      'conditions.platforms excludes macOS',
    );
    expect(conditionScope(platforms(['all'], ['Linux']), 'conditions.platforms', allowed)).toEqual({
      boxes: [{ platform: ['android', 'iOS', 'windows', 'windowsPhone', 'macOS', 'unrecognised'] }],
      narrowing: 'conditions.platforms excludes only allowed platforms',
    });
  });
});

describe('locations', () => {
  const locations = (includeLocations: string[], excludeLocations: string[] = []) =>
    mfaForAllWith({ locations: { includeLocations, excludeLocations } });

  it('All among the included locations is every location', () => {
    expect(conditionScope(locations(['All', HEAD_OFFICE]), 'conditions.locations')).toEqual({ boxes: ALL });
    expect(conditionScope(locations(['all']), 'conditions.locations')).toEqual({ boxes: ALL });
  });

  it('excluding All leaves no location', () => {
    expect(conditionScope(locations(['All'], ['all']), 'conditions.locations')).toEqual({
      boxes: [],
      narrowing: 'conditions.locations excludes All locations',
    });
  });

  it('no location included covers none', () => {
    expect(conditionScope(locations([]), 'conditions.locations')).toEqual({
      boxes: [],
      narrowing: 'conditions.locations includes only (no location)',
    });
  });

  it('includes and excludes are named by display name, joined by "and"', () => {
    expect(conditionScope(locations([HEAD_OFFICE, BREAK_GLASS_SITE], ['AllTrusted']), 'conditions.locations')).toEqual({
      boxes: [
        { [ho]: ['in'], trusted: ['out'] },
        { [bgs]: ['in'], trusted: ['out'] },
      ],
      narrowing: `conditions.locations includes only ${HO_WORDS}, ${BGS_WORDS} and excludes AllTrusted (every trusted location and the MFA trusted IPs)`,
    });
    expect(conditionScope(locations(['All'], [HEAD_OFFICE, BREAK_GLASS_SITE]), 'conditions.locations').narrowing).toBe(
      `conditions.locations excludes ${HO_WORDS}, ${BGS_WORDS}`,
    );
  });

  it('allowed excluded locations are left out of the words', () => {
    const one = new Set([bgs]);
    expect(
      conditionScope(locations(['All'], [HEAD_OFFICE, BREAK_GLASS_SITE]), 'conditions.locations', one).narrowing,
    ).toBe(`conditions.locations excludes ${HO_WORDS}`);
    expect(conditionScope(locations(['All'], [BREAK_GLASS_SITE]), 'conditions.locations', one)).toEqual({
      boxes: [{ [bgs]: ['out'] }],
    });
  });
});

describe('devices', () => {
  const filter = (mode: string | null, rule: string) => mfaForAllWith({ devices: { deviceFilter: { mode, rule } } });

  it('a filter with a blank rule filters nothing', () => {
    expect(conditionScope(filter('include', '  '), 'conditions.devices')).toEqual({ boxes: ALL });
  });

  it('an include filter applies only to matching devices, the rule trimmed', () => {
    expect(conditionScope(filter('Include', ' device.isCompliant -eq True '), 'conditions.devices')).toEqual({
      boxes: [{ 'deviceFilter:device.isCompliant -eq True': ['in'] }],
      narrowing: 'conditions.devices.deviceFilter applies only to devices matching device.isCompliant -eq True',
    });
  });

  it('an exclude filter leaves matching devices out', () => {
    expect(conditionScope(filter('exclude', 'R'), 'conditions.devices')).toEqual({
      boxes: [{ 'deviceFilter:R': ['out'] }],
      narrowing: 'conditions.devices.deviceFilter leaves out devices matching R',
    });
  });

  it('a mode mailwarden does not read applies to nothing', () => {
    expect(conditionScope(filter('maybe', 'R'), 'conditions.devices')).toEqual({
      boxes: [],
      narrowing: 'conditions.devices.deviceFilter has mode "maybe", which mailwarden does not read',
    });
    expect(conditionScope(filter(null, 'R'), 'conditions.devices').narrowing).toBe(
      'conditions.devices.deviceFilter has mode "", which mailwarden does not read',
    );
  });
});

describe('authentication flows and risk levels', () => {
  it('transfer method "none" is no flow condition', () => {
    const p = mfaForAllWith({ authenticationFlows: { transferMethods: 'None' } });
    expect(transferMethods(p)).toEqual([]);
    expect(conditionScope(p, 'conditions.authenticationFlows')).toEqual({ boxes: ALL });
  });

  it('transfer methods become the flow box; "ordinary" is no transfer method', () => {
    const flows = (transferMethods: string) => mfaForAllWith({ authenticationFlows: { transferMethods } });
    expect(conditionScope(flows('deviceCodeFlow, authenticationTransfer'), 'conditions.authenticationFlows')).toEqual({
      boxes: [{ flow: ['deviceCodeFlow', 'authenticationTransfer'] }],
      narrowing: 'conditions.authenticationFlows applies only to deviceCodeFlow, authenticationTransfer',
    });
    expect(conditionScope(flows('ordinary'), 'conditions.authenticationFlows').boxes).toEqual([]);
  });

  it('insider risk "none" is no condition; listed levels become the box', () => {
    expect(conditionScope(mfaForAllWith({ insiderRiskLevels: 'none' }), 'conditions.insiderRiskLevels')).toEqual({
      boxes: ALL,
    });
    expect(
      conditionScope(mfaForAllWith({ insiderRiskLevels: 'minor,elevated' }), 'conditions.insiderRiskLevels'),
    ).toEqual({
      boxes: [{ insiderRisk: ['minor', 'elevated'] }],
      narrowing: 'conditions.insiderRiskLevels applies only at insider risk minor, elevated',
    });
  });

  it('service-principal risk levels take the policy out of user sign-ins, all levels named', () => {
    expect(
      conditionScope(
        mfaForAllWith({ servicePrincipalRiskLevels: ['medium', 'high'] }),
        'conditions.servicePrincipalRiskLevels',
      ),
    ).toEqual({
      boxes: [],
      narrowing: 'conditions.servicePrincipalRiskLevels applies only to service principals at risk medium, high',
    });
  });

  it('a service principal filter alone makes it a workload-identity policy', () => {
    const p = mfaForAllWith({ clientApplications: { servicePrincipalFilter: { mode: 'include', rule: 'R' } } });
    expect(conditionScope(p, 'conditions.clientApplications')).toEqual({
      boxes: [],
      narrowing: 'conditions.clientApplications targets workload identities (service principals), not users',
    });
  });
});

describe('conditions mailwarden does not read', () => {
  it.each([
    ['null', null, false],
    ['undefined', undefined, false],
    ['an empty list', [], false],
    ['a list with one blank string', [''], true],
    ['a blank string', '  ', false],
    ['a string', 'x', true],
    ['a number', 0, true],
    ['a boolean', false, true],
    ['an object of empty values', { a: null, b: [], c: { d: '' } }, false],
    ['an object with one value set among empty ones', { a: null, b: { c: 'x' } }, true],
  ])('%s counts as set: %s', (_what, value, counted) => {
    const p = mfaForAll();
    (p.conditions as Record<string, unknown>).times = value;
    const found = policyConditions(p, goldenNames(), new Set()).filter((c) => c.condition === 'conditions.times');
    expect(found.map((c) => ({ boxes: c.boxes.length, narrowing: c.narrowing }))).toEqual(
      counted
        ? [
            {
              boxes: 0,
              narrowing:
                'conditions.times is set, and mailwarden does not read that condition, so the policy is not counted',
            },
          ]
        : [],
    );
  });
});

describe('describeSet: the words for a membership dimension', () => {
  it.each([
    ['guest:GuestsOrExternalUsers', 'all guests and external users'],
    ['guest:internalGuest@t1,t2', 'guests or external users of type internalGuest from tenants t1,t2'],
    ['guest:serviceProvider', 'guests or external users of type serviceProvider'],
    ['app:office365', 'Office 365 (all its apps)'],
    ['app:x', 'app x'],
    ['appFilter:R', 'apps matching the filter R'],
    ['deviceFilter:R', 'devices matching the filter R'],
    [`group:${CONTRACTORS_GROUP}`, `group "Contractors" (${CONTRACTORS_GROUP})`],
    [`role:${GA_ROLE}`, `role "Global Administrator" (${GA_ROLE})`],
    ['user:u-1', 'user u-1'],
    [`location:${HEAD_OFFICE}`, HO_WORDS],
    ['trusted', 'trusted locations (AllTrusted)'],
    ['platform:linux', 'platform:linux'],
  ])('%s', (key, words) => {
    expect(describeSet(key, goldenNames())).toBe(words);
  });
});
