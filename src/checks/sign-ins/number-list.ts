import type { ControlParams } from '../../controls/params.js';

/** A list-of-integers parameter (error codes). The schema has checked it; a mismatch is a bug. */
export function integerList(params: ControlParams, name: string): readonly number[] {
  const value = params.raw(name);
  if (!Array.isArray(value) || !value.every((v): v is number => typeof v === 'number' && Number.isInteger(v))) {
    throw new Error(`parameter ${name} is not a list of integers`);
  }
  return value;
}
