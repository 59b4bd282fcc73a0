import { ConfigurationError } from '../../src/errors.js';

/** Runs `fn` and returns the ConfigurationError it throws; any other outcome fails the test. */
export function configurationError(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error: unknown) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}
