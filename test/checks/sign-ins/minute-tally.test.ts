import { describe, expect, it } from 'vitest';
import { MinuteTally } from '../../../src/checks/sign-ins/carry/minute-tally.js';

/*
 * MinuteTally.carry: the counts handed to the next run stop before the minute its read starts
 * at, which that run counts itself.
 */

const MINUTE = 60_000;

describe('MinuteTally.carry', () => {
  it('carries the minutes before the next read start, not that minute itself', () => {
    const start = Date.parse('2027-03-01T00:00:00Z');
    const tally = new MinuteTally(start, start + 10 * MINUTE, start, undefined);
    tally.count('analysed', start + 3 * MINUTE);
    tally.count('analysed', start + 5 * MINUTE + 59_999);
    tally.count('analysed', start + 6 * MINUTE);
    tally.count('analysed', start + 7 * MINUTE);
    expect(tally.carry(start + 6 * MINUTE)).toEqual({
      analysed: [
        [start + 3 * MINUTE, 1],
        [start + 5 * MINUTE, 1],
      ],
    });
  });
});
