import { describe, expect, it } from 'vitest';
import { type RowFields, RowSample } from '../../../src/checks/sign-ins/evidence-rows.js';

/*
 * RowSample: the newest rows of a finding's evidence, whatever order they arrive in.
 */

const T0 = Date.parse('2026-11-27T00:00:00Z');

const fields = (second: number, user: string): RowFields => ({
  time: T0 + second * 1000,
  user,
  ip: '198.51.100.1',
  country: 'US',
  city: 'Boston',
  app: 'Outlook',
  client: 'Browser',
  errorCode: 50126,
});

describe('RowSample', () => {
  it('keeps the newest rows; of rows at the same time, those that came first; shows them oldest first', () => {
    const sample = new RowSample(3);
    for (const [second, user] of [
      [2, 'a'],
      [1, 'b'],
      [2, 'c'],
      [2, 'd'],
      [0, 'e'],
      [2, 'f'],
    ] as const) {
      sample.addFields(fields(second, `${user}@contoso.test`));
    }
    const { items, total } = sample.toJson();
    expect(total).toBe(6);
    expect(items.map((r) => [r.time, r.user])).toEqual([
      [new Date(T0 + 2000).toISOString(), 'd@contoso.test'],
      [new Date(T0 + 2000).toISOString(), 'c@contoso.test'],
      [new Date(T0 + 2000).toISOString(), 'a@contoso.test'],
    ]);
    expect(items[0]).toStrictEqual({
      time: new Date(T0 + 2000).toISOString(),
      user: 'd@contoso.test',
      ip: '198.51.100.1',
      country: 'US',
      city: 'Boston',
      app: 'Outlook',
      client: 'Browser',
      result: 'failure',
      errorCode: 50126,
    });
  });
});
