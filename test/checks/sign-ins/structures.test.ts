import { describe, expect, it } from 'vitest';
import { EventPage, IP_MALFORMED, IP_V4, IP_V6 } from '../../../src/checks/sign-ins/event-page.js';
import { RowSample, rowFields } from '../../../src/checks/sign-ins/evidence-rows.js';
import { AccountIndex } from '../../../src/checks/sign-ins/structures/account-index.js';
import { BucketMarks } from '../../../src/checks/sign-ins/structures/bucket-marks.js';
import { FailurePairs } from '../../../src/checks/sign-ins/structures/failure-pairs.js';
import { insertAt } from '../../../src/checks/sign-ins/structures/insert-at.js';
import { MinuteSuccesses } from '../../../src/checks/sign-ins/structures/minute-successes.js';
import { RecentIds } from '../../../src/checks/sign-ins/structures/recent-ids.js';
import { TextCache } from '../../../src/checks/sign-ins/structures/text-cache.js';
import { densestWindow, TimeList } from '../../../src/checks/sign-ins/structures/time-list.js';
import type { SignIn } from '../../../src/snapshot/graph-types.js';

/** A page holding the given records, event `i` at `times[i]` by user number `i % names.length`. */
function pageOf(records: readonly SignIn[], times: readonly number[], names: readonly string[] = ['u@contoso.test']) {
  const page = new EventPage(names);
  page.reset(records.length);
  records.forEach((raw, i) => {
    page.push(raw, times[i] ?? 0, i % names.length, raw.status?.errorCode ?? 0);
  });
  return page;
}

function record(id: string, extra: Partial<SignIn> = {}): SignIn {
  return {
    id,
    createdDateTime: '2026-11-27T05:00:00Z',
    userPrincipalName: 'u@contoso.test',
    ipAddress: '198.51.100.7',
    appDisplayName: 'Outlook',
    clientAppUsed: 'Browser',
    status: { errorCode: 0 },
    location: { city: 'Boston', countryOrRegion: 'US' },
    ...extra,
  };
}

describe('TimeList: the newest `limit` times, sorted, with their payloads', () => {
  it('keeps the newest when full, whatever order the times come in, and counts every time offered', () => {
    const list = new TimeList<string>(3);
    for (const [time, payload] of [
      [30, 'c'],
      [10, 'a'],
      [20, 'b'],
      [40, 'd'],
      [5, 'too old'],
      [25, 'between'],
    ] as const)
      list.add(time, payload);
    expect(list.times).toEqual([25, 30, 40]);
    expect(list.payloads).toEqual(['between', 'c', 'd']);
    expect(list.total).toBe(6);
  });

  it('a time equal to the oldest kept, when full, is not kept: the earlier arrival stays', () => {
    const list = new TimeList<string>(3);
    list.add(1, 'first');
    list.add(2, 'b');
    list.add(3, 'c');
    list.add(1, 'late twin');
    expect(list.times).toEqual([1, 2, 3]);
    expect(list.payloads).toEqual(['first', 'b', 'c']);
    expect(list.total).toBe(4);
  });

  it('bare times keep no payloads; an empty list has none', () => {
    const list = new TimeList(2);
    expect(list.payloads).toEqual([]);
    list.add(7);
    list.add(3);
    list.add(9);
    expect(list.times).toEqual([7, 9]);
    expect(list.payloads).toEqual([]);
  });
});

describe('densestWindow: most distinct keys within a span', () => {
  it('slides its left edge past old times, forgetting a key only when its last time left', () => {
    // a twice, then b, c, d: at 12 the first a leaves (a still counted once), at 20 the second.
    const best = densestWindow([0, 5, 12, 20, 21], ['a', 'a', 'b', 'c', 'd'], 10);
    expect(best).toEqual({ distinct: 3, from: 12, to: 21, first: 2, last: 4 });
  });

  it('a key seen again inside the span counts once', () => {
    expect(densestWindow([0, 5, 12, 14], ['a', 'a', 'b', 'c'], 10)).toEqual({
      distinct: 3,
      from: 5,
      to: 14,
      first: 1,
      last: 3,
    });
  });

  it('no times: nothing distinct', () => {
    expect(densestWindow([], [], 10)).toEqual({ distinct: 0, from: 0, to: 0, first: 0, last: -1 });
  });
});

describe('insertAt', () => {
  it('copies a small list into a new array of the exact size', () => {
    const list = [1, 2, 4];
    const out = insertAt(list, 2, 3);
    expect(out).toEqual([1, 2, 3, 4]);
    expect(out).not.toBe(list);
    expect(list).toEqual([1, 2, 4]);
  });

  it('grows a list of 16 or more in place, at the end or inside', () => {
    const list = Array.from({ length: 16 }, (_, k) => k * 10);
    const end = insertAt(list, 16, 160);
    expect(end).toBe(list);
    expect(end.slice(-2)).toEqual([150, 160]);
    const inside = insertAt(list, 1, 5);
    expect(inside).toBe(list);
    expect(inside.slice(0, 3)).toEqual([0, 5, 10]);
    expect(inside).toHaveLength(18);
  });
});

describe('BucketMarks', () => {
  it('grows past its first 4,096 slots without losing the marks already made', () => {
    const start = Date.UTC(2026, 10, 27);
    const marks = new BucketMarks(start, start + 3_600_000);
    marks.mark(0, start + 60_000);
    marks.mark(20_000, start + 30 * 60_000);
    marks.mark(5_000, start + 45 * 60_000);
    expect(marks.any(0, start, start + 4 * 60_000)).toBe(true);
    expect(marks.any(20_000, start + 29 * 60_000, start + 31 * 60_000)).toBe(true);
    expect(marks.any(20_000, start, start + 20 * 60_000)).toBe(false);
    expect(marks.any(5_000, start + 45 * 60_000, start + 45 * 60_000)).toBe(true);
    // A slot never marked, past the grown array: no event.
    expect(marks.any(90_000, start, start + 3_600_000)).toBe(false);
    expect(marks.any(4_999, start, start + 3_600_000)).toBe(false);
  });
});

describe('FailurePairs', () => {
  it('holds two failures per entry, refuses a third, and keeps the first entries as it grows past 1,024', () => {
    const page = pageOf(
      [
        record('a', { status: { errorCode: 50126 }, location: null, ipAddress: '' }),
        record('b', { status: { errorCode: 50053 } }),
      ],
      [1_000, 2_000],
    );
    const pairs = new FailurePairs();
    const first = pairs.open();
    expect(pairs.add(first, page, 0, 'extra text')).toBe(true);
    expect(pairs.add(first, page, 1, null)).toBe(true);
    expect(pairs.add(first, page, 1, null)).toBe(false);
    let last = first;
    for (let k = 0; k < 1_500; k++) last = pairs.open();
    expect(last).toBe(1_500);
    pairs.add(last, page, 1, 'x');
    expect(pairs.count(first)).toBe(2);
    expect(pairs.count(last)).toBe(1);
    expect(pairs.time(first, 1)).toBe(2_000);
    expect(pairs.user(first, 0)).toBe(0);
    expect(pairs.extra(first, 0)).toBe('extra text');
    expect(pairs.extra(first, 1)).toBeNull();
    expect(pairs.fields(first, 0, (u) => `user-${u}`)).toEqual({
      time: 1_000,
      user: 'user-0',
      ip: null,
      country: null,
      city: null,
      app: 'Outlook',
      client: 'Browser',
      errorCode: 50126,
    });
    expect(pairs.fields(first, 1, (u) => `user-${u}`)).toEqual({
      time: 2_000,
      user: 'user-0',
      ip: '198.51.100.7',
      country: 'US',
      city: 'Boston',
      app: 'Outlook',
      client: 'Browser',
      errorCode: 50053,
    });
    expect(pairs.fields(last, 0, (u) => `user-${u}`).errorCode).toBe(50053);
  });
});

describe('RecentIds', () => {
  it('forgets IDs past the horizon or past its bound, and says how many it holds', () => {
    const ids = new RecentIds(100, 3);
    expect(ids.seenBefore('a', 0)).toBe(false);
    expect(ids.seenBefore('a', 50)).toBe(true);
    expect(ids.seenBefore('b', 60)).toBe(false);
    expect(ids.size).toBe(2);
    // At 150, 'a' (time 0) is past the horizon.
    expect(ids.seenBefore('c', 150)).toBe(false);
    expect(ids.size).toBe(2);
    expect(ids.seenBefore('a', 150)).toBe(false);
    expect(ids.size).toBe(3);
    // A fourth ID pushes out the oldest held ('b').
    expect(ids.seenBefore('d', 151)).toBe(false);
    expect(ids.size).toBe(3);
    expect(ids.seenBefore('b', 152)).toBe(false);
  });
});

describe('MinuteSuccesses', () => {
  it('keeps one success per slot and minute, and counts what it keeps', () => {
    const kept = new MinuteSuccesses();
    kept.add(0, 60_000, 1, '198.51.100.1');
    kept.add(0, 119_999, 2, '198.51.100.2');
    kept.add(1, 60_000, 3, null);
    kept.add(0, 120_000, 4, '198.51.100.4');
    kept.add(2_000, 180_000, 5, null);
    expect(kept.count).toBe(4);
    expect([...kept.entries()]).toEqual([
      { slot: 0, time: 60_000, user: 1, ip: '198.51.100.1' },
      { slot: 1, time: 60_000, user: 3, ip: null },
      { slot: 0, time: 120_000, user: 4, ip: '198.51.100.4' },
      { slot: 2_000, time: 180_000, user: 5, ip: null },
    ]);
  });
});

describe('AccountIndex', () => {
  it('matches listed accounts by object ID without regard to case, decided once per user number', () => {
    const index = new AccountIndex(['b1a55000-0000-4000-8000-000000000001']);
    expect(index.of(0, 'B1A55000-0000-4000-8000-000000000001')).toBe(0);
    expect(index.of(0, undefined)).toBe(0);
    expect(index.of(1, '')).toBe(-1);
    expect(index.of(1, 42)).toBe(-1);
    expect(index.of(2, 'someone-else')).toBe(-1);
    expect(index.of(2, 'b1a55000-0000-4000-8000-000000000001')).toBe(-1);
    expect(index.of(5_000, 'b1a55000-0000-4000-8000-000000000001')).toBe(0);
  });

  it('no listed account: nobody is one', () => {
    expect(new AccountIndex([]).of(0, 'b1a55000-0000-4000-8000-000000000001')).toBe(-1);
  });
});

describe('EventPage', () => {
  it.each([
    ['198.51.100.7', IP_V4, 3325256711],
    ['::ffff:203.0.113.5', IP_V4, 203 * 16777216 + (0 << 16) + (113 << 8) + 5],
    ['::ffff:255.254.253.252', IP_V4, 255 * 16777216 + (254 << 16) + (253 << 8) + 252],
    ['2001:db8::1', IP_V6, undefined],
    ['not an address', IP_MALFORMED, undefined],
    ['', IP_MALFORMED, undefined],
  ])('reads %j as kind %i with IPv4 value %j', (ip, kind, value) => {
    const page = pageOf([record('x', { ipAddress: ip })], [0]);
    expect(page.ip(0)).toBe(kind);
    expect(page.ip(0)).toBe(kind);
    if (value !== undefined) expect(page.ipv4[0]).toBe(value);
  });

  it('an event whose user number names no user has the empty name', () => {
    const page = new EventPage(['a@contoso.test']);
    page.reset(2);
    page.push(record('x'), 0, 0, 0);
    page.push(record('y'), 0, 7, 0);
    expect(page.userName(0)).toBe('a@contoso.test');
    expect(page.userName(1)).toBe('');
  });
});

describe('rowFields and RowSample', () => {
  it('reads a record with no location and empty texts as nulls, through a text cache too', () => {
    const page = pageOf([record('x', { location: null, appDisplayName: '', clientAppUsed: null })], [5_000]);
    const expected = {
      time: 5_000,
      user: 'u@contoso.test',
      ip: '198.51.100.7',
      country: null,
      city: null,
      app: null,
      client: null,
      errorCode: 0,
    };
    expect(rowFields(page, 0)).toEqual(expected);
    expect(rowFields(page, 0, new TextCache())).toEqual(expected);
  });

  it('keeps the newest rows when full, shows them oldest first, and counts every row', () => {
    const times = [3_000, 1_000, 5_000, 2_000, 4_000, 6_000, 2_500];
    const page = pageOf(
      times.map((_, k) => record(`r${k}`, { status: { errorCode: k === 2 ? 50126 : 0 } })),
      times,
    );
    const sample = new RowSample(3);
    for (let i = 0; i < page.count; i++) sample.add(page, i);
    const json = sample.toJson();
    expect(json.total).toBe(7);
    expect(json.items.map((r) => [r.time, r.result, r.errorCode])).toEqual([
      ['1970-01-01T00:00:04.000Z', 'success', 0],
      ['1970-01-01T00:00:05.000Z', 'failure', 50126],
      ['1970-01-01T00:00:06.000Z', 'success', 0],
    ]);
  });

  it('a sample of no rows counts every row and shows none', () => {
    const page = pageOf([record('a'), record('b')], [1_000, 2_000]);
    const sample = new RowSample(0);
    sample.add(page, 0);
    sample.addFields(rowFields(page, 1));
    expect(sample.toJson()).toEqual({ items: [], total: 2 });
  });
});
