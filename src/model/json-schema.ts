import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import * as addFormatsModule from 'ajv-formats';
import type { JsonObject } from './json.js';

/** A JSON Schema (draft 2020-12) document or sub-schema. */
export type JsonSchema = JsonObject;

type AddFormats = (ajv: Ajv2020) => Ajv2020;
/** ajv-formats is CommonJS; depending on the loader its function is the default export or nested under it. */
function addFormats(ajv: Ajv2020): void {
  const module = addFormatsModule as unknown as { default: AddFormats | { default: AddFormats } };
  const fn = typeof module.default === 'function' ? module.default : module.default.default;
  fn(ajv);
}

/** A format the standard formats lack, checked by code (`cidr`, `country`). */
export type FormatCheck = (value: string) => boolean;

/**
 * The one Ajv set-up: draft 2020-12, strict (a typo in a schema is an error, not a silent
 * no-op), union types for Graph's nullable fields, no type coercion (`"false"` stays a
 * string and fails `boolean`), and the standard formats plus `extra`.
 */
export function createAjv(options: { allErrors: boolean; formats?: Readonly<Record<string, FormatCheck>> }): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: options.allErrors, strict: true, allowUnionTypes: true, coerceTypes: false });
  addFormats(ajv);
  for (const [name, check] of Object.entries(options.formats ?? {}))
    ajv.addFormat(name, { type: 'string', validate: check });
  return ajv;
}

export type { ErrorObject, ValidateFunction };
