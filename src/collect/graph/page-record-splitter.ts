/*
 * Splits the body of a Graph collection page, `{"@odata.context":…,"value":[{…},…],
 * "@odata.nextLink":…}` (learn.microsoft.com/graph/paging), into its `value` records as the bytes
 * arrive, so a 400 KB sign-in page never becomes one string and one whole-page JSON.parse.
 *
 * The splitter checks the grammar of the envelope itself (object, string keys, colons, commas,
 * the `value` array) and hands every record and every other member's value to JSON.parse on its
 * own, so a body it accepts is valid JSON, and one it rejects is not: JSON.parse would reject it
 * too. Records are found by bracket depth, skipping strings (a quote ends a string unless escaped).
 */

import {
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  isJsonSpace as isSpace,
  JsonValueScanner,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
} from '../../json/json-value-scanner.js';

/** Bytes scanned before the records read so far are parsed. */
const PIECE_BYTES = 16 << 10;

/** The body is not JSON, or not a JSON object; `at` is the byte offset in the body. */
export class PageSyntaxError extends Error {
  override readonly name = 'PageSyntaxError';
  constructor(
    message: string,
    readonly at: number,
    /** The body had no JSON at all (empty, or only whitespace). */
    readonly empty = false,
  ) {
    super(`${message} at byte ${at}`);
  }
}

/** Where the splitter is in the envelope. */
// biome-ignore lint/suspicious/noConstEnum: module-private (nothing imports it); inlined in the per-byte loop
const enum Where {
  BeforeObject,
  BeforeFirstKey,
  BeforeKey,
  InKey,
  AfterKey,
  BeforeValue,
  InMember,
  AfterMember,
  BeforeFirstRecord,
  BeforeRecord,
  InRecord,
  AfterRecord,
  Done,
}

/** A page's records and its other members (`@odata.nextLink`, `@odata.context`, …), parsed. */
export interface SplitPage {
  /** `undefined` when the body has no `value` member, or one that is not an array (see `members.value`). */
  readonly records: unknown[] | undefined;
  readonly members: ReadonlyMap<string, unknown>;
}

/**
 * Feed it the body's chunks in order with `push`, then call `end`. Bytes are kept in one buffer,
 * reused and grown only for a record longer than it, from the start of the token being read.
 */
export class PageRecordSplitter {
  private bytes: Buffer;
  private filled = 0;
  /** Next byte to look at. */
  private at = 0;
  /** Start of the key, member value or record being read (kept when the buffer is compacted). */
  private start = 0;
  /** Bytes dropped from the front of the buffer so far: offsets in errors are the body's. */
  private dropped = 0;
  private where = Where.BeforeObject;
  /** Where the key, member value or record being read ends (json/json-value-scanner.ts). */
  private readonly value = new JsonValueScanner();
  private key = '';
  private records: unknown[] | undefined;
  /** Records read but not yet parsed: bytes `[pendingStart, pendingEnd)`, whole records and the commas between. */
  private pendingStart = -1;
  private pendingEnd = 0;
  private readonly members = new Map<string, unknown>();

  constructor(bufferBytes = 64 << 10) {
    this.bytes = Buffer.allocUnsafe(bufferBytes);
  }

  /** Adds the next chunk of the body and parses every record it completes. */
  push(chunk: Uint8Array): void {
    // In pieces, so each JSON.parse gets a small string that dies young in V8's new space.
    for (let from = 0; from < chunk.length; from += PIECE_BYTES) {
      this.append(chunk.subarray(from, from + PIECE_BYTES));
      this.scan();
      this.flush();
    }
  }

  /** The parsed page; throws when the body stopped before the object closed. */
  end(): SplitPage {
    if (this.where === Where.BeforeObject) throw new PageSyntaxError('empty body', this.dropped + this.filled, true);
    if (this.where !== Where.Done)
      throw new PageSyntaxError('body ends before the JSON object closes', this.dropped + this.filled);
    return { records: this.records, members: this.members };
  }

  private append(chunk: Uint8Array): void {
    // Keep only what is still needed: the token being read, from `start` (or `at` between tokens).
    const keep = this.inToken() ? this.start : this.at;
    if (keep > 0 && this.filled + chunk.length > this.bytes.length) {
      this.bytes.copy(this.bytes, 0, keep, this.filled);
      this.filled -= keep;
      this.at -= keep;
      this.start -= keep;
      this.dropped += keep;
    }
    if (this.filled + chunk.length > this.bytes.length) {
      let size = this.bytes.length * 2;
      while (size < this.filled + chunk.length) size *= 2;
      const grown = Buffer.allocUnsafe(size);
      this.bytes.copy(grown, 0, 0, this.filled);
      this.bytes = grown;
    }
    this.bytes.set(chunk, this.filled);
    this.filled += chunk.length;
  }

  private inToken(): boolean {
    return this.where === Where.InKey || this.where === Where.InMember || this.where === Where.InRecord;
  }

  private fail(message: string, at: number): never {
    throw new PageSyntaxError(message, this.dropped + at);
  }

  private parse(start: number, end: number, list = false): unknown {
    const slice = this.bytes.toString('utf8', start, end);
    const text = list ? `[${slice}]` : slice;
    try {
      return JSON.parse(text) as unknown;
    } catch (error: unknown) {
      this.fail(`invalid JSON (${error instanceof Error ? error.message : String(error)})`, start);
    }
  }

  /** Starts reading a value (a member's or a record) at `i`. */
  private begin(i: number, where: Where.InMember | Where.InRecord): void {
    this.where = where;
    this.start = i;
    this.value.begin(this.bytes[i] ?? 0);
  }

  /**
   * Advances through the value begun at `start`; the index just past it, or -1 when it runs past
   * the bytes read so far. A scalar ends at the first delimiter, which is left unread.
   */
  private valueEnd(): number {
    const close = this.value.end(this.bytes, this.at, this.filled);
    if (close === -1) this.at = this.filled;
    return close;
  }

  private scan(): void {
    const bytes = this.bytes;
    while (this.at < this.filled) {
      const i = this.at;
      const byte = bytes[i] ?? 0;
      switch (this.where) {
        case Where.InKey:
        case Where.InMember:
        case Where.InRecord: {
          const close = this.valueEnd();
          if (close === -1) return;
          this.at = close;
          this.finish(close);
          continue;
        }
        default:
          break;
      }
      if (isSpace(byte)) {
        this.at = i + 1;
        continue;
      }
      switch (this.where) {
        case Where.BeforeObject:
          if (byte !== OPEN_BRACE) this.fail('expected a JSON object', i);
          this.where = Where.BeforeFirstKey;
          break;
        case Where.BeforeFirstKey:
        case Where.BeforeKey:
          if (byte === QUOTE) {
            this.begin(i, Where.InMember);
            this.where = Where.InKey;
            continue;
          }
          if (byte !== CLOSE_BRACE || this.where !== Where.BeforeFirstKey) this.fail('expected a member name', i);
          this.where = Where.Done;
          break;
        case Where.AfterKey:
          if (byte !== COLON) this.fail("expected ':'", i);
          this.where = Where.BeforeValue;
          break;
        case Where.BeforeValue:
          if (this.key === 'value' && byte === OPEN_BRACKET) {
            this.records = [];
            this.where = Where.BeforeFirstRecord;
          } else {
            this.begin(i, Where.InMember);
            continue;
          }
          break;
        case Where.AfterMember:
          if (byte === COMMA) this.where = Where.BeforeKey;
          else if (byte === CLOSE_BRACE) this.where = Where.Done;
          else this.fail("expected ',' or '}'", i);
          break;
        case Where.BeforeFirstRecord:
        case Where.BeforeRecord:
          if (byte === CLOSE_BRACKET && this.where === Where.BeforeFirstRecord) this.where = Where.AfterMember;
          else if (byte === COMMA || byte === CLOSE_BRACKET || byte === CLOSE_BRACE || byte === COLON)
            this.fail('expected a value', i);
          else {
            this.begin(i, Where.InRecord);
            continue;
          }
          break;
        case Where.AfterRecord:
          if (byte === COMMA) this.where = Where.BeforeRecord;
          else if (byte === CLOSE_BRACKET) {
            this.flush();
            this.where = Where.AfterMember;
          } else this.fail("expected ',' or ']'", i);
          break;
        case Where.Done:
          this.fail('unexpected data after the JSON object', i);
          break;
        default:
          break;
      }
      this.at = i + 1;
    }
  }

  /** A key, member value or record ends at `close`: parse it and move on. */
  private finish(close: number): void {
    if (this.where === Where.InRecord) {
      if (this.pendingStart === -1) this.pendingStart = this.start;
      this.pendingEnd = close;
      this.where = Where.AfterRecord;
      return;
    }
    const value = this.parse(this.start, close);
    if (this.where === Where.InKey) {
      if (typeof value !== 'string') this.fail('expected a member name', this.start);
      // JSON.parse keeps the last of duplicate names; records already handed on cannot be taken back.
      if (value === 'value' && this.records !== undefined) this.fail('a second "value" member', this.start);
      this.key = value;
      this.where = Where.AfterKey;
    } else if (this.where === Where.InMember) {
      this.members.set(this.key, value);
      this.where = Where.AfterMember;
    }
  }

  /**
   * Parses the records read so far in one JSON.parse of `[…]`: a chunk's worth of text (at most
   * the chunk plus one record), small enough to stay out of V8's large-object space, and far
   * fewer calls than one per record. `[a,b]` parses exactly when a and b each do.
   */
  private flush(): void {
    if (this.pendingStart === -1) return;
    const parsed = this.parse(this.pendingStart, this.pendingEnd, true);
    this.pendingStart = -1;
    const records = this.records;
    if (!Array.isArray(parsed) || records === undefined) this.fail('invalid JSON', this.pendingEnd);
    for (const record of parsed as unknown[]) records.push(record);
  }
}
