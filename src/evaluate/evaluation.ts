import type { Result } from '../model/result.js';
import type { PolicyException } from '../policy/policy.js';

/** How one control's evaluation went as a whole. */
export type ControlOutcome =
  | { readonly control: string; readonly status: 'evaluated' }
  | { readonly control: string; readonly status: 'error' | 'not_evaluable'; readonly reason: string };

export interface Evaluation {
  readonly results: readonly Result[];
  readonly controls: readonly ControlOutcome[];
  /** Exceptions that turned a finding into `excepted` (or expired and let it fail). */
  readonly exceptionsApplied: readonly (PolicyException & { readonly expired: boolean })[];
  /** Active exceptions that matched no result: a stale exception is itself an audit finding. */
  readonly unusedExceptions: readonly PolicyException[];
}
