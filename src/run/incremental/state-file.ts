import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError, errorMessage } from '../../errors.js';

/** The sealed state at `file`, or `undefined` when there is none yet. */
export async function readStateFile(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigurationError(`--incremental ${file}: cannot read the state (${errorMessage(error)})`);
  }
}

/**
 * Writes the sealed state beside `file` and renames it into place: a run stopped mid-write
 * leaves the previous state whole, never half of a new one.
 */
export async function writeStateFile(file: string, sealed: Buffer): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  const temporary = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(temporary, sealed, { mode: 0o600 });
    await rename(temporary, file);
  } catch (error: unknown) {
    await rm(temporary, { force: true });
    throw new ConfigurationError(`--incremental ${file}: cannot write the state (${errorMessage(error)})`);
  }
}
