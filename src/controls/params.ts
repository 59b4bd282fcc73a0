import type { Json, JsonObject } from '../model/json.js';

/**
 * A control's parameters after policy validation, with defaults filled in. The schema has
 * already checked types, so a mismatch here is a bug, not a user error.
 */
export class ControlParams {
  constructor(private readonly values: JsonObject) {}

  raw(name: string): Json {
    const value = this.values[name];
    if (value === undefined) throw new Error(`parameter ${name} is not defined`);
    return value;
  }

  number(name: string): number {
    const value = this.raw(name);
    if (typeof value !== 'number') throw new Error(`parameter ${name} is not a number`);
    return value;
  }

  string(name: string): string {
    const value = this.raw(name);
    if (typeof value !== 'string') throw new Error(`parameter ${name} is not a string`);
    return value;
  }

  boolean(name: string): boolean {
    const value = this.raw(name);
    if (typeof value !== 'boolean') throw new Error(`parameter ${name} is not a boolean`);
    return value;
  }

  strings(name: string): readonly string[] {
    const value = this.raw(name);
    if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
      throw new Error(`parameter ${name} is not a list of strings`);
    }
    return value;
  }

  toJson(): JsonObject {
    return this.values;
  }
}
