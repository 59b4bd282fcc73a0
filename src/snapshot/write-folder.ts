import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import type { Manifest } from './manifest.js';
import { EMBEDDED_SOURCES, MANIFEST_FILE, SINGLETON_SOURCES, SOURCE_FILES, STREAMED_SOURCES } from './folder-layout.js';
import type { PageStream, Snapshot } from './snapshot.js';
import type { SourceId } from './source-id.js';
import type { CoveredSpan, SourceStatus } from './source-status.js';

async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** How far a stream got: records and pages written, and the time span of time-stamped records. */
class Progress {
  records = 0;
  pages = 0;
  earliest: string | null = null;
  latest: string | null = null;

  /** Graph sends UTC times in one form (`…Z`), so text order is time order. */
  see(time: unknown): void {
    if (typeof time !== 'string') return;
    if (this.earliest === null || time < this.earliest) this.earliest = time;
    if (this.latest === null || time > this.latest) this.latest = time;
  }

  covered(): CoveredSpan {
    return {
      records: this.records,
      pages: this.pages,
      ...(this.earliest !== null ? { earliest: this.earliest, latest: this.latest } : {}),
    };
  }
}

async function writeJsonLines(
  file: string,
  stream: PageStream<unknown>,
  perItem: boolean,
  progress: Progress,
  timeOf: ((item: unknown) => unknown) | undefined,
): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const out = createWriteStream(file, { encoding: 'utf8' });
  try {
    for await (const page of stream.pages()) {
      const text = perItem
        ? page.map((item) => `${JSON.stringify(item)}\n`).join('')
        : `${JSON.stringify({ value: page })}\n`;
      if (!out.write(text)) await once(out, 'drain');
      progress.records += page.length;
      progress.pages++;
      if (timeOf) for (const item of page) progress.see(timeOf(item));
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
}

/** The time of a sign-in record, for the span a cut-short sign-in log covered. */
function signInTime(item: unknown): unknown {
  return typeof item === 'object' && item !== null
    ? (item as { createdDateTime?: unknown }).createdDateTime
    : undefined;
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
 * by page. A stream that fails part-way marks its source `failed` in the manifest, with the
 * span it covered, so replay gives the same `error` the live run gave.
 */
export async function writeSnapshotFolder(dir: string, snapshot: Snapshot): Promise<Manifest> {
  await mkdir(dir, { recursive: true });
  const sources: Partial<Record<SourceId, SourceStatus>> = { ...snapshot.manifest.sources };
  for (const [id, status] of Object.entries(snapshot.manifest.sources) as [SourceId, SourceStatus][]) {
    if (status.status !== 'ok' || EMBEDDED_SOURCES.has(id)) continue;
    const file = path.join(dir, SOURCE_FILES[id]);
    if (STREAMED_SOURCES.has(id)) {
      const progress = new Progress();
      try {
        const stream = snapshot.data(id) as PageStream<unknown>;
        await writeJsonLines(
          file,
          stream,
          id === 'graph.messageRules',
          progress,
          id === 'graph.signIns' ? signInTime : undefined,
        );
        sources[id] = { ...status, count: progress.records };
      } catch (error: unknown) {
        // What was read stays in the file for inspection; the manifest says it is not the whole.
        sources[id] = {
          status: 'failed',
          reason: error instanceof Error ? error.message : String(error),
          covered: progress.covered(),
        };
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
