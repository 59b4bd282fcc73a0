import { rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError, errorMessage } from '../errors.js';
import { loadPolicy } from '../policy/load-policy.js';
import { checkException, type ExceptionRequest, type NewException } from './new-exception.js';
import { addPolicyException, type PolicyEdit } from './policy-edit.js';

export interface AcceptedInFile {
  readonly exception: NewException;
  /** JSON pointer of the entry written. */
  readonly pointer: string;
  /** An entry for the same control and target was replaced. */
  readonly replaced: boolean;
}

/**
 * `mailwarden accept` without GitHub: the same checks and the same edit as the comment workflow,
 * on a policy file. The file is replaced only when the edited policy validates, and atomically
 * (a sibling temporary file renamed over it), so a failure leaves the old file as it was.
 */
export async function acceptInFile(file: string, request: ExceptionRequest, now: Date): Promise<AcceptedInFile> {
  const { policy } = await loadPolicy(file, now);
  const checked = checkException(request, policy, now);
  if (!checked.ok) throw new ConfigurationError(`${file}: exception not added: ${checked.problem}`);
  let edit: PolicyEdit;
  try {
    edit = addPolicyException(policy.text, file, checked.exception, now);
  } catch (error: unknown) {
    // One line: the first problem the edited policy would have.
    if (error instanceof ConfigurationError) throw new ConfigurationError(error.message);
    throw error;
  }
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    const { mode } = await stat(file);
    await writeFile(temporary, edit.text, { encoding: 'utf8', mode, flag: 'wx' });
    await rename(temporary, file);
  } catch (error: unknown) {
    await rm(temporary, { force: true });
    throw new ConfigurationError(`${file}: cannot write the policy file (${errorMessage(error)})`);
  }
  return { exception: checked.exception, pointer: edit.pointer, replaced: edit.replaced };
}
