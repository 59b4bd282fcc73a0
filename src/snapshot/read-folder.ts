import { constants as fsConstants, createReadStream } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ConfigurationError, errorMessage } from '../errors.js';
import { isJsonObject, type JsonObject } from '../model/json.js';
import { parseLocatedJson } from '../json/json-locations.js';
import { type Manifest, SNAPSHOT_FORMAT_VERSION } from './manifest.js';
import { graphPageLines } from './graph-page-lines.js';
import { MANIFEST_FILE, SINGLETON_SOURCES, SOURCE_FILES, STREAMED_SOURCES } from './folder-layout.js';
import type { PageStream, Snapshot, SourceDataMap } from './snapshot.js';
import { isSourceId, type SourceId } from './source-id.js';
import type { SourceStatus } from './source-status.js';

async function readJsonFile(dir: string, relative: string): Promise<unknown> {
  const file = path.join(dir, relative);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error: unknown) {
    throw new ConfigurationError(`${file}: cannot read snapshot file (${errorMessage(error)})`);
  }
  return parseLocatedJson(text, file).value;
}

function shapeError(file: string, pointer: string, message: string): ConfigurationError {
  return new ConfigurationError(`${file}: ${pointer || '/'}: ${message}`);
}

const STATUS_VALUES = new Set(['ok', 'failed', 'not_licensed', 'not_permitted']);

function parseManifest(value: unknown, file: string): Manifest {
  if (!isJsonObject(value)) throw shapeError(file, '', 'the manifest must be a JSON object');
  if (value.formatVersion !== SNAPSHOT_FORMAT_VERSION) {
    throw shapeError(file, '/formatVersion', `expected snapshot format version ${SNAPSHOT_FORMAT_VERSION}`);
  }
  if (typeof value.capturedAt !== 'string' || Number.isNaN(Date.parse(value.capturedAt))) {
    throw shapeError(file, '/capturedAt', 'must be an ISO 8601 date-time');
  }
  if (value.tenantId !== null && typeof value.tenantId !== 'string') {
    throw shapeError(file, '/tenantId', 'must be a string or null');
  }
  if (value.clientId !== undefined && typeof value.clientId !== 'string') {
    throw shapeError(file, '/clientId', 'must be a string when present');
  }
  if (!isJsonObject(value.sources)) throw shapeError(file, '/sources', 'must be an object');
  for (const [id, status] of Object.entries(value.sources)) {
    if (!isSourceId(id)) throw shapeError(file, `/sources/${id}`, `unknown source "${id}"`);
    if (!isJsonObject(status) || typeof status.status !== 'string' || !STATUS_VALUES.has(status.status)) {
      throw shapeError(file, `/sources/${id}/status`, 'must be one of ok, failed, not_licensed, not_permitted');
    }
  }
  if (!isJsonObject(value.tool)) throw shapeError(file, '/tool', 'must be an object with name and version');
  return value as unknown as Manifest;
}

function jsonLinesStream<T>(file: string, validate: (line: JsonObject, where: string) => readonly T[]): PageStream<T> {
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
            throw new ConfigurationError(`${file}:${number}: invalid JSON (${errorMessage(error)})`);
          }
          if (!isJsonObject(parsed)) throw new ConfigurationError(`${file}:${number}: each line must be a JSON object`);
          yield validate(parsed, `${file}:${number}`);
        }
      } catch (error: unknown) {
        if (error instanceof ConfigurationError) throw error;
        throw new ConfigurationError(`${file}: cannot read snapshot file (${errorMessage(error)})`);
      } finally {
        lines.close();
      }
    },
  };
}

/**
 * Opens a snapshot folder for replay. The manifest and every collection a source marked `ok`
 * needs are checked up front, so a missing, corrupt or wrongly shaped file is named before
 * any check runs; streamed sources are checked line by line as they are read.
 */
export async function readSnapshotFolder(dir: string): Promise<Snapshot> {
  const manifestFile = path.join(dir, MANIFEST_FILE);
  const manifest = parseManifest(await readJsonFile(dir, MANIFEST_FILE), manifestFile);
  const loaded = new Map<SourceId, unknown>();

  for (const [id, status] of Object.entries(manifest.sources) as [SourceId, SourceStatus][]) {
    if (status.status !== 'ok') continue;
    const relative = SOURCE_FILES[id];
    const file = path.join(dir, relative);
    if (STREAMED_SOURCES.has(id)) {
      try {
        // Only check that it can be opened: a streamed file can be far larger than memory.
        await access(file, fsConstants.R_OK);
      } catch (error: unknown) {
        throw new ConfigurationError(`${file}: cannot read snapshot file (${errorMessage(error)})`);
      }
      loaded.set(
        id,
        // Sign-in pages are large and many: read record by record (see graph-page-lines.ts).
        id === 'graph.signIns'
          ? graphPageLines(file)
          : jsonLinesStream(file, (line, where) => {
              if (typeof line.userId !== 'string' || typeof line.status !== 'number' || !isJsonObject(line.body)) {
                throw new ConfigurationError(`${where}: each line must have userId, status and body`);
              }
              return [line];
            }),
      );
      continue;
    }
    const value = await readJsonFile(dir, relative);
    if (SINGLETON_SOURCES.has(id)) {
      if (!isJsonObject(value)) throw shapeError(file, '', 'must be a JSON object');
      loaded.set(id, value);
      continue;
    }
    if (!isJsonObject(value) || !Array.isArray(value.value)) {
      throw shapeError(file, '/value', 'must be an array (a Graph or InvokeCommand collection)');
    }
    value.value.forEach((item, index) => {
      if (!isJsonObject(item)) throw shapeError(file, `/value/${index}`, 'must be an object');
    });
    loaded.set(id, value.value);
  }

  return {
    manifest,
    status: (id) => manifest.sources[id],
    data<K extends SourceId>(id: K): SourceDataMap[K] {
      if (!loaded.has(id)) throw new Error(`source ${id} is not available in ${dir}`);
      return loaded.get(id) as SourceDataMap[K];
    },
  };
}
