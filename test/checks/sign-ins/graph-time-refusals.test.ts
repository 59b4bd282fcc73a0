import { describe, expect, it } from 'vitest';
import { parseGraphTime } from '../../../src/checks/sign-ins/sign-in-event.js';

/*
 * parseGraphTime reads Graph's usual UTC form digit by digit and leaves anything else to the
 * general ISO 8601 path. These inputs are one character or one field away from that form: each
 * is refused, or read as the general path reads it, never taken by the digit-by-digit reader.
 */

describe('Graph times one character from the usual form', () => {
  it.each([
    ['a date separator', '2026x11-27T05:59:00Z'],
    ['the second date separator', '2026-11x27T05:59:00Z'],
    ['the T', '2026-11-27x05:59:00Z'],
    ['a time separator', '2026-11-27T05x59:00Z'],
    ['the second time separator', '2026-11-27T05:59x00Z'],
    ['the zone letter', '2026-11-27T05:59:00Q'],
    ['the fraction point', '2026-11-27T05:59:00x5Z'],
    ['a digit below 0', '2/26-11-27T05:59:00Z'],
    ['a digit above 9', '202:-11-27T05:59:00Z'],
    ['a fraction digit below 0', '2026-11-27T05:59:00.1/Z'],
    ['a fraction digit above 9', '2026-11-27T05:59:00.1:Z'],
    ['hour 24 past the whole hour', '2026-11-27T24:30:00Z'],
    ['minute 60', '2026-11-27T05:60:00Z'],
    ['day 0', '2026-11-00T05:59:00Z'],
    ['day 32', '2026-01-32T00:00:00Z'],
    ['day 32 in a leap year', '2024-01-32T00:00:00Z'],
    ['second 60', '2026-11-27T05:59:60Z'],
    ['an hour digit', '2026-11-27T0x:59:00Z'],
    ['a minute digit', '2026-11-27T05:5x:00Z'],
    ['a second digit', '2026-11-27T05:59:0xZ'],
  ])('%s changed is refused: %s', (_what, text) => {
    expect(parseGraphTime(text)).toBeUndefined();
  });

  it.each([
    // No zone: UTC, with every fraction digit up to the millisecond.
    ['2026-11-27T05:59:00.55', Date.UTC(2026, 10, 27, 5, 59, 0, 550)],
    ['2026-11-27T05:59:00.5555', Date.UTC(2026, 10, 27, 5, 59, 0, 555)],
    ['2026-11-27T05:59:00', Date.UTC(2026, 10, 27, 5, 59, 0)],
    // Past the millisecond the digits are read and dropped.
    ['2026-11-27T05:59:00.5555Z', Date.UTC(2026, 10, 27, 5, 59, 0, 555)],
    // A day past the month's end (up to 31) runs on into the next month, as Date.parse reads it.
    ['2026-02-29T00:00:00Z', Date.UTC(2026, 2, 1)],
    ['2026-04-31T00:00:00Z', Date.UTC(2026, 4, 1)],
    // The earliest and latest of each field.
    ['0001-01-01T00:00:00Z', -62_135_596_800_000],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['2000-02-29T00:00:00Z', Date.UTC(2000, 1, 29)],
  ])('%s is %i', (text, value) => {
    expect(parseGraphTime(text)).toBe(value);
  });
});
