/** What the list needs of an entry: its deadline and two links, kept on the entry itself. */
export interface Timed<T> {
  /** performance.now() value after which the entry expires. */
  deadlineAt: number;
  older: T | undefined;
  newer: T | undefined;
  listed: boolean;
}

/**
 * Entries ordered by deadline, with one timer for all of them: armed for the oldest deadline,
 * it expires what is due and re-arms for the next. A query's timeout then costs two pointer
 * writes instead of a setTimeout and a clearTimeout. Entries usually arrive in deadline order
 * (one timeout per client, clipped by the phase deadline), so adding one is a look at the tail,
 * and removing one (its reply came) is an unlink.
 *
 * The timer keeps the process alive only while entries wait, as a timer per query did.
 */
export class DeadlineList<T extends Timed<T>> {
  private oldest: T | undefined;
  private newest: T | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The deadline the timer is armed for; it may fire for an entry gone since: it then re-arms. */
  private armedFor = Infinity;
  private timerHeld = false;
  private readonly sweep = (): void => this.expireDue();

  constructor(private readonly expire: (entry: T) => void) {}

  add(entry: T, deadlineAt: number): void {
    entry.deadlineAt = deadlineAt;
    entry.listed = true;
    let after = this.newest;
    while (after !== undefined && after.deadlineAt > deadlineAt) after = after.older;
    entry.older = after;
    entry.newer = after === undefined ? this.oldest : after.newer;
    if (entry.newer === undefined) this.newest = entry;
    else entry.newer.older = entry;
    if (after === undefined) this.oldest = entry;
    else after.newer = entry;
    if (deadlineAt < this.armedFor) this.arm(deadlineAt);
    else if (!this.timerHeld) this.hold(true);
  }

  remove(entry: T): void {
    if (!entry.listed) return;
    entry.listed = false;
    if (entry.older === undefined) this.oldest = entry.newer;
    else entry.older.newer = entry.newer;
    if (entry.newer === undefined) this.newest = entry.older;
    else entry.newer.older = entry.older;
    entry.older = undefined;
    entry.newer = undefined;
    // Nothing waits: the armed timer must not keep the process alive.
    if (this.oldest === undefined && this.timerHeld) this.hold(false);
  }

  /** Stops the timer; entries stay where they are (the owner fails them). */
  clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Infinity;
    this.timerHeld = false;
  }

  private arm(deadlineAt: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.armedFor = deadlineAt;
    this.timer = setTimeout(this.sweep, Math.max(1, Math.ceil(deadlineAt - performance.now())));
    this.timerHeld = true;
  }

  private hold(held: boolean): void {
    this.timerHeld = held;
    if (held) this.timer?.ref();
    else this.timer?.unref();
  }

  private expireDue(): void {
    this.timer = undefined;
    this.armedFor = Infinity;
    this.timerHeld = false;
    const now = performance.now();
    for (let entry = this.oldest; entry !== undefined && entry.deadlineAt <= now; entry = this.oldest) {
      this.remove(entry);
      // May add entries (a retry), each with a deadline after now: the loop ends.
      this.expire(entry);
    }
    // A retry added above armed the timer for itself; an older entry may still come first.
    if (this.oldest !== undefined && this.oldest.deadlineAt < this.armedFor) this.arm(this.oldest.deadlineAt);
  }
}
