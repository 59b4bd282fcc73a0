import { createHash } from 'node:crypto';
import { findControl } from '../../controls/catalog.js';
import type { Policy } from '../../policy/policy.js';
import type { CarriedControl } from '../../snapshot/carried-sign-ins.js';

/**
 * What an incremental sign-in run (`--only sign-ins --incremental STATE`) leaves for the next:
 * where the next run reads the log from, and what each sign-in detector carries
 * (docs/incremental-sign-ins.md). Written encrypted by state-codec.ts.
 */
export interface SignInState {
  /** The tenant it was read from: another tenant's state is never continued. */
  readonly tenantId: string;
  /** policyKey() of the policy that judged it: other thresholds would judge the carried part otherwise. */
  readonly policyKey: string;
  /** The run's clock (epoch ms, a whole minute): the end of its window. */
  readonly runAt: number;
  /** Epoch ms (a whole minute): the next run reads the log from here (the run's clock minus the overlap). */
  readonly readFrom: number;
  /** By control ID, every sign-in detector the run judged. */
  readonly controls: Readonly<Record<string, CarriedControl>>;
}

/**
 * The enabled controls that read the sign-in log, with their parameters, in ID order; only those
 * of `selected` (the run's controls, `--only`) when given.
 */
export function signInStreamControls(
  policy: Policy,
  selected?: ReadonlySet<string>,
): readonly { readonly id: string; readonly params: unknown }[] {
  return [...policy.controls.values()]
    .filter((c) => c.enabled && findControl(c.id)?.sources.includes('graph.signIns'))
    .filter((c) => selected === undefined || selected.has(c.id))
    .map((c) => ({ id: c.id, params: c.params.toJson() }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * A digest of the sign-in detectors' settings: a state made under other settings (another
 * threshold, look-back or allowed-country list) carried what those needed, so it is not continued.
 */
export function policyKey(policy: Policy, selected?: ReadonlySet<string>): string {
  return createHash('sha256')
    .update(JSON.stringify(signInStreamControls(policy, selected)))
    .digest('hex');
}

/** The largest overlap of the enabled sign-in detectors, in milliseconds (the next run reads again from now minus it). */
export function overlapMs(policy: Policy, selected?: ReadonlySet<string>): number {
  let minutes = 0;
  for (const { params } of signInStreamControls(policy, selected)) {
    const overlap = (params as { overlapMinutes?: unknown }).overlapMinutes;
    if (typeof overlap === 'number') minutes = Math.max(minutes, overlap);
  }
  return minutes * 60_000;
}
