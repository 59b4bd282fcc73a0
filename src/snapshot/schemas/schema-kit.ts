import type { JsonSchema } from '../../model/json-schema.js';

/*
 * Small constructors for the source schemas, so each one reads as the list of fields the checks
 * rely on. Every field carries a description: docs/snapshot-format.md is generated from them.
 * Objects allow properties they do not list (Graph and Exchange add fields over time).
 */

const withDescription = (schema: JsonSchema, description: string): JsonSchema => ({ ...schema, description });

export const string = (description: string): JsonSchema => withDescription({ type: 'string' }, description);
export const stringOrNull = (description: string): JsonSchema =>
  withDescription({ type: ['string', 'null'] }, description);
export const boolean = (description: string): JsonSchema => withDescription({ type: 'boolean' }, description);
export const booleanOrNull = (description: string): JsonSchema =>
  withDescription({ type: ['boolean', 'null'] }, description);
export const integer = (description: string): JsonSchema => withDescription({ type: 'integer' }, description);
export const numberOrNull = (description: string): JsonSchema =>
  withDescription({ type: ['number', 'null'] }, description);

/** A string collection: Graph sends `[]` for an empty one, so `null` is a shape error. */
export const strings = (description: string): JsonSchema =>
  withDescription({ type: 'array', items: { type: 'string' } }, description);
/** A string collection that may be `null` (Exchange's multi-valued properties). */
export const stringsOrNull = (description: string): JsonSchema =>
  withDescription({ type: ['array', 'null'], items: { type: 'string' } }, description);
/** Exchange multi-valued properties come as a list, or as one string when they hold one value. */
export const stringOrStrings = (description: string): JsonSchema =>
  withDescription({ type: ['array', 'string', 'null'], items: { type: 'string' } }, description);

export const object = (
  description: string,
  properties: Readonly<Record<string, JsonSchema>>,
  required: readonly string[] = [],
): JsonSchema => ({
  type: 'object',
  description,
  properties,
  ...(required.length > 0 ? { required: [...required] } : {}),
});

export const objectOrNull = (
  description: string,
  properties: Readonly<Record<string, JsonSchema>>,
  required: readonly string[] = [],
): JsonSchema => ({ ...object(description, properties, required), type: ['object', 'null'] });

export const arrayOf = (description: string, items: JsonSchema): JsonSchema => ({ type: 'array', description, items });
export const arrayOrNullOf = (description: string, items: JsonSchema): JsonSchema => ({
  type: ['array', 'null'],
  description,
  items,
});
