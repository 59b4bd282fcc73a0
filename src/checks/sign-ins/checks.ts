import type { Check } from '../check.js';
import { countriesFold } from './countries.js';
import { impossibleTravelFold } from './impossible-travel.js';
import { legacySignInsFold } from './legacy-sign-ins.js';
import { mfaFatigueFold } from './mfa-fatigue.js';
import { passwordSprayFold } from './password-spray.js';
import { riskyUsers } from './risky-users.js';

/** `legacy-auth.sign-ins`, registered by the legacy-auth family. */
export const legacySignInsCheck: Check = { kind: 'stream', stream: 'graph.signIns', start: legacySignInsFold };

/** The sign-in anomaly checks, registered by the sign-ins family. */
export const signInDetectionChecks: Readonly<Record<string, Check>> = {
  'sign-ins.risky-users': { kind: 'snapshot', evaluate: riskyUsers },
  'sign-ins.countries': { kind: 'stream', stream: 'graph.signIns', start: countriesFold },
  'sign-ins.impossible-travel': { kind: 'stream', stream: 'graph.signIns', start: impossibleTravelFold },
  'sign-ins.password-spray': { kind: 'stream', stream: 'graph.signIns', start: passwordSprayFold },
  'sign-ins.mfa-fatigue': { kind: 'stream', stream: 'graph.signIns', start: mfaFatigueFold },
};
