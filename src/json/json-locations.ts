import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { ConfigurationError } from '../errors.js';

/** A parsed JSON document that can say on which line each JSON pointer sits. */
export interface LocatedJson {
  readonly value: unknown;
  /** 1-based line of the value at `pointer` (or of its closest existing parent). */
  lineOf(pointer: string): number;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Splits an RFC 6901 JSON pointer into path segments. */
export function pointerSegments(pointer: string): (string | number)[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

export function escapePointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Parses strict JSON (no comments, no trailing commas), keeping offsets. A syntax error is a
 * `ConfigurationError` naming the file, line and column.
 */
export function parseLocatedJson(text: string, file: string): LocatedJson {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first !== undefined || tree === undefined) {
    const where = first ? lineAndColumn(text, first.offset) : { line: 1, column: 1 };
    const what = first ? printParseErrorCode(first.error) : 'empty document';
    throw new ConfigurationError(`${file}:${where.line}:${where.column}: invalid JSON (${what})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error: unknown) {
    throw new ConfigurationError(`${file}: invalid JSON (${String(error)})`);
  }
  return {
    value,
    lineOf(pointer: string): number {
      const segments = pointerSegments(pointer);
      let node: Node | undefined;
      while (segments.length >= 0) {
        node = findNodeAtLocation(tree, segments);
        if (node || segments.length === 0) break;
        segments.pop();
      }
      // For a property, point at its key rather than its value.
      const at = node?.parent?.type === 'property' ? node.parent : node;
      return lineAndColumn(text, at?.offset ?? 0).line;
    },
  };
}
