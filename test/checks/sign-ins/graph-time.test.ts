import { describe, expect, it } from 'vitest';
import { parseGraphTime } from '../../../src/checks/sign-ins/sign-in-event.js';
import { prng } from '../../helpers/sign-in-generator.js';

describe('sign-in times', () => {
  it('reads Graph UTC times digit by digit exactly as Date.parse does', () => {
    const random = prng(5);
    for (let n = 0; n < 20_000; n++) {
      // Years 1900–2100, any millisecond.
      const ms = Math.floor((random() * 200 - 70) * 365.25 * 86_400_000);
      const iso = new Date(ms).toISOString();
      expect(parseGraphTime(iso)).toBe(ms);
      const whole = iso.replace(/\.\d+Z$/, 'Z');
      expect(parseGraphTime(whole)).toBe(Date.parse(whole));
    }
  });

  it.each([
    ['2024-02-29T12:00:00Z', Date.parse('2024-02-29T12:00:00Z')],
    ['2026-11-27T05:59:00.1Z', Date.parse('2026-11-27T05:59:00.100Z')],
    ['2026-11-27T05:59:00.1234567Z', Date.parse('2026-11-27T05:59:00.123Z')],
    // Outside the digit-by-digit form: read by the general path, as before.
    ['2026-02-30T00:00:00Z', Date.parse('2026-02-30T00:00:00Z')],
    ['2026-11-27T24:00:00Z', Date.parse('2026-11-27T24:00:00Z')],
    ['2026-03-29T02:30:00+02:00', Date.parse('2026-03-29T00:30:00Z')],
    ['2026-03-29T02:30:00', Date.parse('2026-03-29T02:30:00Z')],
    ['2026-03-29T02:30:00z', Date.parse('2026-03-29T02:30:00Z')],
  ])('reads %s', (text, expected) => expect(parseGraphTime(text)).toBe(expected));

  it.each([
    '2026-11-27T05:59:00.Z',
    '2026-11-27T23:59:60Z',
    '2026-13-01T00:00:00Z',
    '2026-11-27 05:59:00Z',
    'garbage',
    '',
  ])('refuses %s', (text) => expect(parseGraphTime(text)).toBeUndefined());
});
