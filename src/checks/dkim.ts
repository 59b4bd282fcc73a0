import type { Check } from './check.js';

/** Checks of the dkim controls, keyed by control ID. */
export const dkimChecks: Readonly<Record<string, Check>> = {};
