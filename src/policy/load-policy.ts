import { readFile } from 'node:fs/promises';
import { ConfigurationError, errorMessage } from '../errors.js';
import { BASELINE_POLICY_PATH } from '../paths.js';
import { parsePolicy, type ParsedPolicy } from './parse-policy.js';

/** Reads and validates a policy file; every problem is a `ConfigurationError` naming the file. */
export async function loadPolicy(path: string | undefined, now: Date): Promise<ParsedPolicy> {
  const file = path ?? BASELINE_POLICY_PATH;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error: unknown) {
    throw new ConfigurationError(`${file}: cannot read policy file (${errorMessage(error)})`);
  }
  return parsePolicy(text, file, now);
}
