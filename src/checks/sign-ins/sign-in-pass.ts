import type { JsonObject } from '../../model/json.js';
import type { SignIn } from '../../snapshot/graph-types.js';
import { RecentIds } from './recent-ids.js';
import { type PrepareProblem, type SignInEvent, toSignInEvent } from './sign-in-event.js';

/** Duplicates are looked for within this distance in time of the stream's position. */
export const DEDUPE_HORIZON_MS = 3 * 60 * 60 * 1000;
/** Hard bound on remembered IDs (about 10 MB), whatever the stream looks like. */
export const DEDUPE_MAX_IDS = 100_000;

/**
 * The work every sign-in detector needs once per event: normalising the record and dropping
 * duplicates. The engine hands the same page to every stream check in turn, so the pass keeps
 * the last page's result and the detectors of one run share it instead of repeating it.
 */
export class SignInPass {
  private lastPage: readonly SignIn[] | undefined;
  private lastEvents: readonly SignInEvent[] = [];
  private readonly ids = new RecentIds(DEDUPE_HORIZON_MS, DEDUPE_MAX_IDS);
  readonly problems: Record<PrepareProblem | 'duplicate', number> = {
    noId: 0,
    badTime: 0,
    noUser: 0,
    noStatus: 0,
    duplicate: 0,
  };
  /** One string per user, so per-user state across detectors shares its keys (bounded by the tenant's users). */
  private readonly users = new Map<string, string>();
  private readonly intern = (user: string): string => {
    const known = this.users.get(user);
    if (known !== undefined) return known;
    this.users.set(user, user);
    return user;
  };
  read = 0;
  earliest = Infinity;
  latest = -Infinity;

  /** Whether a page went through already (a new evaluation must then start a new pass). */
  get started(): boolean {
    return this.lastPage !== undefined;
  }

  prepare(page: readonly SignIn[]): readonly SignInEvent[] {
    if (page === this.lastPage) return this.lastEvents;
    const events: SignInEvent[] = [];
    for (const raw of page) {
      this.read++;
      const event = toSignInEvent(raw, this.intern);
      if (typeof event === 'string') {
        this.problems[event]++;
        continue;
      }
      if (this.ids.seenBefore(event.id, event.time)) {
        this.problems.duplicate++;
        continue;
      }
      if (event.time < this.earliest) this.earliest = event.time;
      if (event.time > this.latest) this.latest = event.time;
      events.push(event);
    }
    this.lastPage = page;
    this.lastEvents = events;
    return events;
  }

  /** The time span read so far, for a stream that failed part-way. */
  coverage(): JsonObject {
    return {
      eventsRead: this.read,
      earliest: Number.isFinite(this.earliest) ? new Date(this.earliest).toISOString() : null,
      latest: Number.isFinite(this.latest) ? new Date(this.latest).toISOString() : null,
    };
  }
}

const passes = new WeakMap<object, SignInPass>();

/**
 * The pass shared by the detectors folding over one stream. A pass that has already consumed
 * pages belongs to an earlier evaluation, so a detector started later gets a fresh one.
 */
export function sharedPass(stream: object): SignInPass {
  const existing = passes.get(stream);
  if (existing && !existing.started) return existing;
  const pass = new SignInPass();
  passes.set(stream, pass);
  return pass;
}
