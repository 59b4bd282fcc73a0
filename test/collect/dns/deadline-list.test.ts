import { describe, expect, it } from 'vitest';
import { DeadlineList, type Timed } from '../../../src/collect/dns/deadline-list.js';

class Entry implements Timed<Entry> {
  deadlineAt = 0;
  older: Entry | undefined = undefined;
  newer: Entry | undefined = undefined;
  listed = false;
  constructor(readonly name: string) {}
}

describe('DeadlineList: one timer for many deadlines', () => {
  it('expires entries in deadline order whatever the order they came in, and never one removed before', async () => {
    const expired: string[] = [];
    const list = new DeadlineList<Entry>((entry) => expired.push(entry.name));
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => new Entry(n)) as [Entry, Entry, Entry, Entry];
    const now = performance.now();
    list.add(a, now + 60);
    list.add(b, now + 20);
    list.add(c, now + 40);
    list.add(d, now + 30);
    list.remove(d);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(expired).toEqual(['b', 'c', 'a']);
    expect([a, b, c, d].some((e) => e.listed)).toBe(false);
  });

  it('an entry added while expiring (a retry) gets its own turn', async () => {
    const expired: string[] = [];
    const list: DeadlineList<Entry> = new DeadlineList<Entry>((entry) => {
      expired.push(entry.name);
      if (entry.name === 'first') list.add(new Entry('retry'), performance.now() + 20);
    });
    list.add(new Entry('first'), performance.now() + 10);
    list.add(new Entry('later'), performance.now() + 80);
    await new Promise((resolve) => setTimeout(resolve, 160));
    expect(expired).toEqual(['first', 'retry', 'later']);
  });
});
