import type { ErrorObject } from '../model/json-schema.js';
import { escapePointerSegment } from '../json/json-locations.js';

/** Where a value breaks its source's schema, and how: `/value/3/accountEnabled` "is a string …". */
export interface ShapeProblem {
  /** JSON pointer (RFC 6901) from the start of what was checked. */
  readonly pointer: string;
  readonly message: string;
}

/** The value at a JSON pointer, for naming what was found there. */
function valueAt(root: unknown, pointer: string): unknown {
  let value = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A short, quoted description of a value: `a string ("true")`, `an array`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string': {
      const text = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
      return `a string (${text})`;
    }
    case 'number':
      return `a number (${value})`;
    case 'boolean':
      return `a boolean (${value})`;
    case 'object':
      return 'an object';
    default:
      return 'missing';
  }
}

const ARTICLE: Readonly<Record<string, string>> = {
  string: 'a string',
  boolean: 'a boolean',
  integer: 'an integer',
  number: 'a number',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

function expectedTypes(type: unknown): string {
  const types = Array.isArray(type) ? type.map(String) : [String(type)];
  return types.map((t) => ARTICLE[t] ?? t).join(' or ');
}

/** One problem from an Ajv error over `root`: the pointer to the field and what is wrong with it. */
export function shapeProblem(error: ErrorObject, root: unknown): ShapeProblem {
  if (error.propertyName !== undefined) {
    // A key of an object keyed by name (DNS questions, source IDs), not a value.
    const key = error.propertyName;
    const rule = error.keyword === 'enum' ? 'not a known key' : 'not a key of the expected form';
    return { pointer: `${error.instancePath}/${escapePointerSegment(key)}`, message: `is ${rule}` };
  }
  const found = valueAt(root, error.instancePath);
  switch (error.keyword) {
    case 'type':
      return {
        pointer: error.instancePath,
        message: `is ${describeValue(found)}, expected ${expectedTypes((error.params as { type?: unknown }).type)}`,
      };
    case 'required': {
      const missing = String((error.params as { missingProperty?: string }).missingProperty);
      return { pointer: `${error.instancePath}/${escapePointerSegment(missing)}`, message: 'is missing' };
    }
    case 'enum':
    case 'const': {
      const params = error.params as { allowedValues?: unknown[]; allowedValue?: unknown };
      const allowed = params.allowedValues ?? [params.allowedValue];
      return {
        pointer: error.instancePath,
        message: `is ${describeValue(found)}, expected ${allowed.map((v) => JSON.stringify(v)).join(', ')}`,
      };
    }
    default:
      return { pointer: error.instancePath, message: `${error.message ?? error.keyword} (${describeValue(found)})` };
  }
}
