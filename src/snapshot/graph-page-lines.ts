import { open } from 'node:fs/promises';
import { ConfigurationError, errorMessage } from '../errors.js';
import {
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COMMA,
  isJsonSpace as isSpace,
  JsonValueScanner,
  OPEN_BRACE,
} from '../json/json-value-scanner.js';
import { isJsonObject, type JsonObject } from '../model/json.js';
import type { PageStream } from './snapshot.js';

/*
 * Reads a JSON Lines file of Graph pages, one `{"value":[…]}` per line (the sign-in log of a
 * snapshot folder), page by page in flat memory.
 *
 * Why not readline and one JSON.parse per line: a page of 1,000 sign-ins is a 400 KB line, so
 * each line became a string in V8's large-object space, which only a full GC frees, and RSS
 * grew by hundreds of MB of such garbage. Here the file is read into one reused buffer, lines
 * are found by byte, and each record of the page is decoded and parsed on its own, so every
 * string stays small and dies young. A line that is not exactly `{"value":[{…},…]}` takes the
 * general path (one JSON.parse of the line), so any input reads as JSON.parse would read it
 * and errors name the same file:line.
 */

const PREFIX = Buffer.from('{"value":[');
const NEWLINE = 0x0a;
const RETURN = 0x0d;

/**
 * The records of a line `{"value":[{…},{…}]}` parsed one by one, or `undefined` when the line
 * has any other shape (then the caller parses the whole line). Every record goes through
 * JSON.parse and the bytes between them are checked, so a line accepted here is valid JSON.
 */
function fastRecords(bytes: Buffer, start: number, end: number): JsonObject[] | undefined {
  while (end > start && isSpace(bytes[end - 1] ?? 0)) end--;
  if (end - start < PREFIX.length + 2 || bytes.compare(PREFIX, 0, PREFIX.length, start, start + PREFIX.length) !== 0)
    return undefined;
  if (bytes[end - 1] !== CLOSE_BRACE || bytes[end - 2] !== CLOSE_BRACKET) return undefined;
  const last = end - 2;
  const records: JsonObject[] = [];
  const scanner = new JsonValueScanner();
  let at = start + PREFIX.length;
  if (at === last) return records;
  for (;;) {
    if (bytes[at] !== OPEN_BRACE) return undefined;
    scanner.begin(OPEN_BRACE);
    const close = scanner.end(bytes, at, last);
    if (close === -1) return undefined;
    let record: unknown;
    try {
      record = JSON.parse(bytes.toString('utf8', at, close));
    } catch {
      return undefined;
    }
    if (!isJsonObject(record)) return undefined;
    records.push(record);
    if (close === last) return records;
    if (bytes[close] !== COMMA) return undefined;
    at = close + 1;
  }
}

/** The general path: one JSON.parse of the line, with the reader's error messages. */
function slowRecords(text: string, where: string): readonly unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error: unknown) {
    throw new ConfigurationError(`${where}: invalid JSON (${errorMessage(error)})`);
  }
  if (!isJsonObject(parsed)) throw new ConfigurationError(`${where}: each line must be a JSON object`);
  if (!Array.isArray(parsed.value)) throw new ConfigurationError(`${where}: /value: must be an array of sign-ins`);
  return parsed.value;
}

/** Reads the file in chunks into one buffer and yields each line's bytes as `[start, end)`. */
async function* lineRanges(
  file: string,
  bufferBytes: number,
): AsyncGenerator<{ bytes: Buffer; start: number; end: number }> {
  const handle = await open(file, 'r');
  try {
    let bytes = Buffer.allocUnsafe(bufferBytes);
    let filled = 0;
    let from = 0;
    let eof = false;
    for (;;) {
      const newline = bytes.indexOf(NEWLINE, from);
      if (newline !== -1 && newline < filled) {
        yield { bytes, start: from, end: newline };
        from = newline + 1;
        continue;
      }
      if (eof) {
        if (from < filled) yield { bytes, start: from, end: filled };
        return;
      }
      // Keep the unfinished line at the front; grow only for a line longer than the buffer.
      if (from > 0) {
        bytes.copy(bytes, 0, from, filled);
        filled -= from;
        from = 0;
      }
      if (filled === bytes.length) {
        const grown = Buffer.allocUnsafe(bytes.length * 2);
        bytes.copy(grown, 0, 0, filled);
        bytes = grown;
      }
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, null);
      if (bytesRead === 0) eof = true;
      filled += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

/** Checks a page's records before they are yielded; throws naming `where` (`file:line`). */
export type PageCheck = (records: readonly unknown[], where: string) => void;

/** A snapshot's stream of Graph pages (`graph/signIns.jsonl`), read page by page. */
export function graphPageLines(
  file: string,
  check: PageCheck = () => undefined,
  bufferBytes = 4 << 20,
): PageStream<JsonObject> {
  return {
    async *pages() {
      let number = 0;
      try {
        for await (const { bytes, start, end } of lineRanges(file, bufferBytes)) {
          // readline also ends a line at a lone CR; such files take the general path, line by line.
          const cr = bytes.subarray(start, end).indexOf(RETURN);
          const lone = cr !== -1 && cr < end - start - 1;
          if (!lone) {
            number++;
            const fast = fastRecords(bytes, start, end);
            if (fast) {
              check(fast, `${file}:${number}`);
              yield fast;
              continue;
            }
          }
          const text = bytes.toString('utf8', start, end);
          const lines = lone ? (text.endsWith('\r') ? text.slice(0, -1) : text).split('\r') : [text];
          for (const line of lines) {
            if (lone) number++;
            if (line.trim() === '') continue;
            const records = slowRecords(line, `${file}:${number}`);
            check(records, `${file}:${number}`);
            yield records as readonly JsonObject[];
          }
        }
      } catch (error: unknown) {
        if (error instanceof ConfigurationError) throw error;
        throw new ConfigurationError(`${file}: cannot read snapshot file (${errorMessage(error)})`);
      }
    },
  };
}
