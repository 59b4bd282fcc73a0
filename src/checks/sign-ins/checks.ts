import type { Check } from '../check.js';
import { countriesFold } from './detectors/countries.js';
import { impossibleTravelFold } from './detectors/impossible-travel.js';
import { legacySignInsFold } from './detectors/legacy-sign-ins.js';
import { mfaFatigueFold } from './detectors/mfa-fatigue.js';
import { passwordSprayFold } from './detectors/password-spray.js';
import { riskyUsers } from './detectors/risky-users.js';
import { riskPolicies } from './risk-policies.js';

/** `legacy-auth.sign-ins`, registered by the legacy-auth family. */
export const legacySignInsCheck: Check = { kind: 'stream', stream: 'graph.signIns', start: legacySignInsFold };

/** Checks of the sign-ins controls, keyed by control ID. */
export const signInsChecks: Readonly<Record<string, Check>> = {
  'sign-ins.risk-policies': { kind: 'snapshot', evaluate: riskPolicies },
  'sign-ins.risky-users': { kind: 'snapshot', evaluate: riskyUsers },
  'sign-ins.countries': { kind: 'stream', stream: 'graph.signIns', start: countriesFold },
  'sign-ins.impossible-travel': { kind: 'stream', stream: 'graph.signIns', start: impossibleTravelFold },
  'sign-ins.password-spray': { kind: 'stream', stream: 'graph.signIns', start: passwordSprayFold },
  'sign-ins.mfa-fatigue': { kind: 'stream', stream: 'graph.signIns', start: mfaFatigueFold },
};
