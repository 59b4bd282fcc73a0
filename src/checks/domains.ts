import type { Check } from './check.js';

/** Checks of the domains controls, keyed by control ID. */
export const domainsChecks: Readonly<Record<string, Check>> = {};
