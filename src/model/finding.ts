import type { JsonObject } from './json.js';
import type { Severity } from './severity.js';

/**
 * What a check says about one target, before the engine adds the control, severity,
 * fingerprint and exceptions. Checks return structured evidence and a short message;
 * rendering happens only in report/ and issues/.
 */
export interface Finding {
  /** The thing judged: `tenant`, a UPN, a domain, `mailbox/ruleId`, an IP or prefix. */
  readonly target: string;
  readonly status: 'pass' | 'fail' | 'error' | 'not_evaluable';
  readonly message: string;
  readonly evidence: JsonObject;
  /** Raises (never lowers) the policy severity for this finding, e.g. a spray that succeeded. */
  readonly severity?: Severity;
  /**
   * Targets of policy exceptions the check itself honoured (e.g. break-glass accounts left
   * out of MFA coverage), so the engine records them as used.
   */
  readonly honouredExceptions?: readonly string[];
  /**
   * Some targets of the control could not be seen (a mailbox whose rules could not be read, a
   * source that lists targets and failed): a target missing from the results may still be
   * there, so no issue of the control is closed on this run.
   */
  readonly incomplete?: boolean;
}

/** The target used for tenant-wide controls. */
export const TENANT_TARGET = 'tenant';
