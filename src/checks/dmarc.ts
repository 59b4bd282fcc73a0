import type { Check } from './check.js';

/** Checks of the dmarc controls, keyed by control ID. */
export const dmarcChecks: Readonly<Record<string, Check>> = {};
