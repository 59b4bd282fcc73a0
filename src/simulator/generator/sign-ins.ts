import type { JsonObject } from '../../model/json.js';
import { seededRandom } from '../random.js';
import type { Scenarios } from './scenarios.js';
import { StreamFile } from './json-writer.js';
import { type GeneratedUser, guid, mix, nth, pick, type TenantShape, userAt } from './tenant-model.js';
import { APPS, FOREIGN_PLACES, LEGACY_CLIENTS, type Place } from './vocabulary.js';

const DAY = 24 * 3600_000;
const MINUTE = 60_000;
/** Graph's page size for signIns: one page per JSON Lines line. */
const PAGE = 1000;

interface Event {
  readonly time: number;
  readonly user: GeneratedUser;
  readonly place: Place;
  readonly ip: string;
  readonly client: string;
  readonly app: string;
  readonly errorCode: number;
  readonly risk?: string;
}

const FAILURES: Readonly<Record<number, string>> = {
  50126: 'Error validating credentials due to invalid username or password.',
  500121: 'Authentication failed during strong authentication request.',
  50074: 'Strong Authentication is required.',
};

function homeIp(u: GeneratedUser): string {
  return `${u.home.prefix}.${(u.index >> 8) & 255}.${u.index & 255}`;
}

/** The injected anomalies, newest first: few, so they are held in memory and merged into the stream. */
function anomalies(shape: TenantShape, s: Scenarios): Event[] {
  const end = shape.capturedAt.getTime();
  const random = seededRandom(mix(shape.seed, 0, 80));
  const events: Event[] = [];
  const at = (hoursAgo: number): number => end - hoursAgo * 3600_000 - Math.floor(random() * 600_000);
  const home = (u: GeneratedUser, time: number, extra: Partial<Event> = {}): Event => ({
    time,
    user: u,
    place: u.home,
    ip: homeIp(u),
    client: 'Browser',
    app: 'Office 365 Exchange Online',
    errorCode: 0,
    ...extra,
  });
  s.legacy.forEach((index, i) => {
    const u = userAt(shape, index);
    const client = LEGACY_CLIENTS[i % LEGACY_CLIENTS.length] ?? 'IMAP4';
    for (let k = 0; k < 3; k++)
      events.push(home(u, at(2 + i * 2 + k * 0.5), { client, app: 'Office 365 Exchange Online' }));
    events.push(home(u, at(1 + i), { client: 'Exchange ActiveSync', errorCode: 50126 }));
  });
  s.foreign.forEach((index, i) => {
    const u = userAt(shape, index);
    const place = nth(FOREIGN_PLACES, i);
    events.push(home(u, at(10 + i), { place, ip: `${place.prefix}.${20 + i}.${40 + i}` }));
  });
  s.travel.forEach((index, i) => {
    const u = userAt(shape, index);
    const place = nth(FOREIGN_PLACES, i + 1);
    const t = at(6 + i * 3);
    events.push(home(u, t));
    events.push(home(u, t + 40 * MINUTE, { place, ip: `${place.prefix}.${70 + i}.${90 + i}`, app: 'Microsoft Teams' }));
  });
  // Password spray: one /24, many users, wrong password (50126), then one success from the same range.
  const sprayStart = end - 5 * 3600_000;
  s.sprayVictims.forEach((index, i) => {
    const u = userAt(shape, index);
    events.push({
      time: sprayStart + i * 30_000,
      user: u,
      place: nth(FOREIGN_PLACES, 3),
      ip: `185.220.101.${10 + (i % 50)}`,
      client: 'Other clients',
      app: 'Office 365 Exchange Online',
      errorCode: 50126,
    });
  });
  const sprayed = s.sprayVictims[0];
  if (sprayed !== undefined) {
    events.push({
      time: sprayStart + s.sprayVictims.length * 30_000 + MINUTE,
      user: userAt(shape, sprayed),
      place: nth(FOREIGN_PLACES, 3),
      ip: '185.220.101.77',
      client: 'Other clients',
      app: 'Office 365 Exchange Online',
      errorCode: 0,
    });
  }
  // MFA fatigue: repeated denied pushes (500121), then an approval.
  s.fatigue.forEach((index, i) => {
    const u = userAt(shape, index);
    const t = end - (3 + i) * 3600_000;
    for (let k = 0; k < 8; k++)
      events.push(
        home(u, t + k * MINUTE, { ip: `102.89.${30 + i}.7`, place: nth(FOREIGN_PLACES, 1), errorCode: 500121 }),
      );
    events.push(home(u, t + 9 * MINUTE, { ip: `102.89.${30 + i}.7`, place: nth(FOREIGN_PLACES, 1), errorCode: 0 }));
  });
  s.risky.forEach((index, i) => {
    const u = userAt(shape, index);
    events.push(home(u, at(12 + (i % 10)), { risk: i % 2 === 0 ? 'high' : 'medium' }));
  });
  return events.filter((e) => e.time <= end && e.time > end - DAY).sort((a, b) => b.time - a.time);
}

function signIn(shape: TenantShape, e: Event, n: number): JsonObject {
  const random = seededRandom(mix(shape.seed, n, 90));
  const jitter = (): number => (random() - 0.5) * 0.02;
  return {
    id: guid(random),
    createdDateTime: new Date(e.time).toISOString(),
    userDisplayName: e.user.displayName,
    userPrincipalName: e.user.upn,
    userId: e.user.id,
    appDisplayName: e.app,
    ipAddress: e.ip,
    clientAppUsed: e.client,
    conditionalAccessStatus: e.errorCode === 0 ? 'success' : 'notApplied',
    isInteractive: true,
    riskDetail: 'none',
    riskLevelAggregated: e.risk ?? 'none',
    riskLevelDuringSignIn: e.risk ?? 'none',
    riskState: e.risk === undefined ? 'none' : 'atRisk',
    status: {
      errorCode: e.errorCode,
      failureReason: FAILURES[e.errorCode] ?? (e.errorCode === 0 ? null : 'Other.'),
      additionalDetails: null,
    },
    deviceDetail: {
      operatingSystem: e.client === 'Browser' ? 'Windows10' : 'Ios',
      browser: e.client === 'Browser' ? 'Edge 131.0.0' : '',
    },
    location: {
      city: e.place.city,
      state: e.place.state,
      countryOrRegion: e.place.country,
      geoCoordinates: {
        latitude: Number((e.place.latitude + jitter()).toFixed(4)),
        longitude: Number((e.place.longitude + jitter()).toFixed(4)),
        altitude: null,
      },
    },
  };
}

/**
 * Writes the day of sign-ins before capture, newest first, one Graph page per line. Ordinary
 * events are produced one at a time from the seed and merged with the few injected anomalies,
 * so memory does not grow with the number of events.
 */
export async function writeSignIns(shape: TenantShape, s: Scenarios, file: string): Promise<number> {
  const out = await StreamFile.open(file);
  const end = shape.capturedAt.getTime();
  const injected = anomalies(shape, s);
  const ordinary = Math.max(0, shape.signIns - injected.length);
  const random = seededRandom(mix(shape.seed, 0, 81));
  const special = new Set([...s.legacy, ...s.foreign, ...s.travel, ...s.fatigue]);
  let page: JsonObject[] = [];
  let written = 0;
  let next = 0;
  const emit = async (e: Event): Promise<void> => {
    page.push(signIn(shape, e, written));
    written++;
    if (page.length === PAGE) {
      await out.write(`${JSON.stringify({ value: page })}\n`);
      page = [];
    }
  };
  for (let k = 0; k < ordinary; k++) {
    const time = end - Math.floor(((k + random()) * DAY) / ordinary);
    for (let event = injected[next]; event !== undefined && event.time >= time; event = injected[++next])
      await emit(event);
    // Someone who signs in normally: enabled members and admins, skipping scenario users to keep them clean.
    let index = 1 + Math.floor(random() * Math.max(1, shape.users - 1));
    let u = userAt(shape, index);
    for (
      let tries = 0;
      tries < 20 && (!u.enabled || u.kind === 'shared' || u.kind === 'service' || special.has(index));
      tries++
    ) {
      index = 1 + ((index + 7) % Math.max(1, shape.users - 1));
      u = userAt(shape, index);
    }
    const roll = random();
    const errorCode = roll < 0.012 ? 50126 : roll < 0.017 ? 50074 : 0;
    const client = random() < 0.85 ? 'Browser' : 'Mobile Apps and Desktop clients';
    await emit({ time, user: u, place: u.home, ip: homeIp(u), client, app: pick(random, APPS), errorCode });
  }
  for (let event = injected[next]; event !== undefined; event = injected[++next]) await emit(event);
  if (page.length > 0) await out.write(`${JSON.stringify({ value: page })}\n`);
  await out.close();
  return written;
}
