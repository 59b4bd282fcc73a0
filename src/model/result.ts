import type { Area } from './area.js';
import type { JsonObject } from './json.js';
import type { Severity } from './severity.js';
import type { Status } from './status.js';

/** The exception from the policy that turned a `fail` into `excepted`, or that expired. */
export interface AppliedException {
  readonly reason: string;
  readonly approvedBy: string;
  readonly expires: string;
  readonly ticket?: string;
  /** `true` when the exception's date has passed, so the finding fails again. */
  readonly expired: boolean;
}

/** One verdict on one target, as written to the JSON evidence report. */
export interface Result {
  readonly control: string;
  readonly controlVersion: number;
  readonly area: Area;
  readonly title: string;
  readonly target: string;
  readonly status: Status;
  readonly severity: Severity;
  readonly message: string;
  readonly evidence: JsonObject;
  /** Stable hash of control, tenant and target: the issue key across runs. */
  readonly fingerprint: string;
  readonly exception?: AppliedException;
}
