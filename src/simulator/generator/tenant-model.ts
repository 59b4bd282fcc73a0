import { seededRandom } from '../random.js';
import {
  COMMON_METHODS,
  DEPARTMENTS,
  FIRST_NAMES,
  HOME_PLACES,
  LAST_NAMES,
  type Place,
  STRONG_METHODS,
} from './vocabulary.js';

/** What a generated tenant looks like; everything else follows from the seed. */
export interface TenantShape {
  readonly seed: number;
  readonly users: number;
  readonly signIns: number;
  readonly name: string;
  /** Verified custom domains, the first is primary. The initial `*.onmicrosoft.com` domain is added. */
  readonly domains: readonly string[];
  readonly initialDomain: string;
  readonly tenantId: string;
  /** The capture time; sign-ins cover the 24 hours before it. */
  readonly capturedAt: Date;
}

export type UserKind = 'breakGlass' | 'admin' | 'member' | 'guest' | 'service' | 'shared';

/** One generated user, derived from (seed, index) alone so that nothing has to be kept in memory. */
export interface GeneratedUser {
  readonly index: number;
  readonly id: string;
  readonly kind: UserKind;
  readonly givenName: string;
  readonly surname: string;
  readonly displayName: string;
  readonly upn: string;
  readonly alias: string;
  readonly mail: string | null;
  readonly department: string;
  readonly enabled: boolean;
  readonly home: Place;
  readonly methods: readonly string[];
  readonly hasMailbox: boolean;
}

/** A 32-bit mix of seed and index (splitmix-style), the per-record seed. */
export function mix(seed: number, index: number, salt = 0): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1) ^ Math.imul(salt + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** A GUID-shaped ID from a generator (version 4 layout). */
export function guid(random: () => number): string {
  const word = (): string =>
    Math.floor(random() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  const s = `${word()}${word()}${word()}${word()}`;
  const variant = '89ab'[Math.floor(random() * 4)] ?? '8';
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-${variant}${s.slice(17, 20)}-${s.slice(20, 32)}`;
}

/** The item at `index`, counting round the list again past its end; a fixed vocabulary is never empty. */
export function nth<T>(items: readonly T[], index: number): T {
  const item = items[index % items.length];
  if (item === undefined) throw new Error(`no item ${index} in an empty list`);
  return item;
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** Number of administrators for a tenant size (break-glass not included). */
export function adminCount(users: number): number {
  return Math.max(6, Math.min(200, Math.round(users / 100)));
}

const SHARED = ['billing', 'reception', 'records', 'scheduling', 'helpdesk', 'pharmacy-orders'];

/**
 * Derives user `index`. Index 0 is the break-glass account, 1..admins are administrators, a
 * few shared mailboxes follow, the rest are members with some guests, service accounts and
 * disabled accounts mixed in.
 */
export function userAt(shape: TenantShape, index: number): GeneratedUser {
  const random = seededRandom(mix(shape.seed, index, 1));
  const id = guid(random);
  const admins = adminCount(shape.users);
  const primary = shape.domains[0] ?? shape.initialDomain;
  const givenName = pick(random, FIRST_NAMES);
  const surname = pick(random, LAST_NAMES);
  const department = pick(random, DEPARTMENTS);
  const home = pick(random, HOME_PLACES);
  const roll = random();
  let kind: UserKind;
  if (index === 0) kind = 'breakGlass';
  else if (index <= admins) kind = 'admin';
  else if (index <= admins + SHARED.length && index < shape.users) kind = 'shared';
  else if (roll < 0.03) kind = 'guest';
  else if (roll < 0.045) kind = 'service';
  else kind = 'member';
  const base = `${givenName}.${surname}`.toLowerCase();
  let alias = `${base}${index}`;
  let displayName = `${givenName} ${surname}`;
  let upn = `${alias}@${primary}`;
  let mail: string | null = upn;
  if (kind === 'breakGlass') {
    alias = 'breakglass';
    displayName = 'Break Glass (emergency access)';
    upn = `breakglass@${shape.initialDomain}`;
    mail = null;
  } else if (kind === 'shared') {
    alias = SHARED[index - admins - 1] ?? `shared${index}`;
    displayName = `${alias.replace(/-/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase())} (shared)`;
    upn = `${alias}@${primary}`;
    mail = upn;
  } else if (kind === 'guest') {
    const external = pick(random, ['gmail.example', 'outlook.example', 'partner-clinic.example', 'university.example']);
    mail = `${base}@${external}`;
    upn = `${base}_${external.replace(/\./g, '_')}#EXT#@${shape.initialDomain}`;
    alias = `${base}_ext${index}`;
  } else if (kind === 'service') {
    alias = `svc-${pick(random, ['scanner', 'backup', 'ehr-sync', 'fax', 'printer', 'hl7'])}${index}`;
    displayName = `Service account ${alias}`;
    upn = `${alias}@${primary}`;
    mail = upn;
  }
  const enabled = kind === 'shared' ? false : kind === 'member' ? random() >= 0.05 : true;
  // About one enabled member in nine has no MFA method; admins mostly have one; a third of admins a
  // phishing-resistant one.
  const methods: string[] = [];
  const mfaShare = kind === 'admin' ? 0.95 : kind === 'member' ? 0.89 : kind === 'guest' ? 0.6 : 0;
  if (random() < mfaShare) {
    methods.push(pick(random, COMMON_METHODS));
    if (random() < 0.4) methods.push('mobilePhone');
    if (kind === 'admin' ? random() < 0.45 : random() < 0.05) methods.push(pick(random, STRONG_METHODS));
  }
  return {
    index,
    id,
    kind,
    givenName,
    surname,
    displayName,
    upn,
    alias,
    mail,
    department: kind === 'admin' ? 'IT' : department,
    enabled,
    home,
    methods: [...new Set(methods)],
    hasMailbox: kind === 'member' || kind === 'admin' || kind === 'shared' || kind === 'service',
  };
}

/**
 * Indices of regular members chosen for a scenario (`tag`), at least `min` and about `share` of
 * the tenant, at most `max`: a small sorted set, the same for the same seed.
 */
export function chosen(
  shape: TenantShape,
  tag: number,
  share: number,
  min: number,
  max: number,
  filter: (u: GeneratedUser) => boolean,
): number[] {
  const random = seededRandom(mix(shape.seed, tag, 7));
  const wanted = Math.min(max, Math.max(min, Math.round(shape.users * share)));
  const first = adminCount(shape.users) + SHARED.length + 1;
  const found = new Set<number>();
  for (let attempt = 0; attempt < wanted * 50 && found.size < wanted && first < shape.users; attempt++) {
    const index = first + Math.floor(random() * (shape.users - first));
    if (!found.has(index) && filter(userAt(shape, index))) found.add(index);
  }
  return [...found].sort((a, b) => a - b);
}
