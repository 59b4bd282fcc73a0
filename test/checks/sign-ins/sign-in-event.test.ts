import { describe, expect, it } from 'vitest';
import { parseGraphTime } from '../../../src/checks/sign-ins/sign-in-event.js';

/*
 * parseGraphTime's digit-by-digit path must refuse what is not a digit, however close its
 * character code lies to the digits ('/' is just below '0', ':' just above '9').
 */

describe('parseGraphTime', () => {
  it.each([
    '2026-11-2/T05:59:00Z',
    '2026-11-2:T05:59:00Z',
    '2026-1/-27T05:59:00Z',
    '/026-11-27T05:59:00Z',
    '2026-11-27T05:5:00Z',
    '2026-11-27T05:59:0/Z',
  ])('refuses %s', (text) => {
    expect(parseGraphTime(text)).toBeUndefined();
  });
});
