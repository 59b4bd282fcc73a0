import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { ConfigurationError } from '../errors.js';

/** A parsed JSON document that can say on which line each JSON pointer sits. */
export interface LocatedJson {
  readonly value: unknown;
  /** 1-based line of the value at `pointer` (or of its closest existing parent). */
  lineOf(pointer: string): number;
}

/**
 * Deepest nesting of objects and arrays accepted. A policy is about six levels deep and a Graph
 * or Exchange file about ten; jsonc-parser descends recursively, so thousands of levels would
 * overflow the stack before any error could name the file.
 */
export const MAX_JSON_DEPTH = 64;

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

/** The offset where nesting first goes deeper than `max`, skipping strings; -1 when it never does. */
function tooDeepAt(text: string, max: number): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: a quote ends it unless escaped.
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === 0x5c) i++;
        else if (s === 0x22) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) return i;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return -1;
}

/** The JSON pointer of a node of a jsonc-parser tree. */
function pointerOf(node: Node): string {
  const segments: string[] = [];
  let child = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (parent.type === 'property') {
      const key = parent.children?.[0];
      if (key && child !== key) segments.unshift(escapePointerSegment(String(key.value)));
    } else if (parent.type === 'array') {
      segments.unshift(String(parent.children?.indexOf(child) ?? 0));
    }
  }
  return segments.length === 0 ? '' : `/${segments.join('/')}`;
}

/**
 * The first key that an object repeats, with both places. JSON.parse keeps the last value
 * silently (RFC 8259 §4: names SHOULD be unique), so `"enabled": true, "enabled": false` would
 * switch a control off without a word.
 */
function firstDuplicateKey(root: Node): { key: string; first: Node; second: Node } | undefined {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if (node.type === 'object') {
      const seen = new Map<string, Node>();
      for (const property of node.children ?? []) {
        const key = property.children?.[0];
        if (!key) continue;
        const name = String(key.value);
        const first = seen.get(name);
        if (first) return { key: name, first, second: key };
        seen.set(name, key);
      }
    }
    for (const child of node.children ?? []) stack.push(child);
  }
  return undefined;
}

/**
 * Parses strict JSON (no comments, no trailing commas, no repeated keys, at most
 * MAX_JSON_DEPTH levels), keeping offsets. Every problem is a `ConfigurationError` naming the
 * file, line and column.
 */
export function parseLocatedJson(text: string, file: string): LocatedJson {
  const deep = tooDeepAt(text, MAX_JSON_DEPTH);
  if (deep !== -1) {
    const where = lineAndColumn(text, deep);
    throw new ConfigurationError(
      `${file}:${where.line}:${where.column}: nested deeper than ${MAX_JSON_DEPTH} levels of objects and arrays`,
    );
  }
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first !== undefined || tree === undefined) {
    const where = first ? lineAndColumn(text, first.offset) : { line: 1, column: 1 };
    const what = first ? printParseErrorCode(first.error) : 'empty document';
    throw new ConfigurationError(`${file}:${where.line}:${where.column}: invalid JSON (${what})`);
  }
  const duplicate = firstDuplicateKey(tree);
  if (duplicate) {
    const at = lineAndColumn(text, duplicate.second.offset);
    const before = lineAndColumn(text, duplicate.first.offset);
    const pointer = `${pointerOf(duplicate.second.parent ?? tree)}/${escapePointerSegment(duplicate.key)}`;
    throw new ConfigurationError(
      `${file}:${at.line}:${at.column}: ${pointer}: duplicate key "${duplicate.key}" (first at line ${before.line}, column ${before.column}); JSON keeps only the last, so remove one`,
    );
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
