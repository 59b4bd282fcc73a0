import type { ControlParams } from '../controls/params.js';
import type { Severity } from '../model/severity.js';
import type { ControlReferences } from '../controls/control.js';

/** One policy exception: accepted risk for one control and target, until a date. */
export interface PolicyException {
  readonly control: string;
  /** The target as reported (UPN, domain, `mailbox/ruleId`, IP), compared case-insensitively. */
  readonly target: string;
  readonly reason: string;
  readonly approvedBy: string;
  /** `YYYY-MM-DD`; the exception applies through the end of that UTC day. */
  readonly expires: string;
  readonly ticket?: string;
  /** JSON pointer of the entry in the policy file, for messages. */
  readonly pointer: string;
}

/** A control as the policy configures it, with parameter defaults filled in. */
export interface PolicyControl {
  readonly id: string;
  readonly enabled: boolean;
  readonly severity: Severity;
  readonly params: ControlParams;
  /** Framework mappings the policy adds for this control (on top of the catalog's). */
  readonly mappings: ControlReferences;
  /** 1-based line of the control's entry in the policy file (SARIF anchors here). */
  readonly line: number;
}

/** A validated policy: what the organisation committed to. */
export interface Policy {
  readonly path: string;
  /** sha256 of `bytes`, hex. */
  readonly sha256: string;
  /** The policy file exactly as read: the evidence pack copies these bytes. */
  readonly bytes: Uint8Array;
  readonly text: string;
  readonly id: string;
  readonly title: string;
  readonly version: string;
  readonly description: string;
  readonly controls: ReadonlyMap<string, PolicyControl>;
  readonly domains: {
    readonly include: readonly string[];
    readonly exclude: readonly string[];
    readonly parked: readonly string[];
  };
  readonly exceptions: readonly PolicyException[];
  /** How far ahead an exception may expire, in days. */
  readonly maxExceptionDays: number;
  /** How many characters an exception's reason must have, at least. */
  readonly minExceptionReasonLength: number;
}
