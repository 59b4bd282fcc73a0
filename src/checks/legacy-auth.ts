import type { Check } from './check.js';

/** Checks of the legacy-auth controls, keyed by control ID. */
export const legacyAuthChecks: Readonly<Record<string, Check>> = {};
