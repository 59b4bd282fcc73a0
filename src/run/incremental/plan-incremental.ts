import type { Evaluation } from '../../evaluate/evaluation.js';
import type { Policy } from '../../policy/policy.js';
import type { CarriedSignIns } from '../../snapshot/carried-sign-ins.js';
import { overlapMs, policyKey, type SignInState, signInStreamControls } from './sign-in-state.js';

const MINUTE = 60_000;
/** Entra keeps sign-in logs 30 days with P1 or P2 (Microsoft Learn: "Microsoft Entra data retention"). */
export const SIGN_IN_RETENTION_MS = 720 * 3_600_000;

/** An incremental run's clock: a whole minute, so its window's edges never split a minute (minute-tally.ts). */
export function incrementalClock(now: Date): Date {
  return new Date(Math.floor(now.getTime() / MINUTE) * MINUTE);
}

/** What an incremental run is: its clock, its policy and tenant, and the controls it runs (all enabled when absent). */
export interface IncrementalContext {
  readonly now: Date;
  readonly policy: Policy;
  readonly tenantId: string;
  readonly selected?: ReadonlySet<string>;
}

/** How an incremental run starts: continuing a state, or reading its full look-back window. */
export type IncrementalStart =
  | {
      readonly kind: 'continue';
      /** Read the log from here (epoch ms); the detectors take what came before from `carried`. */
      readonly readFrom: number;
      readonly carried: CarriedSignIns;
    }
  | { readonly kind: 'fresh'; readonly reason: string };

/**
 * Whether a state that opened can be continued at `now` (an incremental clock). It is not when
 * it was made for another tenant or other detector settings, when the clock is before its run
 * (a clock set back, or a state from the future: its carried part would overlap what is read),
 * when the log no longer holds what it would have the run read, or when it carries less than
 * the window needs. Each is a fresh start over the whole look-back window: never a gap.
 */
export function planIncremental(state: SignInState, context: IncrementalContext): IncrementalStart {
  const now = context.now.getTime();
  if (state.tenantId !== context.tenantId) return { kind: 'fresh', reason: 'it was made for another tenant' };
  if (state.policyKey !== policyKey(context.policy, context.selected))
    return {
      kind: 'fresh',
      reason: "it was made under other sign-in detector settings (the policy's sign-in controls changed)",
    };
  if (state.runAt > now || state.readFrom > now)
    return {
      kind: 'fresh',
      reason: `its run (${new Date(state.runAt).toISOString()}) is later than this run's clock (${context.now.toISOString()}): the clock went back`,
    };
  if (now - state.readFrom > SIGN_IN_RETENTION_MS)
    return {
      kind: 'fresh',
      reason: `it would have this run read from ${new Date(state.readFrom).toISOString()}, older than the 30 days the sign-in log keeps`,
    };
  const missing = signInStreamControls(context.policy, context.selected).filter(
    ({ id }) => state.controls[id] === undefined,
  );
  if (missing.length > 0)
    return { kind: 'fresh', reason: `it carries nothing for ${missing.map(({ id }) => id).join(', ')}` };
  if (state.readFrom % MINUTE !== 0) return { kind: 'fresh', reason: 'its read start is not a whole minute' };
  return {
    kind: 'continue',
    readFrom: state.readFrom,
    carried: { readFrom: state.readFrom, controls: state.controls },
  };
}

/** Where the next run reads from: this run's clock minus the widest overlap, so the overlap is read again. */
export function horizonOf(now: Date, policy: Policy, selected?: ReadonlySet<string>): number {
  return now.getTime() - overlapMs(policy, selected);
}

/**
 * The state to leave for the next run, or why none can be: every sign-in detector must have
 * read its stream in full (a stream cut short carries nothing, and the previous state stays, so
 * the next run reads again from where it did).
 */
export function nextState(
  evaluation: Evaluation,
  context: IncrementalContext,
): { readonly state: SignInState } | { readonly reason: string } {
  const carried = evaluation.carried;
  const controls: Record<string, SignInState['controls'][string]> = {};
  const missing: string[] = [];
  for (const { id } of signInStreamControls(context.policy, context.selected)) {
    const control = carried?.get(id);
    if (control === undefined) missing.push(id);
    else controls[id] = control;
  }
  if (missing.length > 0) return { reason: `the sign-in log was not read in full for ${missing.join(', ')}` };
  return {
    state: {
      tenantId: context.tenantId,
      policyKey: policyKey(context.policy, context.selected),
      runAt: context.now.getTime(),
      readFrom: horizonOf(context.now, context.policy, context.selected),
      controls,
    },
  };
}
