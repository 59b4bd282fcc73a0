/**
 * A mistake the user can fix (a bad flag, policy or snapshot). It is printed without a stack
 * trace and exits with code 2. Anything else is a bug and keeps its stack under `--debug`.
 */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
  /** Extra lines shown under the message, for example one line per schema violation. */
  readonly details: readonly string[];

  constructor(message: string, details: readonly string[] = []) {
    super(message);
    this.details = details;
  }
}

export function isConfigurationError(error: unknown): error is ConfigurationError {
  return error instanceof ConfigurationError;
}

/** The message of any thrown value, for logs and evidence. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
