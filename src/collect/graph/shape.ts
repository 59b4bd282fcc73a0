import { GraphShapeError } from './graph-api.js';

/**
 * Reads a Graph JSON value into our types, field by field. Every mismatch throws a
 * GraphShapeError naming the endpoint and the JSON path, so a changed or broken response makes
 * its source `failed` with a precise reason. Enum values are read as plain strings: Graph's
 * enums are evolvable, so an unknown member is data, not an error.
 */
export class ShapeReader {
  constructor(readonly endpoint: string) {}

  fail(field: string, problem: string): never {
    throw new GraphShapeError(this.endpoint, field, problem);
  }

  private describe(value: unknown): string {
    if (value === null) return 'null';
    if (Array.isArray(value)) return 'an array';
    return `a ${typeof value}`;
  }

  object(value: unknown, field: string): Readonly<Record<string, unknown>> {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      this.fail(field, `is ${this.describe(value)}, expected an object`);
    return value as Record<string, unknown>;
  }

  /** An object that Graph may send as null (e.g. `grantControls` of a session-only policy). */
  optionalObject(value: unknown, field: string): Readonly<Record<string, unknown>> | null {
    if (value === undefined || value === null) return null;
    return this.object(value, field);
  }

  string(value: unknown, field: string): string {
    if (typeof value !== 'string')
      this.fail(field, `is ${value === undefined ? 'missing' : this.describe(value)}, expected a string`);
    return value;
  }

  optionalString(value: unknown, field: string): string | null {
    if (value === undefined || value === null) return null;
    return this.string(value, field);
  }

  boolean(value: unknown, field: string): boolean {
    if (typeof value !== 'boolean')
      this.fail(field, `is ${value === undefined ? 'missing' : this.describe(value)}, expected a boolean`);
    return value;
  }

  optionalBoolean(value: unknown, field: string): boolean | null {
    if (value === undefined || value === null) return null;
    return this.boolean(value, field);
  }

  /** A string collection. Graph sends `[]` for an empty collection, so `null` is a shape error. */
  strings(value: unknown, field: string): readonly string[] {
    if (!Array.isArray(value))
      this.fail(field, `is ${value === undefined ? 'missing' : this.describe(value)}, expected an array`);
    return value.map((item, i) => this.string(item, `${field}[${i}]`));
  }

  /**
   * A string collection Graph may leave out (older API versions omit empty exclusion lists):
   * absent reads as empty, but `null` is still a shape error.
   */
  stringsOrEmpty(value: unknown, field: string): readonly string[] {
    if (value === undefined) return [];
    return this.strings(value, field);
  }

  /** A string collection that may be absent because it was not selected or is not in this API version. */
  optionalStrings(value: unknown, field: string): readonly string[] | null {
    if (value === undefined) return null;
    return this.strings(value, field);
  }
}
