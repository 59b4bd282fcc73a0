import type { Check } from './check.js';

/** Checks of the sign-ins controls, keyed by control ID. */
export const signInsChecks: Readonly<Record<string, Check>> = {};
