import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ConfigurationError, errorMessage } from '../errors.js';
import { isJsonObject, type JsonObject } from '../model/json.js';
import { parseLocatedJson } from '../json/json-locations.js';
import type { Manifest } from './manifest.js';
import { graphPageLines } from './graph-page-lines.js';
import { EMBEDDED_SOURCES, MANIFEST_FILE, SINGLETON_SOURCES, SOURCE_FILES, STREAMED_SOURCES } from './folder-layout.js';
import { manifestCheck, problemText, recordCheck, type ShapeCheck } from './shape-check.js';
import type { PageStream, Snapshot, SourceDataMap } from './snapshot.js';
import type { SourceId } from './source-id.js';
import type { SourceStatus } from './source-status.js';

/** How far ahead of the run's clock a capture time may be: clocks of two machines differ a little. */
export const CAPTURE_CLOCK_SKEW_MS = 5 * 60_000;

export interface ReadFolderOptions {
  /**
   * The run's clock: a folder captured after it would judge a window that has not happened.
   * Absent only where nothing is judged (the simulator serving a folder, the overlay merging one).
   */
  readonly now?: Date;
  /**
   * Stop at the first source that does not read back (the simulator and the overlay, which
   * must not serve or merge a broken fixture). Otherwise that source is `failed` and the rest
   * is read, as a live collection would go on past one failing source.
   */
  readonly strict?: boolean;
}

/** A snapshot read from a folder, with the sources the reader could not trust and why. */
export interface FolderSnapshot extends Snapshot {
  /** Sources the manifest says `ok` whose files did not read back: each is `failed` now. */
  readonly unreadable: ReadonlyMap<SourceId, string>;
}

/** A source whose file does not match what the manifest says of it. */
class SourceFileError extends ConfigurationError {}

async function readManifest(dir: string, now: Date | undefined): Promise<Manifest> {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error: unknown) {
    throw new ConfigurationError(`${file}: cannot read snapshot file (${errorMessage(error)})`);
  }
  const value = parseLocatedJson(text, file).value;
  const problem = manifestCheck()(value);
  if (problem) throw new ConfigurationError(`${file}: ${problemText(problem) || '/'}`);
  const manifest = value as Manifest;
  const captured = Date.parse(manifest.capturedAt);
  if (now !== undefined && captured > now.getTime() + CAPTURE_CLOCK_SKEW_MS) {
    throw new ConfigurationError(
      `${file}: /capturedAt: ${manifest.capturedAt} is later than now (${now.toISOString()}); a snapshot cannot have been captured in the future`,
    );
  }
  return manifest;
}

/** Records in a file: a collection's items, one for a singleton, a DNS folder's questions. */
function recordsOf(id: SourceId, value: unknown): number {
  if (id === 'dns') return isJsonObject(value) && isJsonObject(value.answers) ? Object.keys(value.answers).length : 0;
  return 1;
}

function checkCount(file: string, found: number, counted: number | undefined): void {
  if (counted !== undefined && found !== counted) {
    throw new SourceFileError(
      `${file}: holds ${found} record${found === 1 ? '' : 's'}, but the manifest counts ${counted}; the file is cut short or was changed`,
    );
  }
}

function checkRecord(check: ShapeCheck, value: unknown, where: string, prefix: string): void {
  const problem = check(value);
  if (problem) throw new SourceFileError(`${where}: ${problemText(problem, prefix)}`);
}

/** A stream that checks every record against its source's schema and its count at the end. */
function verifiedStream<T>(stream: PageStream<T>, file: string, counted: number | undefined): PageStream<T> {
  return {
    async *pages() {
      let found = 0;
      for await (const page of stream.pages()) {
        found += page.length;
        yield page;
      }
      checkCount(file, found, counted);
    },
  };
}

function jsonLinesStream(file: string, check: ShapeCheck): PageStream<JsonObject> {
  return {
    async *pages() {
      const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
      let number = 0;
      try {
        for await (const line of lines) {
          number++;
          if (line.trim() === '') continue;
          let parsed: unknown;
          try {
            parsed = JSON.parse(line);
          } catch (error: unknown) {
            throw new SourceFileError(`${file}:${number}: invalid JSON (${errorMessage(error)})`);
          }
          checkRecord(check, parsed, `${file}:${number}`, '');
          yield [parsed as JsonObject];
        }
      } catch (error: unknown) {
        if (error instanceof SourceFileError) throw error;
        throw new SourceFileError(`${file}: cannot read snapshot file (${errorMessage(error)})`);
      } finally {
        lines.close();
      }
    },
  };
}

/** The size of a source's file, or -1 when it does not exist. */
async function sizeOf(file: string): Promise<number> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new SourceFileError(`${file}: is not a file`);
    return info.size;
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return -1;
    if (error instanceof SourceFileError) throw error;
    throw new SourceFileError(`${file}: cannot read snapshot file (${errorMessage(error)})`);
  }
}

/** Reads and checks one `ok` source; any mismatch is a SourceFileError naming the file. */
async function readSource(
  dir: string,
  id: SourceId,
  status: Extract<SourceStatus, { status: 'ok' }>,
): Promise<unknown> {
  const file = path.join(dir, SOURCE_FILES[id]);
  const singleton = SINGLETON_SOURCES.has(id) && id !== 'dns';
  const counted = status.count;
  if (counted === undefined && !SINGLETON_SOURCES.has(id)) {
    throw new SourceFileError(
      `${path.join(dir, MANIFEST_FILE)}: /sources/${id}/count: is missing; an ok source needs its record count, so that a cut ${SOURCE_FILES[id]} cannot pass for a short one`,
    );
  }
  const size = await sizeOf(file);
  if (size <= 0) {
    // Only an empty collection may have no file; an empty file where records were counted is a cut.
    if (counted === 0 && !singleton && id !== 'dns') {
      return STREAMED_SOURCES.has(id) ? { pages: async function* () {} } : [];
    }
    throw new SourceFileError(
      `${file}: ${size < 0 ? 'is missing' : 'is empty'}, but the manifest says the source was read${counted === undefined ? '' : ` with ${counted} record${counted === 1 ? '' : 's'}`}`,
    );
  }
  if (STREAMED_SOURCES.has(id)) {
    const check = recordCheck(id);
    // Sign-in pages are large and many: read record by record (see graph-page-lines.ts).
    const stream =
      id === 'graph.signIns'
        ? graphPageLines(file, (records, where) => {
            for (let i = 0; i < records.length; i++) checkRecord(check, records[i], where, `/value/${i}`);
          })
        : jsonLinesStream(file, check);
    return verifiedStream(stream, file, counted);
  }
  let value: unknown;
  try {
    value = parseLocatedJson(await readFile(file, 'utf8'), file).value;
  } catch (error: unknown) {
    throw new SourceFileError(errorMessage(error));
  }
  const check = recordCheck(id);
  if (SINGLETON_SOURCES.has(id)) {
    checkRecord(check, value, file, '');
    checkCount(file, recordsOf(id, value), counted);
    return value;
  }
  if (!isJsonObject(value) || !Array.isArray(value.value)) {
    throw new SourceFileError(`${file}: /value: must be an array (a Graph or InvokeCommand collection)`);
  }
  const items = value.value;
  for (let i = 0; i < items.length; i++) checkRecord(check, items[i], file, `/value/${i}`);
  checkCount(file, items.length, counted);
  return items;
}

/**
 * Opens a snapshot folder for replay and verifies it against its manifest before any check
 * runs: the manifest's own shape and capture time, then for every source marked `ok` that its
 * file exists, parses, holds the number of records the manifest counts and that every record
 * has the shape of docs/snapshot-format.md. A source that fails any of these is `failed` with
 * the file, line and JSON pointer (its controls are then `error`, never judged on what is left).
 * JSON Lines sources are checked record by record as they are read, and their count at the end.
 */
export async function readSnapshotFolder(dir: string, options: ReadFolderOptions): Promise<FolderSnapshot> {
  const read = await readManifest(dir, options.now);
  const loaded = new Map<SourceId, unknown>();
  const unreadable = new Map<SourceId, string>();
  const sources: Partial<Record<SourceId, SourceStatus>> = { ...read.sources };

  for (const [id, status] of Object.entries(read.sources) as [SourceId, SourceStatus][]) {
    if (status.status !== 'ok') continue;
    // Its data travels inside another source's records (folder-layout.ts): only the status is kept.
    if (EMBEDDED_SOURCES.has(id)) {
      loaded.set(id, null);
      continue;
    }
    try {
      loaded.set(id, await readSource(dir, id, status));
    } catch (error: unknown) {
      if (!(error instanceof SourceFileError)) throw error;
      if (options.strict) throw new ConfigurationError(error.message);
      unreadable.set(id, error.message);
      sources[id] = { status: 'failed', reason: error.message };
    }
  }

  const manifest: Manifest = unreadable.size > 0 ? { ...read, sources } : read;
  return {
    manifest,
    unreadable,
    status: (id) => manifest.sources[id],
    data<K extends SourceId>(id: K): SourceDataMap[K] {
      if (!loaded.has(id)) throw new Error(`source ${id} is not available in ${dir}`);
      return loaded.get(id) as SourceDataMap[K];
    },
  };
}
