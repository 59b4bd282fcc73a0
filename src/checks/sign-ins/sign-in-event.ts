import type { SignIn } from '../../snapshot/graph-types.js';

/** Graph date-times are UTC; a value without a zone designator must still be read as UTC. */
const HAS_ZONE = /(?:[zZ]|[+-][0-9]{2}:?[0-9]{2})$/;
const ISO_DATE_TIME =
  /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:[zZ]|[+-][0-9]{2}:?[0-9]{2})?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Two or four decimal digits at `at`, or -1. */
function digits(text: string, at: number, count: 2 | 4): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "days_from_civil"). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * The form Graph always sends, `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, read in place: no regex, no
 * Date. Returns NaN for anything else (offsets, no zone, out-of-range fields), which then takes
 * the general path, so both agree with Date.parse by construction.
 */
function parseGraphUtc(text: string): number {
  const length = text.length;
  if (length < 20 || text.charCodeAt(length - 1) !== 90) return Number.NaN;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84) return Number.NaN;
  if (text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return Number.NaN;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (
    year < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59
  ) {
    return Number.NaN;
  }
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (DAYS_IN_MONTH[month - 1] ?? 0) + (leap ? 1 : 0)) return Number.NaN;
  let ms = 0;
  if (length > 20) {
    // A fraction: Date.parse keeps its first three digits.
    if (text.charCodeAt(19) !== 46 || length === 21) return Number.NaN;
    for (let i = 20, scale = 100; i < length - 1; i++, scale /= 10) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return Number.NaN;
      if (scale >= 1) ms += d * scale;
    }
  }
  return daysFromCivil(year, month, day) * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms;
}

/**
 * Reads an ISO 8601 date-time as epoch milliseconds. Offsets are honoured (`+02:00`), a
 * missing zone means UTC (never the machine's local zone, which would move events across
 * daylight-saving changes), and anything else is `undefined`.
 */
export function parseGraphTime(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const fast = parseGraphUtc(text);
  if (!Number.isNaN(fast)) return fast;
  if (!ISO_DATE_TIME.test(text)) return undefined;
  const value = Date.parse(HAS_ZONE.test(text) ? text : `${text}Z`);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * The ISO 3166-1 alpha-2 country of a sign-in as one number (the two upper-case letters'
 * codes), or -1 when absent or not a code: comparing numbers spares a string per event.
 */
export function countryCodeOf(raw: SignIn): number {
  return countryCode(raw.location?.countryOrRegion);
}

/** countryCodeOf for a text. */
export function countryCode(country: string | null | undefined): number {
  if (typeof country !== 'string' || country.length !== 2) return -1;
  const a = country.charCodeAt(0) & ~32;
  const b = country.charCodeAt(1) & ~32;
  if (a < 65 || a > 90 || b < 65 || b > 90) return -1;
  return (a << 8) | b;
}

/** The text of a country number from countryCodeOf. */
export function countryText(code: number): string {
  return String.fromCharCode(code >> 8, code & 255);
}
