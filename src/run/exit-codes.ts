/**
 * Process exit codes, shared by the CLI and the Action; the one list (the CLI's usage text and
 * the README quote it).
 */
export const EXIT = {
  done: 0,
  /** A failing finding at or above `--fail-on`. */
  findings: 1,
  /** A mistake the user can fix: a bad flag, input, policy or snapshot. */
  configuration: 2,
  /**
   * Nothing was audited: a tenant run read no tenant source (whatever DNS did), or no source at
   * all was read (run/nothing-audited.ts).
   */
  nothingAudited: 3,
  /** A bug: an unexpected error, reported with a hint to rerun with `--debug`. */
  internal: 4,
  /**
   * The GitHub issues stage could not run or sync, or a write was refused (the report is still
   * written); also with `--fail-on none`.
   */
  issues: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
