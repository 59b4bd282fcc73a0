import { describe, expect, it } from 'vitest';
import {
  EMPTY_HISTORY,
  type HistoryDay,
  latestCounts,
  parseHistory,
  renderHistoryBlock,
  withDay,
} from '../../src/report/history.js';

const day = (d: string, a: HistoryDay['a'], extra: Partial<HistoryDay> = {}): HistoryDay => ({
  d,
  a,
  s: [0, 1, 2, 3],
  c: 80,
  o: [],
  k: [],
  ...extra,
});

describe('dashboard history: an area a run did not audit is absent, never zero', () => {
  it('a later run on the same day that audited fewer areas keeps the others, and the wider run’s severities', () => {
    const tenant = day('2026-12-04', { mfa: [3, 8, 0, 0, 0], 'email-auth': [19, 18, 0, 0, 0] }, { o: [1, 2] });
    const dnsOnly = day('2026-12-04', { 'email-auth': [18, 18, 0, 1, 0] }, { s: [0, 0, 5, 1], c: null, o: [9] });
    const merged = withDay(withDay(EMPTY_HISTORY, tenant), dnsOnly).days;
    expect(merged).toHaveLength(1);
    expect(merged[0]).toEqual({
      d: '2026-12-04',
      a: { mfa: [3, 8, 0, 0, 0], 'email-auth': [18, 18, 0, 1, 0] },
      s: [0, 1, 2, 3],
      c: 80,
      o: [1, 2, 9],
      k: [],
    });
  });

  it('a run that audited every area replaces the day', () => {
    const first = day('2026-12-04', { mfa: [3, 8, 0, 0, 0] });
    const second = day('2026-12-04', { mfa: [4, 7, 0, 0, 0] }, { s: [1, 1, 1, 1], c: 90 });
    expect(withDay(withDay(EMPTY_HISTORY, first), second).days[0]).toMatchObject({
      a: { mfa: [4, 7, 0, 0, 0] },
      s: [1, 1, 1, 1],
      c: 90,
    });
  });

  it('reads a day without an area as not measured, and finds the latest day that measured it', () => {
    const history = {
      v: 1 as const,
      days: [day('2026-12-02', { mfa: [1, 9, 0, 0, 0] }), day('2026-12-03', { 'email-auth': [1, 1, 0, 0, 0] })],
    };
    const parsed = parseHistory(renderHistoryBlock(history));
    expect(parsed.status).toBe('ok');
    expect(parsed.history.days[1]?.a.mfa).toBeUndefined();
    expect(latestCounts(parsed.history, 'mfa', '2026-12-04')).toEqual({ day: '2026-12-02', counts: [1, 9, 0, 0, 0] });
    expect(latestCounts(parsed.history, 'sign-ins', '2026-12-04')).toBeUndefined();
    expect(latestCounts(parsed.history, 'mfa', '2026-12-01')).toBeUndefined();
  });
});
