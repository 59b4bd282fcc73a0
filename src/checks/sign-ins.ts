import type { Check } from './check.js';
import { countriesFold } from './sign-ins/countries.js';
import { impossibleTravelFold } from './sign-ins/impossible-travel.js';
import { mfaFatigueFold } from './sign-ins/mfa-fatigue.js';
import { passwordSprayFold } from './sign-ins/password-spray.js';
import { riskyUsers } from './sign-ins/risky-users.js';

/** Checks of the sign-ins controls, keyed by control ID. */
export const signInsChecks: Readonly<Record<string, Check>> = {
  'sign-ins.risky-users': { kind: 'snapshot', evaluate: riskyUsers },
  'sign-ins.countries': { kind: 'stream', stream: 'graph.signIns', start: countriesFold },
  'sign-ins.impossible-travel': { kind: 'stream', stream: 'graph.signIns', start: impossibleTravelFold },
  'sign-ins.password-spray': { kind: 'stream', stream: 'graph.signIns', start: passwordSprayFold },
  'sign-ins.mfa-fatigue': { kind: 'stream', stream: 'graph.signIns', start: mfaFatigueFold },
};
