import type { Json, JsonObject } from '../model/json.js';

/**
 * ISO 8601 date-times as Graph and the Exchange admin API write them (RFC 3339 §5.6): a date, a
 * time to the minute or second, an optional fraction, and `Z` or an offset.
 */
const DATE_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;
/** The serialiser's date of older Exchange cmdlet output: `/Date(1764223200000)/`. */
const MS_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

/**
 * Moves every timestamp of a snapshot folder by one fixed amount, so a tenant captured on one day
 * is served as of another: `simulate` and `audit --simulate/--demo` serve a folder as of the
 * current time (by now − capturedAt), so look-back windows that end at the real clock see the
 * folder's activity at the same distance from "now" as at capture.
 *
 * The shift is whole seconds, so the fraction digits of a time are kept as written.
 */
export class TimeShift {
  static readonly NONE = new TimeShift(0);

  private constructor(readonly ms: number) {}

  /** The shift that moves `capturedAt` to `servedAt`, rounded down to a whole second. */
  static between(capturedAt: string, servedAt: Date): TimeShift {
    const diff = servedAt.getTime() - Date.parse(capturedAt);
    if (!Number.isFinite(diff)) return TimeShift.NONE;
    return new TimeShift(Math.floor(diff / 1000) * 1000);
  }

  get active(): boolean {
    return this.ms !== 0;
  }

  /** A date-time string moved by the shift, in UTC; any other string as it was. */
  text(value: string): string {
    if (this.ms === 0) return value;
    // Cheap tests first: sign-in events carry a dozen strings each, few of them times.
    const first = value.charCodeAt(0);
    if (first >= 48 && first <= 57) {
      if (value.length < 16 || value.charCodeAt(4) !== 45 || value.charCodeAt(10) !== 84) return value;
      const match = DATE_TIME.exec(value);
      if (match === null) return value;
      const [, minutes = '', seconds = '', fraction = '', zone = 'Z'] = match;
      const base = Date.parse(`${minutes}${seconds || ':00'}${zone}`);
      if (Number.isNaN(base)) return value;
      const moved = new Date(base + this.ms).toISOString();
      const keepSeconds = seconds !== '' || this.ms % 60_000 !== 0;
      return `${moved.slice(0, keepSeconds ? 19 : 16)}${fraction}Z`;
    }
    if (first === 47) {
      const match = MS_DATE.exec(value);
      if (match === null) return value;
      return `/Date(${Number(match[1]) + this.ms}${match[2] ?? ''})/`;
    }
    return value;
  }

  /** A copy of a JSON value with every date-time string in it moved. */
  value<T extends Json>(value: T): T {
    if (this.ms === 0) return value;
    return this.walk(value) as T;
  }

  /** A copy of a JSON object with every date-time string in it moved. */
  object(value: JsonObject): JsonObject {
    return this.value(value);
  }

  /** An epoch time moved by the shift. */
  epoch(ms: number): number {
    return ms + this.ms;
  }

  private walk(value: Json): Json {
    if (typeof value === 'string') return this.text(value);
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((item: Json) => this.walk(item));
    const out: Record<string, Json> = {};
    for (const key of Object.keys(value)) out[key] = this.walk((value as JsonObject)[key] as Json);
    return out;
  }
}
