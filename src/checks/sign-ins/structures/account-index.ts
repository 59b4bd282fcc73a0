/** Not decided yet for this user number. */
const UNDECIDED = -2;

/**
 * Which of a few listed accounts (by object ID) a sign-in is, decided once per user number (the
 * shared pass numbers users), so a stream of millions of events costs one array read per event.
 * A user number is decided by the first of its events that carries a `userId`.
 */
export class AccountIndex {
  private readonly byId: ReadonlyMap<string, number>;
  private decided = new Int32Array(0);

  /** `ids`: lower-case object IDs; an event's `userId` is compared without regard to case. */
  constructor(ids: readonly string[]) {
    this.byId = new Map(ids.map((id, index) => [id, index]));
  }

  /** The index of the listed account user `user` is, or -1. */
  of(user: number, userId: unknown): number {
    if (this.byId.size === 0) return -1;
    if (user >= this.decided.length) {
      const grown = new Int32Array(Math.max(user + 1, this.decided.length * 2, 1024)).fill(UNDECIDED);
      grown.set(this.decided);
      this.decided = grown;
    }
    const known = this.decided[user] ?? UNDECIDED;
    if (known !== UNDECIDED) return known;
    if (typeof userId !== 'string' || userId === '') return -1;
    const found = this.byId.get(userId) ?? this.byId.get(userId.toLowerCase()) ?? -1;
    this.decided[user] = found;
    return found;
  }
}
