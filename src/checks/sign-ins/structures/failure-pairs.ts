import type { EventPage } from '../event-page.js';
import type { RowFields } from '../evidence-rows.js';

/** Failures a source or user keeps here before it gets the full per-source state. */
export const PAIR_SIZE = 2;
/** Texts per failure: address, country, city, app, client, and one the detector chooses. */
const TEXTS = 6;

function text(value: string | null | undefined): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function grown<T extends Float64Array | Int32Array>(array: T, size: number, make: (n: number) => T): T {
  if (size <= array.length) return array;
  const next = make(Math.max(size, array.length * 2));
  next.set(array);
  return next;
}

/**
 * The first two failed sign-ins of each failing source (password spray) or user (MFA fatigue),
 * in typed arrays by entry number: time, user number, error code, and the evidence texts as
 * numbers into one shared table (about 100 bytes per entry). Most sources and users never fail
 * more than twice in a window, and a detector needs more than that for a finding; the few that
 * do are replayed into the detector's full state (time list, row sample) at their third.
 */
export class FailurePairs {
  private size = 0;
  private counts = new Int32Array(1024);
  private times = new Float64Array(1024 * PAIR_SIZE);
  private users = new Int32Array(1024 * PAIR_SIZE);
  private codes = new Int32Array(1024 * PAIR_SIZE);
  private texts = new Int32Array(1024 * PAIR_SIZE * TEXTS);
  private readonly textNumbers = new Map<string, number>();
  private readonly textList: string[] = [];

  /** A new, empty entry's number. */
  open(): number {
    const entry = this.size++;
    this.counts = grown(this.counts, this.size, (n) => new Int32Array(n));
    const slots = this.size * PAIR_SIZE;
    this.times = grown(this.times, slots, (n) => new Float64Array(n));
    this.users = grown(this.users, slots, (n) => new Int32Array(n));
    this.codes = grown(this.codes, slots, (n) => new Int32Array(n));
    this.texts = grown(this.texts, slots * TEXTS, (n) => new Int32Array(n));
    return entry;
  }

  /** Failures held by `entry`. */
  count(entry: number): number {
    return this.counts[entry] ?? 0;
  }

  /** Holds event `i` of `page` in `entry`; false when the entry is full (the caller spills it). */
  add(entry: number, page: EventPage, i: number, extra: string | null): boolean {
    const k = this.counts[entry] ?? 0;
    if (k === PAIR_SIZE) return false;
    const slot = entry * PAIR_SIZE + k;
    const raw = page.raw[i];
    const location = raw?.location;
    this.times[slot] = page.time[i] ?? 0;
    this.users[slot] = page.user[i] ?? 0;
    this.codes[slot] = page.errorCode[i] ?? 0;
    const base = slot * TEXTS;
    this.texts[base] = this.textNumber(text(raw?.ipAddress));
    this.texts[base + 1] = this.textNumber(text(location?.countryOrRegion));
    this.texts[base + 2] = this.textNumber(text(location?.city));
    this.texts[base + 3] = this.textNumber(text(raw?.appDisplayName));
    this.texts[base + 4] = this.textNumber(text(raw?.clientAppUsed));
    this.texts[base + 5] = this.textNumber(extra);
    this.counts[entry] = k + 1;
    return true;
  }

  time(entry: number, k: number): number {
    return this.times[entry * PAIR_SIZE + k] ?? 0;
  }

  user(entry: number, k: number): number {
    return this.users[entry * PAIR_SIZE + k] ?? 0;
  }

  /** The detector's own text of failure `k`. */
  extra(entry: number, k: number): string | null {
    return this.textOf((entry * PAIR_SIZE + k) * TEXTS + 5);
  }

  /** Failure `k` as evidence-row fields (as rowFields makes them); `userName` turns a user number into its key. */
  fields(entry: number, k: number, userName: (user: number) => string): RowFields {
    const slot = entry * PAIR_SIZE + k;
    const base = slot * TEXTS;
    return {
      time: this.times[slot] ?? 0,
      user: userName(this.users[slot] ?? 0),
      ip: this.textOf(base),
      country: this.textOf(base + 1),
      city: this.textOf(base + 2),
      app: this.textOf(base + 3),
      client: this.textOf(base + 4),
      errorCode: this.codes[slot] ?? 0,
    };
  }

  private textNumber(value: string | null): number {
    if (value === null) return -1;
    let number = this.textNumbers.get(value);
    if (number === undefined) {
      number = this.textList.length;
      this.textList.push(value);
      this.textNumbers.set(value, number);
    }
    return number;
  }

  private textOf(at: number): string | null {
    const number = this.texts[at] ?? -1;
    return number === -1 ? null : (this.textList[number] ?? null);
  }
}
