import { createAjv, type JsonSchema, type ValidateFunction } from '../model/json-schema.js';
import { MANIFEST_SCHEMA } from './schemas/manifest-schema.js';
import { SOURCE_SCHEMAS } from './schemas/source-schemas.js';
import { type ShapeProblem, shapeProblem } from './shape-problem.js';
import type { SourceId } from './source-id.js';

/** Checks one value against a schema: `undefined` when it fits, else the first problem. */
export type ShapeCheck = (value: unknown) => ShapeProblem | undefined;

let ajv: ReturnType<typeof createAjv> | undefined;
const compiled = new Map<JsonSchema, ShapeCheck>();

/**
 * A compiled check of `schema`, made once per process. A compiled validator costs tens of
 * nanoseconds per sign-in record (against microseconds to parse it), so every record of every
 * source is checked, the sign-in log included.
 */
export function checkOf(schema: JsonSchema): ShapeCheck {
  const known = compiled.get(schema);
  if (known) return known;
  ajv ??= createAjv({ allErrors: false });
  const validate: ValidateFunction = ajv.compile(schema);
  const check: ShapeCheck = (value) => {
    if (validate(value)) return undefined;
    const first = validate.errors?.[0];
    return first ? shapeProblem(first, value) : { pointer: '', message: 'does not match its schema' };
  };
  compiled.set(schema, check);
  return check;
}

/** The check of one record of a source (docs/snapshot-format.md lists the fields). */
export function recordCheck(id: SourceId): ShapeCheck {
  return checkOf(SOURCE_SCHEMAS[id].record);
}

/** The check of one inbox rule, for the rule parsers. */
export function ruleCheck(id: 'graph.messageRules' | 'exo.inboxRule'): ShapeCheck {
  const rule = SOURCE_SCHEMAS[id].rule;
  if (!rule) throw new Error(`${id} has no rule schema`);
  return checkOf(rule);
}

export function manifestCheck(): ShapeCheck {
  return checkOf(MANIFEST_SCHEMA);
}

/** `problem` with its pointer under `prefix`, as one line: `/value/3/accountEnabled: is a string ("true"), expected a boolean`. */
export function problemText(problem: ShapeProblem, prefix = ''): string {
  return `${prefix}${problem.pointer}: ${problem.message}`;
}
