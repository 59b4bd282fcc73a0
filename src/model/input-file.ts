import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { ConfigurationError, errorMessage } from '../errors.js';

/** The most a policy may weigh: the bundled ones are under 30 KB. */
export const POLICY_MAX_BYTES = 5 * 1024 * 1024;

/** The most a certificate file or a simulator setting may weigh: a PEM chain is a few KB. */
export const SMALL_FILE_MAX_BYTES = 1024 * 1024;

const CHUNK = 64 * 1024;

function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

/**
 * Reads a file the user named (a policy, a certificate, a simulator setting), refusing one
 * larger than `limit` before it is held in memory. The size is checked with fstat, and the read
 * stops one byte past the limit whatever fstat said, because devices, pipes and /proc files
 * report no size (`--policy /dev/zero` must end with a message, not out of memory).
 */
export async function readInputFile(file: string, what: string, limit: number): Promise<Buffer> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'r');
  } catch (error: unknown) {
    throw new ConfigurationError(`${file}: cannot read ${what} (${errorMessage(error)})`);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new ConfigurationError(`${file}: is a folder, not a ${what}`);
    const tooLarge = () =>
      new ConfigurationError(`${file}: the ${what} is larger than ${megabytes(limit)}; refusing to read it`);
    if (info.isFile() && info.size > limit) throw tooLarge();
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, limit + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > limit) throw tooLarge();
    }
    return Buffer.concat(chunks, total);
  } catch (error: unknown) {
    if (error instanceof ConfigurationError) throw error;
    throw new ConfigurationError(`${file}: cannot read ${what} (${errorMessage(error)})`);
  } finally {
    await handle.close();
  }
}

/** readInputFile for a caller that cannot wait (the command line's settings are read at once). */
export function readInputFileSync(file: string, what: string, limit: number): Buffer {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error: unknown) {
    throw new ConfigurationError(`${file}: cannot read ${what} (${errorMessage(error)})`);
  }
  try {
    const info = fstatSync(fd);
    if (info.isDirectory()) throw new ConfigurationError(`${file}: is a folder, not a ${what}`);
    const tooLarge = () =>
      new ConfigurationError(`${file}: the ${what} is larger than ${megabytes(limit)}; refusing to read it`);
    if (info.isFile() && info.size > limit) throw tooLarge();
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, limit + 1 - total));
      const bytesRead = readSync(fd, chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > limit) throw tooLarge();
    }
    return Buffer.concat(chunks, total);
  } catch (error: unknown) {
    if (error instanceof ConfigurationError) throw error;
    throw new ConfigurationError(`${file}: cannot read ${what} (${errorMessage(error)})`);
  } finally {
    closeSync(fd);
  }
}

/** Length of a well-formed UTF-8 sequence starting at `i` (RFC 3629 §4), or 0 when it is not one. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i] ?? 0;
  if (b0 < 0x80) return 1;
  const cont = (k: number) => {
    const b = bytes[i + k];
    return b !== undefined && b >= 0x80 && b <= 0xbf;
  };
  const b1 = bytes[i + 1] ?? 0;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    // No overlong forms (E0 A0..) and no surrogates (ED 80..9F).
    const ok = b0 === 0xe0 ? b1 >= 0xa0 && b1 <= 0xbf : b0 === 0xed ? b1 >= 0x80 && b1 <= 0x9f : cont(1);
    return ok && cont(2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const ok = b0 === 0xf0 ? b1 >= 0x90 && b1 <= 0xbf : b0 === 0xf4 ? b1 >= 0x80 && b1 <= 0x8f : cont(1);
    return ok && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/**
 * Decodes UTF-8, refusing malformed bytes with their line and column: a decoder that replaced
 * them with U+FFFD would make the text differ from the file, so a hash or a copy of one would not
 * be of the other. A leading byte-order mark is dropped, as JSON readers may (RFC 8259 §8.1).
 */
export function decodeUtf8(bytes: Uint8Array, file: string, what: string): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < bytes.length; ) {
    const length = sequenceLength(bytes, i);
    if (length === 0) {
      const byte = (bytes[i] ?? 0).toString(16).toUpperCase().padStart(2, '0');
      throw new ConfigurationError(
        `${file}:${line}:${i - lineStart + 1}: the ${what} is not valid UTF-8 (byte 0x${byte}); save it as UTF-8`,
      );
    }
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
    i += length;
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}
