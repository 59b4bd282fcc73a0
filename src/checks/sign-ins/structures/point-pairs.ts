/**
 * The first two sign-in points of every user, held in typed arrays by user number: where most
 * users stay all day (one place, so a run whose last point moves forward). A point is its time,
 * coordinates, IPv4 address as a number, and its evidence texts (country, city, app, client) as
 * numbers into a shared table; about 100 bytes per user and no object per user. A user whose
 * points do not fit this shape (a third place, an event older than its last point, a text past
 * the table's bound) is spilled by the caller into a list of objects.
 */

/** `count` of a user whose points live elsewhere (spilled). */
export const SPILLED = 3;
/** Distinct evidence texts shared; past this, users with new texts are spilled. */
const TEXT_LIMIT = 65_536;

/** The fields of one point, as the caller reads and writes them. */
export interface PointFields {
  time: number;
  lat: number;
  lon: number;
  /** The address as a number when it is a plain dotted quad, else -1 and `ip` holds the text. */
  ipv4: number;
  ip: string | null;
  country: string | null;
  city: string | null;
  app: string | null;
  client: string | null;
}

export class PointPairs {
  /** Points held per user: 0, 1, 2, or SPILLED. */
  count = new Uint8Array(1024);
  private time = new Float64Array(2048);
  private lat = new Float64Array(2048);
  private lon = new Float64Array(2048);
  private ipv4 = new Float64Array(2048);
  /** Four text numbers per point (country, city, app, client); -1 is null. */
  private texts = new Int32Array(8192);
  /** Address texts of points whose address is not a plain dotted quad, by point slot. */
  private readonly ipTexts = new Map<number, string>();
  private readonly textNumbers = new Map<string, number>();
  private readonly textValues: string[] = [];

  /** Makes room for `user`. */
  ensure(user: number): void {
    if (user < this.count.length) return;
    const size = Math.max(user + 1, this.count.length * 2);
    const grow = <T extends Uint8Array | Float64Array | Int32Array>(old: T, make: (n: number) => T, per: number): T => {
      const next = make(size * per);
      next.set(old);
      return next;
    };
    this.count = grow(this.count, (n) => new Uint8Array(n), 1);
    this.time = grow(this.time, (n) => new Float64Array(n), 2);
    this.lat = grow(this.lat, (n) => new Float64Array(n), 2);
    this.lon = grow(this.lon, (n) => new Float64Array(n), 2);
    this.ipv4 = grow(this.ipv4, (n) => new Float64Array(n), 2);
    this.texts = grow(this.texts, (n) => new Int32Array(n), 8);
  }

  timeOf(user: number, k: number): number {
    return this.time[user * 2 + k] ?? 0;
  }

  latOf(user: number, k: number): number {
    return this.lat[user * 2 + k] ?? 0;
  }

  lonOf(user: number, k: number): number {
    return this.lon[user * 2 + k] ?? 0;
  }

  /** Whether one more point's texts surely fit the table; if not, the caller spills the user. */
  hasRoom(): boolean {
    return this.textValues.length + 4 <= TEXT_LIMIT;
  }

  private textNumber(value: string | null, previous: number): number {
    if (value === null) return -1;
    if (previous >= 0 && this.textValues[previous] === value) return previous;
    const known = this.textNumbers.get(value);
    if (known !== undefined) return known;
    this.textNumbers.set(value, this.textValues.length);
    this.textValues.push(value);
    return this.textValues.length - 1;
  }

  /** Writes point `k` of `user` (after hasRoom). */
  write(user: number, k: number, point: PointFields): void {
    const slot = user * 2 + k;
    const base = slot * 4;
    this.texts[base] = this.textNumber(point.country, this.texts[base] ?? -1);
    this.texts[base + 1] = this.textNumber(point.city, this.texts[base + 1] ?? -1);
    this.texts[base + 2] = this.textNumber(point.app, this.texts[base + 2] ?? -1);
    this.texts[base + 3] = this.textNumber(point.client, this.texts[base + 3] ?? -1);
    this.time[slot] = point.time;
    this.lat[slot] = point.lat;
    this.lon[slot] = point.lon;
    this.ipv4[slot] = point.ipv4;
    if (point.ipv4 >= 0 || point.ip === null) this.ipTexts.delete(slot);
    else this.ipTexts.set(slot, point.ip);
  }

  /** Copies point `k` of `user` to point `to` (used to make room at the front). */
  move(user: number, k: number, to: number): void {
    const from = user * 2 + k;
    const slot = user * 2 + to;
    this.time[slot] = this.time[from] ?? 0;
    this.lat[slot] = this.lat[from] ?? 0;
    this.lon[slot] = this.lon[from] ?? 0;
    this.ipv4[slot] = this.ipv4[from] ?? -1;
    this.texts.copyWithin(slot * 4, from * 4, from * 4 + 4);
    const ip = this.ipTexts.get(from);
    if (ip === undefined) this.ipTexts.delete(slot);
    else this.ipTexts.set(slot, ip);
  }

  /** Point `k` of `user` as an object (for evidence, or to spill the user). */
  read(user: number, k: number): PointFields {
    const slot = user * 2 + k;
    const text = (n: number | undefined): string | null =>
      n === undefined || n < 0 ? null : (this.textValues[n] ?? null);
    const ipv4 = this.ipv4[slot] ?? -1;
    return {
      time: this.time[slot] ?? 0,
      lat: this.lat[slot] ?? 0,
      lon: this.lon[slot] ?? 0,
      ipv4,
      ip: ipv4 >= 0 ? null : (this.ipTexts.get(slot) ?? null),
      country: text(this.texts[slot * 4]),
      city: text(this.texts[slot * 4 + 1]),
      app: text(this.texts[slot * 4 + 2]),
      client: text(this.texts[slot * 4 + 3]),
    };
  }

  /** Forgets a spilled user's slots (their address texts). */
  spill(user: number): void {
    this.ipTexts.delete(user * 2);
    this.ipTexts.delete(user * 2 + 1);
    this.count[user] = SPILLED;
  }
}
