import { describe, expect, it } from 'vitest';
import { parseGraphTime } from '../../../src/checks/sign-ins/sign-in-event.js';

/*
 * parseGraphTime reads Graph's own form digit by digit and everything else by the ISO 8601
 * grammar and Date.parse (a missing zone is UTC). Both must agree on every text: here on every
 * one-character change of a few Graph times, checked against that grammar and Date.parse.
 */

/** ISO 8601 date-times as the docstring of parseGraphTime states them, read by Date.parse. */
function byDateParse(text: string): number | undefined {
  const grammar =
    /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:[zZ]|[+-][0-9]{2}:?[0-9]{2})?$/;
  if (!grammar.test(text)) return undefined;
  const zoned = /(?:[zZ]|[+-][0-9]{2}:?[0-9]{2})$/.test(text);
  const value = Date.parse(zoned ? text : `${text}Z`);
  return Number.isFinite(value) ? value : undefined;
}

/** Every text one character away from `base`: each character replaced, removed, or one inserted. */
function neighbours(base: string): string[] {
  const characters = ['/', '0', '1', '2', '9', ':', ';', 'Z', 'z', '.', '-', 'T', '+', ' '];
  const out: string[] = [];
  for (let k = 0; k <= base.length; k++) {
    if (k < base.length) out.push(base.slice(0, k) + base.slice(k + 1));
    for (const c of characters) {
      out.push(base.slice(0, k) + c + base.slice(k));
      if (k < base.length) out.push(base.slice(0, k) + c + base.slice(k + 1));
    }
  }
  return out;
}

describe('parseGraphTime', () => {
  it.each([
    '2026-11-27T05:59:00Z',
    '2024-02-29T23:59:59.999Z',
    '2026-11-27T05:59:00.1234567Z',
    '2026-12-31T19:09:10.5Z',
    '2100-02-28T10:20:30Z',
  ])('agrees with the ISO 8601 grammar and Date.parse on every text one character away from %s', (base) => {
    const texts = [base, ...neighbours(base)];
    const disagree = texts.filter((text) => parseGraphTime(text) !== byDateParse(text));
    expect(disagree).toEqual([]);
    // The neighbours hold both times read and texts refused.
    expect(texts.filter((text) => byDateParse(text) === undefined).length).toBeGreaterThan(100);
    expect(texts.filter((text) => byDateParse(text) !== undefined).length).toBeGreaterThan(10);
  });

  it.each([
    '2026-11-2/T05:59:00Z',
    '2026-11-2:T05:59:00Z',
    '2026-1/-27T05:59:00Z',
    '/026-11-27T05:59:00Z',
    '2026-11-27T05:59:0/Z',
    '2026-03-29T02:30:001',
  ])('refuses %s', (text) => {
    expect(parseGraphTime(text)).toBeUndefined();
  });
});
