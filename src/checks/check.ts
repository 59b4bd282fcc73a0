import type { ControlParams } from '../controls/params.js';
import type { Cloud } from '../model/cloud.js';
import type { Finding } from '../model/finding.js';
import type { JsonObject } from '../model/json.js';
import type { ActiveException } from '../policy/exceptions.js';
import type { Policy } from '../policy/policy.js';
import type { MailboxMessageRules, SignIn } from '../snapshot/graph-types.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import type { CarriedControl } from '../snapshot/carried-sign-ins.js';

/** What every check may read besides the snapshot. Nothing here reads the clock or the network. */
export interface CheckContext {
  /** "Now" for the run: the capture time on replay, so verdicts reproduce. */
  readonly now: Date;
  readonly tenantId: string | null;
  /** The Microsoft 365 cloud of the tenant (the snapshot's manifest); the email checks follow it. */
  readonly cloud: Cloud;
  /** The application (client) ID the run authenticated with, when known (the manifest's `clientId`). */
  readonly clientId: string | null;
  readonly policy: Policy;
  /** The domains in scope for the DNS controls (tenant domains + policy + `--domains`). */
  readonly domains: readonly string[];
  /** Active (unexpired) policy exceptions for this control, e.g. break-glass accounts. */
  readonly exceptions: readonly ActiveException[];
}

export interface CheckInput {
  readonly snapshot: Snapshot;
  readonly params: ControlParams;
  readonly context: CheckContext;
  /** In an incremental sign-in run: what earlier runs carried to this control, and what to carry on. */
  readonly carry?: CarryInput;
}

/**
 * An incremental run's carried state, for one sign-in detector (docs/incremental-sign-ins.md):
 * the log was read from `readFrom`; what the detector needs from before then is `carried`; and
 * the next run reads again from `horizon`, so the detector carries on only what is older.
 */
export interface CarryInput {
  /** Epoch ms (a whole minute) where this run's read began; `-Infinity` when it read the whole window. */
  readonly readFrom: number;
  readonly carried: CarriedControl | undefined;
  /** Epoch ms (a whole minute): the next run reads from here, so only older events are carried. */
  readonly horizon: number;
}

/**
 * A pure check over collected data. May be async only because DNS checks replay recorded
 * answers through the same resolver interface the live code uses.
 */
export interface SnapshotCheck {
  readonly kind: 'snapshot';
  evaluate(input: CheckInput): readonly Finding[] | Promise<readonly Finding[]>;
}

/** A fold over a page stream: created once per run, fed every page, then finished. */
export interface Fold<T> {
  add(page: readonly T[]): void;
  finish(): readonly Finding[];
  /** Evidence of what was covered so far, shown when the stream fails part-way. */
  coverage(): JsonObject;
  /**
   * After `finish`, in an incremental run (CheckInput.carry): what the next run needs; undefined
   * when this run could not read what the detector needs (the beta sign-in log was refused), so
   * no state is left and the next run reads again from where this one did.
   */
  carried?(): CarriedControl | undefined;
}

/**
 * A check that folds over a streamed source, so memory stays flat however many events there
 * are. All stream checks on one source share a single pass over it.
 */
export interface SignInStreamCheck {
  readonly kind: 'stream';
  readonly stream: 'graph.signIns';
  start(input: CheckInput): Fold<SignIn>;
  /**
   * What an incremental run carries to the next for this detector, in one sentence
   * (docs/incremental-sign-ins.md lists them); its fold must give it as `carried()`.
   */
  readonly carries: string;
}

export interface MessageRuleStreamCheck {
  readonly kind: 'stream';
  readonly stream: 'graph.messageRules';
  start(input: CheckInput): Fold<MailboxMessageRules>;
}

export type StreamCheck = SignInStreamCheck | MessageRuleStreamCheck;

export type Check = SnapshotCheck | StreamCheck;
