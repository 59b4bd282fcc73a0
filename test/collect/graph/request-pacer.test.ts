import { describe, expect, it } from 'vitest';
import { RequestPacer } from '../../../src/collect/graph/request-pacer.js';

/** A clock that moves only when the pacer sleeps, so waits are exact. */
function fakeClock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

describe('RequestPacer (global pace of Graph requests)', () => {
  it('lets a burst start at once, then paces the rest at the configured rate', async () => {
    const clock = fakeClock();
    const pacer = new RequestPacer({ perSecond: 100, burst: 20 }, clock.now, clock.sleep);
    await pacer.take(20);
    expect(clock.now()).toBe(0);
    await pacer.take(10);
    expect(clock.now()).toBe(100);
    // 1,000 more at 100/s take 10 s: never more than burst + rate x elapsed.
    for (let i = 0; i < 100; i++) await pacer.take(10);
    expect(clock.now()).toBe(10_100);
  });

  it('serves waiters in order, so a batch of 20 is not starved by single requests', async () => {
    const clock = fakeClock();
    const pacer = new RequestPacer({ perSecond: 10, burst: 20 }, clock.now, clock.sleep);
    await pacer.take(20);
    const order: string[] = [];
    const batch = pacer.take(20).then(() => order.push(`batch@${clock.now()}`));
    const single = pacer.take(1).then(() => order.push(`single@${clock.now()}`));
    await Promise.all([batch, single]);
    expect(order).toEqual(['batch@2000', 'single@2100']);
  });

  it('takes more than the burst in turns instead of waiting forever', async () => {
    const clock = fakeClock();
    const pacer = new RequestPacer({ perSecond: 50, burst: 5 }, clock.now, clock.sleep);
    await pacer.take(20);
    expect(clock.now()).toBe(300);
  });
});

describe('RequestPacer after a 429', () => {
  it('cuts the pace once per second, not below a quarter, and climbs back while no 429 comes', async () => {
    const clock = fakeClock();
    const pacer = new RequestPacer({ perSecond: 100, burst: 10 }, clock.now, clock.sleep);
    pacer.throttled();
    pacer.throttled();
    expect(pacer.currentRate).toBe(75);
    for (let i = 0; i < 5; i++) {
      await clock.sleep(1000);
      pacer.throttled();
    }
    expect(pacer.currentRate).toBe(25);
    // 10 s without a 429 at 10 per second of recovery: back to the configured pace, no further.
    for (let i = 0; i < 120; i++) await pacer.take(10);
    expect(pacer.currentRate).toBe(100);
  });
});
