import type { Check } from './check.js';

/** Checks of the forwarding controls, keyed by control ID. */
export const forwardingChecks: Readonly<Record<string, Check>> = {};
