import type { Check } from '../check.js';
import { breakGlassFold } from './detectors/break-glass.js';
import { countriesFold } from './detectors/countries.js';
import { deviceCodeFold } from './detectors/device-code.js';
import { impossibleTravelFold } from './detectors/impossible-travel.js';
import { legacySignInsFold } from './detectors/legacy-sign-ins.js';
import { mfaFatigueFold } from './detectors/mfa-fatigue.js';
import { passwordSprayFold } from './detectors/password-spray.js';
import { riskyUsers } from './detectors/risky-users.js';
import { deviceCodeBlocked } from './device-code-blocked.js';
import { riskPolicies } from './risk-policies.js';

/** `legacy-auth.sign-ins`, registered by the legacy-auth family. */
export const legacySignInsCheck: Check = {
  kind: 'stream',
  stream: 'graph.signIns',
  start: legacySignInsFold,
  carries: 'Every legacy-protocol sign-in of the window, successful or failed.',
};

/** Checks of the sign-ins controls, keyed by control ID. */
export const signInsChecks: Readonly<Record<string, Check>> = {
  'sign-ins.risk-policies': { kind: 'snapshot', evaluate: riskPolicies },
  'sign-ins.device-code-blocked': { kind: 'snapshot', evaluate: deviceCodeBlocked },
  'sign-ins.risky-users': { kind: 'snapshot', evaluate: riskyUsers },
  'sign-ins.countries': {
    kind: 'stream',
    stream: 'graph.signIns',
    start: countriesFold,
    carries: 'Every successful sign-in of the window from a country outside the allowed list.',
  },
  'sign-ins.impossible-travel': {
    kind: 'stream',
    stream: 'graph.signIns',
    start: impossibleTravelFold,
    carries:
      "Each user's last successful sign-in point, and every point from the user's first impossible hop of the window on.",
  },
  'sign-ins.password-spray': {
    kind: 'stream',
    stream: 'graph.signIns',
    start: passwordSprayFold,
    carries:
      "Every counted failure (the newest 4,096 per source), each failing source's named successes, and one success per source and minute within reach of a failure or of the next read.",
  },
  'sign-ins.mfa-fatigue': {
    kind: 'stream',
    stream: 'graph.signIns',
    start: mfaFatigueFold,
    carries:
      'Every counted MFA denial (the newest 1,024 per user), and one success per user and minute within reach of a denial or of the next read.',
  },
  'sign-ins.break-glass': {
    kind: 'stream',
    stream: 'graph.signIns',
    start: breakGlassFold,
    carries: 'Every sign-in of the window, successful or failed, by a listed break-glass account.',
  },
  'sign-ins.device-code': {
    kind: 'stream',
    stream: 'graph.signIns',
    start: deviceCodeFold,
    carries:
      'Every successful device-code sign-in of the window (allowed ones too, for the counts in the evidence), and every successful sign-in whose flow the beta log left empty.',
  },
};
