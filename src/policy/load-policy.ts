import { POLICY_MAX_BYTES, readInputFile } from '../model/input-file.js';
import { BASELINE_POLICY_PATH } from '../paths.js';
import { parsePolicy, type ParsedPolicy } from './parse-policy.js';

/**
 * Reads and validates a policy file; every problem is a `ConfigurationError` naming the file.
 * It is read as bytes (at most POLICY_MAX_BYTES), so its hash is the file's.
 */
export async function loadPolicy(path: string | undefined, now: Date): Promise<ParsedPolicy> {
  const file = path ?? BASELINE_POLICY_PATH;
  return parsePolicy(await readInputFile(file, 'policy file', POLICY_MAX_BYTES), file, now);
}
