import { constants } from 'node:fs';
import { access, open, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError, errorMessage } from '../errors.js';

/** One place a run will write: a file (report, summary, SARIF) or a folder (snapshot, evidence pack). */
export interface OutputPath {
  readonly path: string;
  readonly kind: 'file' | 'folder';
  /** What is written there, for the message: "the JSON report", "the evidence pack". */
  readonly what: string;
}

/** Errors that mean "this path is the user's mistake", not a fault of the run. */
const PATH_ERRORS: ReadonlySet<string> = new Set([
  'EACCES',
  'EPERM',
  'EROFS',
  'EISDIR',
  'ENOTDIR',
  'EEXIST',
  'EIO',
  'ENOENT',
  'ENAMETOOLONG',
  'ELOOP',
  'EINVAL',
  'ENXIO',
]);

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function refused(output: OutputPath, why: string): ConfigurationError {
  return new ConfigurationError(`${output.path}: cannot write ${output.what} there: ${why}`);
}

/** The nearest existing ancestor of a path that does not exist yet; it must be a writable folder. */
async function checkParent(output: OutputPath): Promise<void> {
  let dir = path.dirname(path.resolve(output.path));
  for (;;) {
    try {
      const info = await stat(dir);
      if (!info.isDirectory()) throw refused(output, `${dir} is a file, not a folder`);
      await access(dir, constants.W_OK);
      return;
    } catch (error: unknown) {
      if (error instanceof ConfigurationError) throw error;
      if (code(error) === 'ENOENT' && path.dirname(dir) !== dir) {
        dir = path.dirname(dir);
        continue;
      }
      throw refused(output, `${dir} is not writable (${errorMessage(error)})`);
    }
  }
}

/**
 * An existing regular file: opened for appending and written zero bytes, which changes nothing
 * but fails where a write would (a read-only file, `/proc/version`'s EIO). Devices and pipes
 * (`/dev/stdout`) are taken as they are.
 */
async function probeFile(output: OutputPath): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(output.path, 'a');
    // A string: Node skips the system call for an empty buffer, and the call is the probe.
    await handle.write('');
  } catch (error: unknown) {
    throw refused(output, errorMessage(error));
  } finally {
    await handle?.close();
  }
}

/** Checks one output path before the run collects anything; a mistake is a one-line ConfigurationError. */
async function checkOutput(output: OutputPath): Promise<void> {
  let info: Awaited<ReturnType<typeof stat>> | undefined;
  try {
    info = await stat(output.path);
  } catch (error: unknown) {
    if (code(error) !== 'ENOENT') throw refused(output, errorMessage(error));
  }
  if (info === undefined) return checkParent(output);
  if (output.kind === 'folder') {
    if (!info.isDirectory()) throw refused(output, 'it is a file, not a folder');
    try {
      await access(output.path, constants.W_OK);
    } catch (error: unknown) {
      throw refused(output, errorMessage(error));
    }
    return;
  }
  if (info.isDirectory()) throw refused(output, 'it is a folder, not a file');
  if (info.isFile()) await probeFile(output);
}

/**
 * Checks every output path of a run before any network call: a report that cannot be written is
 * the user's mistake (exit 2 with one line), found before an hour of collection, not an internal
 * error after it. Paths are checked one by one, in the order given.
 */
export async function checkOutputPaths(outputs: readonly (OutputPath | undefined)[]): Promise<void> {
  for (const output of outputs) if (output) await checkOutput(output);
}

/**
 * Runs a write to a checked output; an error of the path (it vanished, became read-only) is
 * still the user's and is reported as such, anything else (a full disk) stays an error of the run.
 */
export async function writingTo<T>(output: OutputPath, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error: unknown) {
    if (error instanceof ConfigurationError) throw error;
    const errno = code(error);
    if (errno !== undefined && PATH_ERRORS.has(errno)) throw refused(output, errorMessage(error));
    throw error;
  }
}

/** A file output, or `undefined` when the path is not set. */
export function fileOutput(file: string | undefined, what: string): OutputPath | undefined {
  return file === undefined ? undefined : { path: file, kind: 'file', what };
}

/** A folder output, or `undefined` when the path is not set. */
export function folderOutput(dir: string | undefined, what: string): OutputPath | undefined {
  return dir === undefined ? undefined : { path: dir, kind: 'folder', what };
}
