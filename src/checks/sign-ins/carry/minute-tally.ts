import type { MinuteCounts } from '../../../snapshot/carried-sign-ins.js';

const MINUTE = 60_000;

/**
 * Counts per UTC minute of a window, by series (`analysed`, each skip reason), so that an
 * incremental run can quote the figures of its whole window ("among N events") exactly: counts
 * of the minutes before its read come from the earlier runs (`carried`), those from its read on
 * are counted here. An incremental run's clock is a whole minute, so its window's edges fall on
 * minute boundaries and no minute is split between two sources.
 */
export class MinuteTally {
  private readonly first: number;
  private readonly size: number;
  private readonly series = new Map<string, Int32Array>();
  private readonly carried = new Map<string, Map<number, number>>();

  constructor(
    start: number,
    end: number,
    /** Minutes before this come from `carried`; from it on, from `count`. */
    private readonly readFrom: number,
    carried: MinuteCounts | undefined,
  ) {
    this.first = Math.floor(start / MINUTE);
    this.size = Math.max(0, Math.floor(end / MINUTE) - this.first + 1);
    for (const [name, pairs] of Object.entries(carried ?? {})) {
      const byMinute = new Map<number, number>();
      for (const [minute, count] of pairs) byMinute.set(minute, count);
      this.carried.set(name, byMinute);
    }
  }

  count(name: string, time: number): void {
    const at = Math.floor(time / MINUTE) - this.first;
    if (at < 0 || at >= this.size) return;
    let counts = this.series.get(name);
    if (counts === undefined) {
      counts = new Int32Array(this.size);
      this.series.set(name, counts);
    }
    counts[at] = (counts[at] ?? 0) + 1;
  }

  /** The count of one minute (epoch ms of its start): carried before `readFrom`, counted after. */
  private at(name: string, minute: number): number {
    if (minute < this.readFrom) return this.carried.get(name)?.get(minute) ?? 0;
    return this.series.get(name)?.[minute / MINUTE - this.first] ?? 0;
  }

  private names(): Set<string> {
    return new Set([...this.series.keys(), ...this.carried.keys()]);
  }

  /** Each series' total over the window. */
  totals(): Map<string, number> {
    const out = new Map<string, number>();
    for (const name of this.names()) {
      let total = 0;
      for (let k = 0; k < this.size; k++) total += this.at(name, (this.first + k) * MINUTE);
      if (total > 0) out.set(name, total);
    }
    return out;
  }

  /** The totals over the window's minutes before the read start (what earlier runs carried), by series. */
  carriedTotals(): Map<string, number> {
    const out = new Map<string, number>();
    const last = Math.floor(this.readFrom / MINUTE);
    for (const [name, byMinute] of this.carried) {
      let total = 0;
      for (const [minute, count] of byMinute) {
        const k = Math.floor(minute / MINUTE);
        if (k >= this.first && k < this.first + this.size && k < last) total += count;
      }
      if (total > 0) out.set(name, total);
    }
    return out;
  }

  /** The counts of the minutes before `before` (the next run's read start), for the next run. */
  carry(before: number): MinuteCounts {
    const out: Record<string, [number, number][]> = {};
    for (const name of this.names()) {
      const pairs: [number, number][] = [];
      for (let k = 0; k < this.size; k++) {
        const minute = (this.first + k) * MINUTE;
        if (minute >= before) break;
        const count = this.at(name, minute);
        if (count > 0) pairs.push([minute, count]);
      }
      if (pairs.length > 0) out[name] = pairs;
    }
    return out;
  }
}
