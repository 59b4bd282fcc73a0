import { open, type FileHandle } from 'node:fs/promises';
import { ConfigurationError, errorMessage } from '../errors.js';
import { isJsonObject, type JsonObject } from '../model/json.js';

/**
 * Random access to a JSON Lines snapshot file (sign-ins, inbox rules) without holding it in
 * memory: one pass at start records where each line begins and lets the caller validate it
 * and keep a small summary; pages are then read back by line number.
 */
export class JsonLinesFile {
  private readonly cache = new Map<number, JsonObject>();

  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
    /** Byte offset of each non-empty line, and its length. */
    private readonly starts: readonly number[],
    private readonly lengths: readonly number[],
    private readonly numbers: readonly number[],
  ) {}

  get lineCount(): number {
    return this.starts.length;
  }

  /**
   * Opens and scans the file; `inspect` sees every line once (to validate it and build an
   * index) and throws a ConfigurationError naming `file:line` and the JSON pointer.
   */
  static async open(
    file: string,
    inspect: (line: JsonObject, index: number, where: string) => void,
  ): Promise<JsonLinesFile> {
    let handle: FileHandle;
    try {
      handle = await open(file, 'r');
    } catch (error: unknown) {
      throw new ConfigurationError(`${file}: cannot read snapshot file (${errorMessage(error)})`);
    }
    const starts: number[] = [];
    const lengths: number[] = [];
    const numbers: number[] = [];
    try {
      const chunk = Buffer.allocUnsafe(1 << 20);
      let carry: Buffer[] = [];
      let carryStart = 0;
      let position = 0;
      let lineNumber = 0;
      const finishLine = (bytes: Buffer, start: number): void => {
        lineNumber++;
        const text = bytes.toString('utf8');
        if (text.trim() === '') return;
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch (error: unknown) {
          throw new ConfigurationError(`${file}:${lineNumber}: invalid JSON (${errorMessage(error)})`);
        }
        if (!isJsonObject(parsed))
          throw new ConfigurationError(`${file}:${lineNumber}: /: each line must be a JSON object`);
        inspect(parsed, starts.length, `${file}:${lineNumber}`);
        starts.push(start);
        lengths.push(bytes.length);
        numbers.push(lineNumber);
      };
      for (;;) {
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
        if (bytesRead === 0) break;
        let from = 0;
        for (;;) {
          const newline = chunk.indexOf(0x0a, from);
          if (newline === -1 || newline >= bytesRead) break;
          const piece = Buffer.from(chunk.subarray(from, newline));
          const bytes = carry.length > 0 ? Buffer.concat([...carry, piece]) : piece;
          finishLine(bytes, carry.length > 0 ? carryStart : position + from);
          carry = [];
          from = newline + 1;
        }
        if (from < bytesRead) {
          if (carry.length === 0) carryStart = position + from;
          carry.push(Buffer.from(chunk.subarray(from, bytesRead)));
        }
        position += bytesRead;
      }
      if (carry.length > 0) finishLine(Buffer.concat(carry), carryStart);
    } catch (error: unknown) {
      await handle.close();
      if (error instanceof ConfigurationError) throw error;
      throw new ConfigurationError(`${file}: cannot read snapshot file (${errorMessage(error)})`);
    }
    return new JsonLinesFile(file, handle, starts, lengths, numbers);
  }

  /** Reads line `index` (0-based among non-empty lines); a few recent lines stay cached. */
  async line(index: number): Promise<JsonObject> {
    const cached = this.cache.get(index);
    if (cached !== undefined) return cached;
    const start = this.starts[index];
    const length = this.lengths[index];
    if (start === undefined || length === undefined)
      throw new RangeError(`line ${index} is out of range in ${this.file}`);
    const buffer = Buffer.allocUnsafe(length);
    await this.handle.read(buffer, 0, length, start);
    const value = JSON.parse(buffer.toString('utf8')) as JsonObject;
    if (this.cache.size >= 8) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(index, value);
    return value;
  }

  /** The 1-based line number in the file, for error messages. */
  lineNumber(index: number): number {
    return this.numbers[index] ?? 0;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
