import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import type { Manifest } from './manifest.js';
import { EMBEDDED_SOURCES, MANIFEST_FILE, SINGLETON_SOURCES, SOURCE_FILES, STREAMED_SOURCES } from './folder-layout.js';
import type { PageStream, Snapshot } from './snapshot.js';
import type { SourceId } from './source-id.js';
import type { SourceStatus } from './source-status.js';

async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}

async function writeJsonLines(file: string, stream: PageStream<unknown>, perItem: boolean): Promise<number> {
  await mkdir(path.dirname(file), { recursive: true });
  const out = createWriteStream(file, { encoding: 'utf8' });
  let count = 0;
  try {
    for await (const page of stream.pages()) {
      const text = perItem
        ? page.map((item) => `${JSON.stringify(item)}\n`).join('')
        : `${JSON.stringify({ value: page })}\n`;
      count += page.length;
      if (!out.write(text)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return count;
}

/** Records in a source: items of a collection, questions answered for DNS, 1 for a single object. */
export function recordCount(data: unknown): number {
  if (Array.isArray(data)) return data.length;
  if (typeof data === 'object' && data !== null && 'answers' in data) {
    const answers = (data as { answers: unknown }).answers;
    if (typeof answers === 'object' && answers !== null) return Object.keys(answers).length;
  }
  return 1;
}

/**
 * Writes a snapshot to a folder in the documented format. Streamed sources are written page
 * by page. A stream that fails part-way marks its source `failed` in the manifest, so replay
 * gives the same `error` the live run gave.
 */
export async function writeSnapshotFolder(dir: string, snapshot: Snapshot): Promise<Manifest> {
  await mkdir(dir, { recursive: true });
  const sources: Partial<Record<SourceId, SourceStatus>> = { ...snapshot.manifest.sources };
  for (const [id, status] of Object.entries(snapshot.manifest.sources) as [SourceId, SourceStatus][]) {
    if (status.status !== 'ok' || EMBEDDED_SOURCES.has(id)) continue;
    const file = path.join(dir, SOURCE_FILES[id]);
    if (STREAMED_SOURCES.has(id)) {
      try {
        const count = await writeJsonLines(file, snapshot.data(id) as PageStream<unknown>, id === 'graph.messageRules');
        sources[id] = { ...status, count };
      } catch (error: unknown) {
        sources[id] = { status: 'failed', reason: error instanceof Error ? error.message : String(error) };
      }
      continue;
    }
    const data = snapshot.data(id);
    await writeJson(file, SINGLETON_SOURCES.has(id) ? data : { value: data });
    sources[id] = { ...status, count: recordCount(data) };
  }
  const manifest: Manifest = { ...snapshot.manifest, sources };
  await writeJson(path.join(dir, MANIFEST_FILE), manifest);
  return manifest;
}
