import type { SignIn } from '../../src/snapshot/graph-types.js';

/** Places used by generated sign-ins: WGS 84 coordinates and ISO 3166-1 alpha-2 country. */
export const PLACES = {
  boston: { city: 'Boston', state: 'Massachusetts', country: 'US', lat: 42.3601, lon: -71.0589 },
  framingham: { city: 'Framingham', state: 'Massachusetts', country: 'US', lat: 42.2793, lon: -71.4162 },
  newYork: { city: 'New York', state: 'New York', country: 'US', lat: 40.7128, lon: -74.006 },
  washington: { city: 'Washington', state: 'District of Columbia', country: 'US', lat: 38.9072, lon: -77.0369 },
  chicago: { city: 'Chicago', state: 'Illinois', country: 'US', lat: 41.8781, lon: -87.6298 },
  seattle: { city: 'Seattle', state: 'Washington', country: 'US', lat: 47.6062, lon: -122.3321 },
  denver: { city: 'Denver', state: 'Colorado', country: 'US', lat: 39.7392, lon: -104.9903 },
  elPaso: { city: 'El Paso', state: 'Texas', country: 'US', lat: 31.7619, lon: -106.485 },
  detroit: { city: 'Detroit', state: 'Michigan', country: 'US', lat: 42.3314, lon: -83.0458 },
  windsor: { city: 'Windsor', state: 'Ontario', country: 'CA', lat: 42.3149, lon: -83.0364 },
  toronto: { city: 'Toronto', state: 'Ontario', country: 'CA', lat: 43.6532, lon: -79.3832 },
  berlin: { city: 'Berlin', state: 'Berlin', country: 'DE', lat: 52.52, lon: 13.405 },
  amsterdam: { city: 'Amsterdam', state: 'North Holland', country: 'NL', lat: 52.3676, lon: 4.9041 },
  frankfurt: { city: 'Frankfurt am Main', state: 'Hesse', country: 'DE', lat: 50.1109, lon: 8.6821 },
  moscow: { city: 'Moscow', state: 'Moscow', country: 'RU', lat: 55.7558, lon: 37.6173 },
  lagos: { city: 'Lagos', state: 'Lagos', country: 'NG', lat: 6.5244, lon: 3.3792 },
} as const;

export type Place = (typeof PLACES)[keyof typeof PLACES];

/** The home places of generated users: all in the US or Canada. */
export const HOME_PLACES: readonly Place[] = [
  PLACES.boston,
  PLACES.newYork,
  PLACES.chicago,
  PLACES.seattle,
  PLACES.denver,
  PLACES.toronto,
];

export interface SignInSpec {
  readonly id: string;
  readonly time: string | number;
  readonly user: string;
  readonly ip: string;
  readonly place?: Place | null;
  readonly errorCode?: number;
  readonly client?: string;
  readonly app?: string;
  readonly userId?: string;
  /** Beta-only flow fields: set them to write a record as the beta log returns it. */
  readonly protocol?: string | null;
  readonly transfer?: string | null;
  readonly appId?: string;
  readonly device?: { readonly deviceId: string; readonly displayName: string | null };
}

/** A sign-in in Graph's v1.0 shape, as `$select` returns it. */
export function signIn(spec: SignInSpec): SignIn {
  const place = spec.place === undefined ? PLACES.boston : spec.place;
  return {
    id: spec.id,
    createdDateTime: typeof spec.time === 'number' ? new Date(spec.time).toISOString() : spec.time,
    userId: spec.userId ?? `id-${spec.user}`,
    userPrincipalName: spec.user,
    appDisplayName: spec.app ?? 'Office 365 Exchange Online',
    clientAppUsed: spec.client ?? 'Browser',
    ipAddress: spec.ip,
    isInteractive: true,
    status: {
      errorCode: spec.errorCode ?? 0,
      failureReason: spec.errorCode ? 'failed' : null,
      additionalDetails: null,
    },
    location:
      place === null
        ? null
        : {
            city: place.city,
            state: place.state,
            countryOrRegion: place.country,
            geoCoordinates: { latitude: place.lat, longitude: place.lon, altitude: null },
          },
    ...(spec.appId !== undefined ? { appId: spec.appId } : {}),
    ...(spec.device !== undefined ? { deviceDetail: { ...spec.device, operatingSystem: 'Android' } } : {}),
    ...(spec.protocol !== undefined ? { authenticationProtocol: spec.protocol } : {}),
    ...(spec.transfer !== undefined ? { originalTransferMethod: spec.transfer } : {}),
  };
}

/** A small, fast, seeded PRNG (mulberry32), so generated streams are the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const userName = (i: number): string => `user${i}@contoso.test`;
/** Each user's home address sits in its own /24, so ordinary failures never look like a spray. */
export const homeIp = (i: number): string => `${20 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}.10`;
export const secondIp = (i: number): string => `${20 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}.77`;

export interface BackgroundOptions {
  readonly users: number;
  readonly events: number;
  /** The newest event's time; events go back evenly over `spanMs`. */
  readonly end: number;
  readonly spanMs: number;
  readonly seed?: number;
  readonly pageSize?: number;
  /**
   * Write each record as the beta log returns it (`authenticationProtocol`, `originalTransferMethod`,
   * `appId`), with one sign-in in 10,000 through the device-code flow, as a tenant that allows it
   * on a few devices sees.
   */
  readonly beta?: boolean;
}

/**
 * Ordinary activity, newest first as Graph pages it: each user signs in from home (one of two
 * addresses) with a modern client; about 1% mistype a password once and 0.3% miss one MFA
 * prompt. None of it is an anomaly, so any finding over it is a false positive. Pages are made
 * one at a time, so a stream of millions never sits in memory.
 */
export async function* backgroundPages(options: BackgroundOptions): AsyncGenerator<SignIn[]> {
  const random = prng(options.seed ?? 1);
  const pageSize = options.pageSize ?? 1000;
  const step = options.spanMs / options.events;
  let page: SignIn[] = [];
  for (let n = 0; n < options.events; n++) {
    const u = Math.floor(random() * options.users);
    const r = random();
    const place = HOME_PLACES[u % HOME_PLACES.length] ?? PLACES.boston;
    const errorCode = r < 0.01 ? 50126 : r < 0.013 ? 500121 : r < 0.03 ? 50074 : 0;
    const deviceCode = options.beta === true && n % 10_000 === 5_000;
    page.push(
      signIn({
        ...(options.beta === true
          ? {
              protocol: deviceCode ? 'deviceCode' : 'oAuth2',
              transfer: deviceCode ? 'deviceCodeFlow' : 'none',
              appId: r > 0.7 ? '1fec8e78-bce4-4aaf-ab1b-5451cc387264' : '00000002-0000-0ff1-ce00-000000000000',
            }
          : {}),
        id: `bg-${options.seed ?? 1}-${n}`,
        time: Math.round(options.end - n * step),
        user: userName(u),
        ip: r > 0.8 ? secondIp(u) : homeIp(u),
        place,
        errorCode,
        client: r > 0.5 ? 'Browser' : 'Mobile Apps and Desktop clients',
        app: r > 0.7 ? 'Microsoft Teams' : 'Office 365 Exchange Online',
      }),
    );
    if (page.length === pageSize) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}

/** Collects a generated stream into pages (for tests with small streams). */
export async function collectPages(stream: AsyncIterable<SignIn[]>): Promise<SignIn[][]> {
  const pages: SignIn[][] = [];
  for await (const page of stream) pages.push(page);
  return pages;
}
