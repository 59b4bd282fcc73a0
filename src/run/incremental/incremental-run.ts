import { ConfigurationError } from '../../errors.js';
import type { Evaluation } from '../../evaluate/evaluation.js';
import type { Logger } from '../../logger.js';
import type { Policy } from '../../policy/policy.js';
import type { Snapshot } from '../../snapshot/snapshot.js';
import { withCarriedSignIns } from '../../snapshot/with-carried.js';
import { horizonOf, type IncrementalStart, incrementalClock, nextState, planIncremental } from './plan-incremental.js';
import { openState, problemText, sealState } from './state-codec.js';
import { readStateFile, writeStateFile } from './state-file.js';

/** `--incremental STATE` (input `incremental-state`): where the state lives, and the key that seals it. */
export interface IncrementalSettings {
  readonly statePath: string;
  /** MAILWARDEN_STATE_KEY, else MAILWARDEN_REDACT_KEY: never logged. */
  readonly key: string;
}

/** An incremental run under way: how it started, and what the rest of the pipeline needs. */
export interface IncrementalRun {
  readonly start: IncrementalStart | { readonly kind: 'none' };
  /** Where the sign-in log is read from, when the state is continued. */
  readonly signInsFrom?: Date;
  /** The tenant the continued state was made for. */
  readonly tenantId?: string;
}

function span(policy: Policy, selected: ReadonlySet<string>): string {
  let hours = 0;
  for (const control of policy.controls.values()) {
    if (!selected.has(control.id)) continue;
    const value = control.params.toJson().lookbackHours;
    if (typeof value === 'number') hours = Math.max(hours, value);
  }
  return `${hours} h`;
}

/**
 * Opens the state before collection, and decides where the sign-in log is read from. A state
 * that is missing, does not open, or cannot be continued is a fresh start over the full
 * look-back window, said in the log; `tenantId` is checked here when the target names it, else
 * after collection (checkTenant).
 */
export async function beginIncremental(
  settings: IncrementalSettings,
  context: {
    readonly now: Date;
    readonly policy: Policy;
    readonly tenantId: string | undefined;
    readonly selected: ReadonlySet<string>;
    readonly logger: Logger;
  },
): Promise<IncrementalRun> {
  const { logger, policy, selected } = context;
  const now = incrementalClock(context.now);
  const where = settings.statePath;
  const sealed = await readStateFile(where);
  if (sealed === undefined) {
    logger.info(`Incremental state ${where}: none yet; reading the full look-back window (${span(policy, selected)})`);
    return { start: { kind: 'none' } };
  }
  const opened = openState(sealed, settings.key);
  if ('problem' in opened) {
    const reason = problemText(opened.problem);
    logger.warning(
      `Incremental state ${where}: ${reason}; starting fresh from the full look-back window (${span(policy, selected)})`,
    );
    return { start: { kind: 'fresh', reason } };
  }
  const tenantId = context.tenantId ?? opened.state.tenantId;
  const start = planIncremental(opened.state, { now, policy, tenantId, selected });
  if (start.kind === 'fresh') {
    logger.warning(
      `Incremental state ${where}: ${start.reason}; starting fresh from the full look-back window (${span(policy, selected)})`,
    );
    return { start };
  }
  logger.info(
    `Incremental state ${where}: continuing; reading the sign-in log from ${new Date(start.readFrom).toISOString()}`,
  );
  return { start, signInsFrom: new Date(start.readFrom), tenantId: opened.state.tenantId };
}

/**
 * The collected snapshot with the carried part attached. When the target did not name its
 * tenant beforehand (a simulated tenant) and the snapshot is another tenant's, the log was read
 * from a state that is not this tenant's: its window is short and nothing carried may fill it,
 * so the run stops rather than judge it.
 */
export function attachCarried(run: IncrementalRun, snapshot: Snapshot, settings: IncrementalSettings): Snapshot {
  if (run.start.kind !== 'continue') return snapshot;
  if (snapshot.manifest.tenantId !== run.tenantId) {
    throw new ConfigurationError(
      `--incremental ${settings.statePath}: the state was made for another tenant than the one audited; give each tenant its own state`,
    );
  }
  return withCarriedSignIns(snapshot, run.start.carried);
}

/** The run's clock in incremental mode: the capture time, made a whole minute. */
export function incrementalNow(snapshot: Snapshot): Date {
  return incrementalClock(new Date(snapshot.manifest.capturedAt));
}

/** The horizon the evaluation carries up to (the next run's read start). */
export function incrementalHorizon(now: Date, policy: Policy, selected: ReadonlySet<string>): number {
  return horizonOf(now, policy, selected);
}

/**
 * Seals and writes the state for the next run, when every sign-in detector read its stream in
 * full; otherwise the previous state stays, so the next run reads again from where this one did.
 */
export async function finishIncremental(
  settings: IncrementalSettings,
  evaluation: Evaluation,
  context: {
    readonly now: Date;
    readonly policy: Policy;
    readonly tenantId: string;
    readonly selected: ReadonlySet<string>;
    readonly logger: Logger;
  },
): Promise<void> {
  const next = nextState(evaluation, context);
  if ('reason' in next) {
    context.logger.warning(
      `Incremental state ${settings.statePath}: not updated, because ${next.reason}; the next run reads again from where this one did`,
    );
    return;
  }
  const sealed = sealState(next.state, settings.key);
  await writeStateFile(settings.statePath, sealed);
  context.logger.info(
    `Incremental state ${settings.statePath}: saved (${sealed.length} bytes); the next run reads from ${new Date(next.state.readFrom).toISOString()}`,
  );
}
