import type {
  ConditionalAccessFilter,
  ConditionalAccessGuestsOrExternalUsers,
  ConditionalAccessPolicy,
} from '../../snapshot/graph-types.js';
import type { CaDirectory } from './ca-directory.js';
import { type Box, box, IN, intersect, OUT } from './ca-space.js';

/*
 * One Conditional Access policy read condition by condition, as Entra applies it
 * (learn.microsoft.com/graph/api/resources/conditionalaccessconditionset and the Entra pages on
 * each condition). Each condition becomes the boxes it holds (an include list is an OR of boxes)
 * and, when it narrows the policy, a sentence saying how. Values mailwarden does not know match
 * nothing, so a future enum member never widens a policy.
 */

/** Device platforms (conditionalAccessDevicePlatform); an unrecognised platform is matched only by `all`. */
export const PLATFORMS = ['android', 'iOS', 'windows', 'windowsPhone', 'macOS', 'linux', 'unrecognised'] as const;
/** Client app types (conditionalAccessClientApp); legacy clients are `exchangeActiveSync` and `other`. */
export const CLIENT_APPS = ['browser', 'mobileAppsAndDesktopClients', 'exchangeActiveSync', 'other'] as const;
/** riskLevel values a sign-in or user can have during evaluation. */
export const RISK_LEVELS = ['none', 'low', 'medium', 'high', 'hidden'] as const;
/** conditionalAccessInsiderRiskLevels (a flags enum), plus the absence of insider risk. */
export const INSIDER_RISK_LEVELS = ['none', 'minor', 'moderate', 'elevated'] as const;
/** Authentication flows: an ordinary sign-in, or one of conditionalAccessTransferMethods. */
export const FLOWS = ['ordinary', 'deviceCodeFlow', 'authenticationTransfer'] as const;

/** The fixed dimensions and their atoms. */
export const FIXED_DIMENSIONS: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ['platform', PLATFORMS],
  ['clientApp', CLIENT_APPS],
  ['userRisk', RISK_LEVELS],
  ['signInRisk', RISK_LEVELS],
  ['insiderRisk', INSIDER_RISK_LEVELS],
  ['flow', FLOWS],
]);

/** The v1.0 condition keys this module reads; any other non-empty condition makes the policy not count. */
const KNOWN_CONDITIONS = new Set([
  'applications',
  'users',
  'clientApplications',
  'clientAppTypes',
  'platforms',
  'locations',
  'devices',
  'authenticationFlows',
  'userRiskLevels',
  'signInRiskLevels',
  'insiderRiskLevels',
  'servicePrincipalRiskLevels',
]);

/** One condition of one policy: where it holds, and how it narrows the policy (if it does). */
export interface ConditionScope {
  /** The Graph property, e.g. `conditions.platforms`. */
  readonly condition: string;
  /** The condition holds on the union of these boxes; none means the policy applies to nothing. */
  readonly boxes: readonly Box[];
  /** In words, how the condition narrows the policy; absent when it holds everywhere. */
  readonly narrowing?: string;
}

const ALL: readonly Box[] = [box()];

/**
 * Whether an exclusion is one the control allows: `allowed` holds dimension keys (`group:<id>`,
 * `location:<id>`, `trusted`, `platform:<name>`, `guest:<type>`, …); a guest type allows that type
 * from any tenant.
 */
export function isAllowed(key: string, allowed: ReadonlySet<string>): boolean {
  return allowed.has(key) || allowed.has(key.split('@')[0] ?? key);
}

/** Reads a Graph string collection; empty lists and null mean "not configured". */
export function list(value: readonly string[] | string | null | undefined): string[] {
  if (value === null || value === undefined) return [];
  // Flags enums come as one comma-separated string ("deviceCodeFlow,authenticationTransfer"); tolerate an array too.
  const items = typeof value === 'string' ? value.split(',') : [...value];
  return items.map((v) => (typeof v === 'string' ? v.trim() : '')).filter((v) => v !== '');
}

function lower(values: readonly string[]): string[] {
  return values.map((v) => v.toLowerCase());
}

/** Atoms of a fixed dimension named by a list, matched case-insensitively; unknown values match none. */
function atomsNamed(all: readonly string[], values: readonly string[]): string[] {
  const wanted = new Set(lower(values));
  return all.filter((a) => wanted.has(a.toLowerCase()));
}

/**
 * The boxes of an include list under the exclusions: one box per included value. A value both
 * included and excluded holds nothing, because "an exclude action overrides an include action"
 * (learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-users-groups).
 */
function includeBoxes(keys: readonly string[], rest: readonly (readonly [string, readonly string[]])[]): Box[] {
  const others = box(rest);
  return keys.flatMap((k) => intersect(box([[k, [IN]]]), others) ?? []);
}

function filterKey(kind: 'deviceFilter' | 'appFilter', rule: string): string {
  return `${kind}:${rule.trim()}`;
}

/** A flat condition over one fixed dimension: every value, or the listed ones. */
function fixed(condition: string, dim: string, atoms: readonly string[], narrowing: string): ConditionScope {
  if (atoms.length === 0) return { condition, boxes: [], narrowing };
  return { condition, boxes: [box([[dim, atoms]])], narrowing };
}

function guestSets(value: ConditionalAccessGuestsOrExternalUsers | null | undefined): string[] {
  if (!value) return [];
  const types = list(value.guestOrExternalUserTypes).filter((t) => t.toLowerCase() !== 'none');
  const tenants = value.externalTenants;
  const enumerated = (tenants?.membershipKind ?? 'all').toLowerCase() !== 'all';
  const members = lower(list(tenants?.members ?? [])).sort();
  return types.map((t) => `guest:${t}${enumerated ? `@${members.join(',') || '(no tenant)'}` : ''}`);
}

/** Words for a guest set key. */
export function describeGuestSet(key: string): string {
  const [type, tenants] = key.slice('guest:'.length).split('@');
  return tenants === undefined
    ? `guests or external users of type ${type}`
    : `guests or external users of type ${type} from tenants ${tenants}`;
}

/** The dimension key of a user, group or role, and the special `GuestsOrExternalUsers` value. */
function userKey(kind: 'user' | 'group' | 'role', id: string): string {
  if (kind === 'user' && id.toLowerCase() === 'guestsorexternalusers') return 'guest:GuestsOrExternalUsers';
  return `${kind}:${id.toLowerCase()}`;
}

function usersScope(p: ConditionalAccessPolicy, names: CaDirectory, allowed: ReadonlySet<string>): ConditionScope {
  const condition = 'conditions.users';
  const u = p.conditions.users;
  if (!u) return { condition, boxes: [], narrowing: 'conditions.users is not set, so it applies to no user' };
  const includeUsers = list(u.includeUsers);
  const includesAll = includeUsers.some((v) => v.toLowerCase() === 'all');
  const included: string[] = [
    ...includeUsers.filter((v) => !['all', 'none'].includes(v.toLowerCase())).map((id) => userKey('user', id)),
    ...list(u.includeGroups).map((id) => userKey('group', id)),
    ...list(u.includeRoles).map((id) => userKey('role', id)),
    ...guestSets(u.includeGuestsOrExternalUsers),
  ];
  const excluded: string[] = [
    ...list(u.excludeUsers).map((id) => userKey('user', id)),
    ...list(u.excludeGroups).map((id) => userKey('group', id)),
    ...list(u.excludeRoles).map((id) => userKey('role', id)),
    ...guestSets(u.excludeGuestsOrExternalUsers),
  ];
  const outs: [string, string[]][] = excluded.map((k) => [k, [OUT]]);
  const boxes = includesAll ? [box(outs)] : includeBoxes(included, outs);
  const words: string[] = [];
  if (!includesAll) {
    words.push(
      included.length === 0
        ? 'includes no user (None)'
        : `includes only ${included.map((k) => describeSet(k, names)).join(', ')} instead of All users`,
    );
  }
  const unallowed = excluded.filter((k) => !isAllowed(k, allowed));
  if (unallowed.length > 0)
    words.push(`excludes ${unallowed.map((k) => describeSet(k, names)).join(', ')}, not listed as allowed`);
  return words.length > 0
    ? { condition, boxes, narrowing: `conditions.users ${words.join(' and ')}` }
    : { condition, boxes };
}

function applicationsScope(p: ConditionalAccessPolicy, allowed: ReadonlySet<string>): ConditionScope {
  const condition = 'conditions.applications';
  const a = p.conditions.applications;
  const include = list(a?.includeApplications);
  const actions = list(a?.includeUserActions);
  const contexts = list(a?.includeAuthenticationContextClassReferences);
  if (contexts.length > 0) {
    // A policy on an authentication context applies only when an app asks for that context.
    return {
      condition,
      boxes: [],
      narrowing: `conditions.applications targets authentication context ${contexts.join(', ')}, not every sign-in`,
    };
  }
  // No include list at all, or only None (every() holds for an empty list).
  if (include.every((v) => v.toLowerCase() === 'none')) {
    const what = actions.length > 0 ? `user actions ${actions.join(', ')}` : 'no cloud app';
    return { condition, boxes: [], narrowing: `conditions.applications targets ${what} instead of cloud apps` };
  }
  const all = include.some((v) => v.toLowerCase() === 'all');
  const excluded = list(a?.excludeApplications).map((id) => `app:${id.toLowerCase()}`);
  const outs: [string, string[]][] = excluded.map((k) => [k, [OUT]]);
  const filter = a?.applicationFilter;
  const filterBox = filterDimension('appFilter', filter);
  if (filterBox === 'unreadable') {
    return {
      condition,
      boxes: [],
      narrowing: `conditions.applications.applicationFilter has mode "${filter?.mode ?? ''}", which mailwarden does not read`,
    };
  }
  const extra: [string, string[]][] = filterBox ? [filterBox] : [];
  const named = include
    .filter((v) => !['all', 'none'].includes(v.toLowerCase()))
    .map((id) => `app:${id.toLowerCase()}`);
  const boxes = all ? [box([...outs, ...extra])] : includeBoxes(named, [...outs, ...extra]);
  const words: string[] = [];
  if (!all) words.push(`targets only ${named.map((k) => k.slice(4)).join(', ')} instead of All cloud apps`);
  const unallowed = excluded.filter((k) => !isAllowed(k, allowed));
  if (unallowed.length > 0) words.push(`excludes applications ${unallowed.map((k) => k.slice(4)).join(', ')}`);
  if (filterBox)
    words.push(
      `${filter?.mode === 'include' ? 'applies only to' : 'leaves out'} apps matching the filter ${filter?.rule ?? ''}`,
    );
  return words.length > 0
    ? { condition, boxes, narrowing: `conditions.applications ${words.join(' and ')}` }
    : { condition, boxes };
}

function filterDimension(
  kind: 'deviceFilter' | 'appFilter',
  filter: ConditionalAccessFilter | null | undefined,
): [string, string[]] | undefined | 'unreadable' {
  const rule = (filter?.rule ?? '').trim();
  if (!filter || rule === '') return undefined;
  const mode = (filter.mode ?? '').toLowerCase();
  if (mode === 'include') return [filterKey(kind, rule), [IN]];
  if (mode === 'exclude') return [filterKey(kind, rule), [OUT]];
  return 'unreadable';
}

function clientAppsScope(p: ConditionalAccessPolicy): ConditionScope {
  const condition = 'conditions.clientAppTypes';
  const types = list(p.conditions.clientAppTypes);
  if (types.some((t) => t.toLowerCase() === 'all')) return { condition, boxes: ALL };
  const atoms = atomsNamed(CLIENT_APPS, types);
  // easSupported / easUnsupported cover Exchange ActiveSync on only some platforms, which Microsoft
  // does not list: they count for no client app type (fail closed).
  const partial = types.filter((t) => ['eassupported', 'easunsupported'].includes(t.toLowerCase()));
  const note =
    partial.length > 0
      ? ` (${partial.join(', ')} covers Exchange ActiveSync on only some platforms, so it is not counted)`
      : '';
  const narrowing = `conditions.clientAppTypes covers only ${types.join(', ') || '(none)'}${note}`;
  return fixed(condition, 'clientApp', atoms, narrowing);
}

function platformsScope(p: ConditionalAccessPolicy, allowed: ReadonlySet<string>): ConditionScope {
  const condition = 'conditions.platforms';
  const platforms = p.conditions.platforms;
  if (!platforms) return { condition, boxes: ALL };
  const include = list(platforms.includePlatforms);
  const exclude = list(platforms.excludePlatforms);
  const includesAll = include.some((v) => v.toLowerCase() === 'all');
  const excludesAll = exclude.some((v) => v.toLowerCase() === 'all');
  const kept = includesAll
    ? [...PLATFORMS]
    : atomsNamed(
        PLATFORMS,
        include.filter((v) => v.toLowerCase() !== 'unrecognised'),
      );
  const removed = new Set(excludesAll ? PLATFORMS : atomsNamed(PLATFORMS, exclude));
  const atoms = kept.filter((a) => !removed.has(a));
  if (includesAll && removed.size === 0) return { condition, boxes: ALL };
  const words: string[] = [];
  if (!includesAll) words.push(`includes only ${include.join(', ') || '(no platform)'}`);
  const unallowed = exclude.filter((v) => !allowed.has(`platform:${v.toLowerCase()}`));
  if (unallowed.length > 0) words.push(`excludes ${unallowed.join(', ')}`);
  return fixed(
    condition,
    'platform',
    atoms,
    `conditions.platforms ${words.join(' and ') || 'excludes only allowed platforms'}`,
  );
}

function locationsScope(p: ConditionalAccessPolicy, names: CaDirectory, allowed: ReadonlySet<string>): ConditionScope {
  const condition = 'conditions.locations';
  const locations = p.conditions.locations;
  if (!locations) return { condition, boxes: ALL };
  const include = list(locations.includeLocations);
  const exclude = list(locations.excludeLocations);
  const key = (id: string) => (id.toLowerCase() === 'alltrusted' ? 'trusted' : `location:${id.toLowerCase()}`);
  const includesAll = include.some((v) => v.toLowerCase() === 'all');
  if (exclude.some((v) => v.toLowerCase() === 'all'))
    return { condition, boxes: [], narrowing: 'conditions.locations excludes All locations' };
  const outs: [string, string[]][] = exclude.map((id) => [key(id), [OUT]]);
  const boxes = includesAll ? [box(outs)] : includeBoxes(include.map(key), outs);
  if (includesAll && exclude.length === 0) return { condition, boxes };
  const words: string[] = [];
  if (!includesAll)
    words.push(`includes only ${include.map((id) => describeLocation(id, names)).join(', ') || '(no location)'}`);
  const unallowed = exclude.filter((id) => !isAllowed(key(id), allowed));
  if (unallowed.length > 0) words.push(`excludes ${unallowed.map((id) => describeLocation(id, names)).join(', ')}`);
  return words.length > 0
    ? { condition, boxes, narrowing: `conditions.locations ${words.join(' and ')}` }
    : { condition, boxes };
}

function describeLocation(id: string, names: CaDirectory): string {
  if (id.toLowerCase() === 'alltrusted') return 'AllTrusted (every trusted location and the MFA trusted IPs)';
  return names.location(id);
}

function devicesScope(p: ConditionalAccessPolicy): ConditionScope {
  const condition = 'conditions.devices';
  const filter = p.conditions.devices?.deviceFilter;
  const dim = filterDimension('deviceFilter', filter);
  if (dim === undefined) return { condition, boxes: ALL };
  if (dim === 'unreadable')
    return {
      condition,
      boxes: [],
      narrowing: `conditions.devices.deviceFilter has mode "${filter?.mode ?? ''}", which mailwarden does not read`,
    };
  const verb = dim[1][0] === IN ? 'applies only to devices matching' : 'leaves out devices matching';
  return {
    condition,
    boxes: [box([dim])],
    narrowing: `conditions.devices.deviceFilter ${verb} ${filter?.rule?.trim() ?? ''}`,
  };
}

/** The transfer methods of `conditions.authenticationFlows`, or [] when the condition is not set. */
export function transferMethods(p: ConditionalAccessPolicy): string[] {
  return list(p.conditions.authenticationFlows?.transferMethods).filter((m) => m.toLowerCase() !== 'none');
}

function flowsScope(p: ConditionalAccessPolicy): ConditionScope {
  const condition = 'conditions.authenticationFlows';
  const methods = transferMethods(p);
  if (methods.length === 0) return { condition, boxes: ALL };
  return fixed(
    condition,
    'flow',
    atomsNamed(FLOWS.slice(1), methods),
    `conditions.authenticationFlows applies only to ${methods.join(', ')}`,
  );
}

function riskScope(
  p: ConditionalAccessPolicy,
  key: 'userRiskLevels' | 'signInRiskLevels',
  dim: 'userRisk' | 'signInRisk',
  what: string,
): ConditionScope {
  const condition = `conditions.${key}`;
  const levels = list(p.conditions[key]);
  if (levels.length === 0) return { condition, boxes: ALL };
  return fixed(
    condition,
    dim,
    atomsNamed(RISK_LEVELS, levels),
    `conditions.${key} applies only at ${what} ${levels.join(', ')}`,
  );
}

function insiderScope(p: ConditionalAccessPolicy): ConditionScope {
  const condition = 'conditions.insiderRiskLevels';
  const levels = list(p.conditions.insiderRiskLevels).filter((l) => l.toLowerCase() !== 'none');
  if (levels.length === 0) return { condition, boxes: ALL };
  return fixed(
    condition,
    'insiderRisk',
    atomsNamed(INSIDER_RISK_LEVELS, levels),
    `conditions.insiderRiskLevels applies only at insider risk ${levels.join(', ')}`,
  );
}

/** Conditions that take a policy out of user sign-ins altogether. */
function workloadScope(p: ConditionalAccessPolicy): ConditionScope {
  const condition = 'conditions.clientApplications';
  const c = p.conditions;
  const sp = c.clientApplications;
  if (list(sp?.includeServicePrincipals).length > 0 || (sp?.servicePrincipalFilter?.rule ?? '').trim() !== '')
    return {
      condition,
      boxes: [],
      narrowing: 'conditions.clientApplications targets workload identities (service principals), not users',
    };
  const spRisk = list(c.servicePrincipalRiskLevels);
  if (spRisk.length > 0)
    return {
      condition: 'conditions.servicePrincipalRiskLevels',
      boxes: [],
      narrowing: `conditions.servicePrincipalRiskLevels applies only to service principals at risk ${spRisk.join(', ')}`,
    };
  return { condition, boxes: ALL };
}

function isConfigured(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'string') return value.trim() !== '';
  if (typeof value === 'object') return Object.values(value).some(isConfigured);
  return true;
}

/** Conditions Graph sends that this module does not read: the policy does not count while one is set. */
function unknownScopes(p: ConditionalAccessPolicy): ConditionScope[] {
  return Object.entries(p.conditions as object)
    .filter(([key, value]) => !KNOWN_CONDITIONS.has(key) && isConfigured(value))
    .map(([key]) => ({
      condition: `conditions.${key}`,
      boxes: [],
      narrowing: `conditions.${key} is set, and mailwarden does not read that condition, so the policy is not counted`,
    }));
}

/** The words for a membership dimension key. */
export function describeSet(key: string, names: CaDirectory): string {
  const at = key.indexOf(':');
  const kind = at < 0 ? key : key.slice(0, at);
  const id = at < 0 ? '' : key.slice(at + 1);
  switch (kind) {
    case 'user':
      return names.user(id);
    case 'group':
      return names.group(id);
    case 'role':
      return names.role(id);
    case 'guest':
      return id === 'GuestsOrExternalUsers' ? 'all guests and external users' : describeGuestSet(key);
    case 'app':
      return names.app(id);
    case 'appFilter':
      return `apps matching the filter ${id}`;
    case 'deviceFilter':
      return `devices matching the filter ${id}`;
    case 'location':
      return names.location(id);
    case 'trusted':
      return 'trusted locations (AllTrusted)';
    default:
      return key;
  }
}

/**
 * Every condition of a policy, each with its boxes. `allowed` holds the dimension keys of the
 * exclusions and narrowing the control allows, which the words then leave out.
 */
export function policyConditions(
  p: ConditionalAccessPolicy,
  names: CaDirectory,
  allowed: ReadonlySet<string>,
): readonly ConditionScope[] {
  return [
    usersScope(p, names, allowed),
    applicationsScope(p, allowed),
    clientAppsScope(p),
    platformsScope(p, allowed),
    locationsScope(p, names, allowed),
    devicesScope(p),
    flowsScope(p),
    riskScope(p, 'userRiskLevels', 'userRisk', 'user risk'),
    riskScope(p, 'signInRiskLevels', 'signInRisk', 'sign-in risk'),
    insiderScope(p),
    workloadScope(p),
    ...unknownScopes(p),
  ];
}
