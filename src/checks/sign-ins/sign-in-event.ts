import type { SignIn } from '../../snapshot/graph-types.js';
import { type IpAddress, parseIp } from './ip-address.js';

/**
 * One sign-in reduced to what the detectors read. The raw record stays attached only while
 * its page is being folded; detectors copy the few fields they keep into evidence rows.
 */
export interface SignInEvent {
  readonly raw: SignIn;
  readonly id: string;
  /** `createdDateTime` in epoch milliseconds (UTC). */
  readonly time: number;
  /** Stable per-user key: the lower-case UPN, or the object ID when Graph gave no UPN. */
  readonly user: string;
  /** `status.errorCode`; 0 is a successful sign-in. */
  readonly errorCode: number;
  readonly success: boolean;
  /** The parsed `ipAddress`, filled on first use and shared by the detectors (`null`: malformed). */
  ip: IpAddress | null | undefined;
}

/** The event's IP address, parsed once however many detectors ask. */
export function ipOf(event: SignInEvent): IpAddress | undefined {
  if (event.ip === undefined) event.ip = parseIp(event.raw.ipAddress) ?? null;
  return event.ip ?? undefined;
}

/** Why the engine-wide preparation dropped a record before any detector saw it. */
export type PrepareProblem = 'noId' | 'badTime' | 'noUser' | 'noStatus';

/** Graph date-times are UTC; a value without a zone designator must still be read as UTC. */
const HAS_ZONE = /(?:[zZ]|[+-][0-9]{2}:?[0-9]{2})$/;
const ISO_DATE_TIME = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:[zZ]|[+-][0-9]{2}:?[0-9]{2})?$/;

/**
 * Reads an ISO 8601 date-time as epoch milliseconds. Offsets are honoured (`+02:00`), a
 * missing zone means UTC (never the machine's local zone, which would move events across
 * daylight-saving changes), and anything else is `undefined`.
 */
export function parseGraphTime(text: unknown): number | undefined {
  if (typeof text !== 'string' || !ISO_DATE_TIME.test(text)) return undefined;
  const value = Date.parse(HAS_ZONE.test(text) ? text : `${text}Z`);
  return Number.isFinite(value) ? value : undefined;
}

/** Normalises one record, or says why it cannot be used at all. */
export function toSignInEvent(raw: SignIn, intern: (user: string) => string = (u) => u): SignInEvent | PrepareProblem {
  if (typeof raw.id !== 'string' || raw.id === '') return 'noId';
  const time = parseGraphTime(raw.createdDateTime);
  if (time === undefined) return 'badTime';
  const upn = typeof raw.userPrincipalName === 'string' && raw.userPrincipalName !== '' ? raw.userPrincipalName : undefined;
  const userId = typeof raw.userId === 'string' && raw.userId !== '' ? raw.userId : undefined;
  const user = upn !== undefined ? upn.toLowerCase() : userId?.toLowerCase();
  if (user === undefined) return 'noUser';
  const errorCode = raw.status?.errorCode;
  if (typeof errorCode !== 'number' || !Number.isInteger(errorCode)) return 'noStatus';
  return { raw, id: raw.id, time, user: intern(user), errorCode, success: errorCode === 0, ip: undefined };
}

/** Valid WGS 84 coordinates of a sign-in, or why there are none. */
export type Coordinates = { readonly lat: number; readonly lon: number } | 'noLocation' | 'coordinatesOutOfRange';

export function coordinatesOf(raw: SignIn): Coordinates {
  const geo = raw.location?.geoCoordinates;
  const lat = geo?.latitude;
  const lon = geo?.longitude;
  if (typeof lat !== 'number' || typeof lon !== 'number') return 'noLocation';
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
    return 'coordinatesOutOfRange';
  }
  return { lat, lon };
}

/** The ISO 3166-1 alpha-2 country of a sign-in, upper-cased; `undefined` when absent or not a code. */
export function countryOf(raw: SignIn): string | undefined {
  const country = raw.location?.countryOrRegion;
  if (typeof country !== 'string' || !/^[A-Za-z]{2}$/.test(country)) return undefined;
  return country.toUpperCase();
}
