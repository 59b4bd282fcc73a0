/*
 * The one byte scanner for JSON values, shared by the live page splitter
 * (collect/graph/page-record-splitter.ts) and the snapshot's page reader
 * (snapshot/graph-page-lines.ts). It finds where a value ends without decoding it: objects and
 * arrays by bracket depth, skipping strings (a quote ends a string unless escaped), and a scalar
 * at the first delimiter. It judges nothing: each caller hands the bytes it delimits to
 * JSON.parse, and reports errors at its own locations.
 */

export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
export const COLON = 0x3a;

/** JSON's insignificant whitespace (RFC 8259 §2): space, tab, line feed, carriage return. */
export function isJsonSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/**
 * Finds the end of one JSON value in bytes that may arrive in pieces: `begin` with the value's
 * first byte, then `end` over the bytes read so far, again with the next bytes while it answers -1.
 */
export class JsonValueScanner {
  // Scan state inside a value: nesting depth, inside a string, after a backslash in one.
  private depth = 0;
  private inString = false;
  private escaped = false;
  private scalar = false;

  /** Starts a value whose first byte is `first`. */
  begin(first: number): void {
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    // Anything but an object, array or string runs to the next delimiter; JSON.parse judges it.
    this.scalar = first !== OPEN_BRACE && first !== OPEN_BRACKET && first !== QUOTE;
  }

  /**
   * Scans `bytes[from, to)`, continuing the value begun: the index just past it, or -1 when it
   * runs past `to` (call again from `to` once more bytes are in). A scalar ends at the first
   * delimiter, which is left unread.
   */
  end(bytes: Uint8Array, from: number, to: number): number {
    let i = from;
    if (this.scalar) {
      for (; i < to; i++) {
        const byte = bytes[i] ?? 0;
        if (byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || isJsonSpace(byte)) return i;
      }
      return -1;
    }
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escaped;
    while (i < to) {
      if (inString) {
        // The string's bytes in a tight loop: a quote ends it unless escaped.
        if (escaped) {
          escaped = false;
          i++;
        }
        for (; i < to; i++) {
          const c = bytes[i];
          if (c === BACKSLASH) {
            if (i + 1 >= to) {
              escaped = true;
              i = to;
              break;
            }
            i++;
          } else if (c === QUOTE) break;
        }
        if (i >= to) break;
        inString = false;
        i++;
        if (depth === 0) {
          this.inString = false;
          return i;
        }
        continue;
      }
      const byte = bytes[i];
      if (byte === QUOTE) inString = true;
      else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) {
          this.depth = 0;
          return i + 1;
        }
      }
      i++;
    }
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    return -1;
  }
}
