import type { Check } from './check.js';

/** Checks of the spf controls, keyed by control ID. */
export const spfChecks: Readonly<Record<string, Check>> = {};
