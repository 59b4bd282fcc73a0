/** Where the pipeline writes progress. Passed in as a parameter, never imported as a global. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  /** Registers a value that must never appear in output (tokens, secrets, certificates). */
  secret(value: string): void;
  /**
   * Marks where a stage of the run begins (policy, collection, evaluation, issues); the Action
   * folds each stage into a group of its log. `undefined` ends the current stage. Optional: a
   * logger without stages prints the lines as they come.
   */
  stage?(title: string | undefined): void;
}

/** A logger that drops everything; for tests and library use. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warning: () => undefined,
  error: () => undefined,
  secret: () => undefined,
};

/** A logger that records lines, for tests that assert on warnings. */
export function memoryLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    debug: (m) => lines.push(`debug: ${m}`),
    info: (m) => lines.push(`info: ${m}`),
    warning: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
    secret: () => undefined,
    stage: (title) => lines.push(title === undefined ? 'stage end' : `stage: ${title}`),
  };
}
