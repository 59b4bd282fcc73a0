import type { JsonObject } from '../../model/json.js';
import type { SignIn } from '../../snapshot/graph-types.js';
import { EventPage } from './event-page.js';
import { RecentIds } from './structures/recent-ids.js';
import { parseGraphTime } from './sign-in-event.js';

/** Duplicates are looked for within this distance in time of the stream's position. */
export const DEDUPE_HORIZON_MS = 3 * 60 * 60 * 1000;
/** Hard bound on remembered IDs (about 10 MB), whatever the stream looks like. */
export const DEDUPE_MAX_IDS = 100_000;
/** Past this many spellings, a UPN's raw text is no longer remembered (its lower case still is). */
const RAW_SPELLINGS_MAX = 1_000_000;

/** How many records with an unreadable time the evidence names, by ID. */
const BAD_TIME_EXAMPLES = 5;

/** Why the engine-wide preparation dropped a record before any detector saw it. */
export type PrepareProblem = 'noId' | 'badTime' | 'noUser' | 'noStatus';

/**
 * The work every sign-in detector needs once per event: normalising the record, numbering its
 * user and dropping duplicates. The engine hands the same page to every stream check in turn,
 * so the pass keeps the last page's result and the detectors of one run share it instead of
 * repeating it.
 */
export class SignInPass {
  private lastPage: readonly SignIn[] | undefined;
  private readonly ids = new RecentIds(DEDUPE_HORIZON_MS, DEDUPE_MAX_IDS);
  readonly problems: Record<PrepareProblem | 'duplicate', number> = {
    noId: 0,
    badTime: 0,
    noUser: 0,
    noStatus: 0,
    duplicate: 0,
  };
  /** User key (and raw spellings of it) → user number; detectors keep per-user state by number. */
  private readonly userNumbers = new Map<string, number>();
  private readonly names: string[] = [];
  private spellings = 0;
  private readonly page = new EventPage(this.names);
  /**
   * Records dropped as unreadable (no ID, time or status), by the lower-case `userId` they name:
   * a detector that must say an account did NOT sign in (break-glass) cannot, while one of its
   * records is unreadable. Records naming no user are counted in `unattributed`.
   */
  readonly unreadByUserId = new Map<string, number>();
  unattributed = 0;
  /**
   * The records of the last page dropped as unreadable or naming no user: the lower-case `userId`
   * they name (null for none) and their time (undefined when it cannot be read). An incremental
   * run carries them (detector-fold.ts), so a later run whose window still holds them does not
   * judge as if they were never there.
   */
  readonly pageUnread: { readonly userId: string | null; readonly time: number | undefined }[] = [];
  /** The first few records whose `createdDateTime` is not a date-time, for the evidence. */
  readonly badTimes: { readonly id: string | null; readonly createdDateTime: string }[] = [];
  read = 0;
  earliest = Infinity;
  latest = -Infinity;

  /** Whether a page went through already (a new evaluation must then start a new pass). */
  get started(): boolean {
    return this.lastPage !== undefined;
  }

  /** The stable per-user key of a user number: the lower-case UPN, or the object ID. */
  userName(user: number): string {
    return this.names[user] ?? '';
  }

  /** The number of a user key as Graph spelled it; the key is the lower-cased text. */
  private userNumber(text: string): number {
    const known = this.userNumbers.get(text);
    if (known !== undefined) return known;
    const key = text.toLowerCase();
    let user = this.userNumbers.get(key);
    if (user === undefined) {
      user = this.names.length;
      this.names.push(key);
      this.userNumbers.set(key, user);
    }
    if (key !== text && this.spellings < RAW_SPELLINGS_MAX) {
      this.spellings++;
      this.userNumbers.set(text, user);
    }
    return user;
  }

  prepare(records: readonly SignIn[]): EventPage {
    const page = this.page;
    if (records === this.lastPage) return page;
    page.reset(records.length);
    this.pageUnread.length = 0;
    for (const raw of records) {
      this.read++;
      const id = raw.id;
      if (typeof id !== 'string' || id === '') {
        this.problems.noId++;
        this.unread(raw, parseGraphTime(raw.createdDateTime));
        continue;
      }
      const time = parseGraphTime(raw.createdDateTime);
      if (time === undefined) {
        this.problems.badTime++;
        this.unread(raw, undefined);
        if (this.badTimes.length < BAD_TIME_EXAMPLES) {
          this.badTimes.push({
            id: typeof id === 'string' ? id : null,
            createdDateTime: String(raw.createdDateTime).slice(0, 64),
          });
        }
        continue;
      }
      const upn = raw.userPrincipalName;
      const userId = raw.userId;
      const userText =
        typeof upn === 'string' && upn !== '' ? upn : typeof userId === 'string' && userId !== '' ? userId : undefined;
      if (userText === undefined) {
        this.problems.noUser++;
        this.unattributed++;
        this.pageUnread.push({ userId: null, time });
        continue;
      }
      const errorCode = raw.status?.errorCode;
      if (typeof errorCode !== 'number' || !Number.isInteger(errorCode)) {
        this.problems.noStatus++;
        this.unread(raw, time);
        continue;
      }
      if (this.ids.seenBefore(id, time)) {
        this.problems.duplicate++;
        continue;
      }
      if (time < this.earliest) this.earliest = time;
      if (time > this.latest) this.latest = time;
      page.push(raw, time, this.userNumber(userText), errorCode);
    }
    this.lastPage = records;
    return page;
  }

  /** Notes whose record was dropped (rare: only unreadable records reach here). */
  private unread(raw: SignIn, time: number | undefined): void {
    const userId = (raw as { userId?: unknown } | null)?.userId;
    if (typeof userId !== 'string' || userId === '') {
      this.unattributed++;
      this.pageUnread.push({ userId: null, time });
      return;
    }
    const key = userId.toLowerCase();
    this.unreadByUserId.set(key, (this.unreadByUserId.get(key) ?? 0) + 1);
    this.pageUnread.push({ userId: key, time });
  }

  /**
   * A page of events an earlier incremental run carried (see CarryInput): numbered like the
   * log's users, but not counted as read and not checked for duplicates (a carried event is
   * older than anything read, so it was read by an earlier run, never by this one). Its own
   * page, so the page the detectors share is left as it is.
   */
  carriedPage(records: readonly SignIn[]): EventPage {
    const page = new EventPage(this.names);
    page.reset(records.length);
    for (const raw of records) {
      const time = parseGraphTime(raw.createdDateTime);
      const upn = raw.userPrincipalName;
      const userId = raw.userId;
      const userText =
        typeof upn === 'string' && upn !== '' ? upn : typeof userId === 'string' && userId !== '' ? userId : undefined;
      const errorCode = raw.status?.errorCode;
      // Carried events were checked when first read; one that is not whole was not written by us.
      if (time === undefined || userText === undefined || typeof errorCode !== 'number') {
        throw new Error('a carried sign-in lacks its time, user or status');
      }
      page.push(raw, time, this.userNumber(userText), errorCode);
    }
    return page;
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
