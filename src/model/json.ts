/** A JSON value, as stored in evidence and snapshots. */
export type Json = string | number | boolean | null | readonly Json[] | JsonObject;

/** A JSON object whose keys are strings. */
export interface JsonObject {
  readonly [key: string]: Json;
}

/** Narrows an unknown value to a plain (non-array) JSON object. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
