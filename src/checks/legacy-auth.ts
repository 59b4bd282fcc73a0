import type { Check } from './check.js';
import { legacySignInsFold } from './sign-ins/legacy-sign-ins.js';

/** Checks of the legacy-auth controls, keyed by control ID. */
export const legacyAuthChecks: Readonly<Record<string, Check>> = {
  'legacy-auth.sign-ins': { kind: 'stream', stream: 'graph.signIns', start: legacySignInsFold },
};
