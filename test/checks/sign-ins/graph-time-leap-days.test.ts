import { describe, expect, it } from 'vitest';
import { parseGraphTime } from '../../../src/checks/sign-ins/sign-in-event.js';

/*
 * The leap day belongs to February only: in a leap year every other month still ends by day 31,
 * and a day past a month's end up to 31 runs on into the next month as Date.parse reads it.
 */

describe('Graph times and the leap day', () => {
  it.each(['2024-01-32T00:00:00Z', '2024-03-32T00:00:00Z', '2026-01-32T00:00:00Z'])('%s is refused', (text) => {
    expect(parseGraphTime(text)).toBeUndefined();
  });

  it.each([
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['2024-02-30T00:00:00Z', Date.UTC(2024, 2, 1)],
    ['2026-02-29T00:00:00Z', Date.UTC(2026, 2, 1)],
    ['2024-04-31T00:00:00Z', Date.UTC(2024, 4, 1)],
  ])('%s is %i', (text, value) => {
    expect(parseGraphTime(text)).toBe(value);
  });
});
