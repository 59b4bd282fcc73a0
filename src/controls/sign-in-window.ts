import type { ParameterDefinition } from './control.js';

/**
 * The look-back window shared by the sign-in log controls. The collector reads the widest
 * window any enabled control asks for; each control then judges only its own window, so
 * verdicts do not depend on which other controls are on.
 */
export const SIGN_IN_WINDOW_PARAMETERS: Readonly<Record<string, ParameterDefinition>> = {
  lookbackHours: {
    schema: {
      type: 'integer',
      minimum: 1,
      maximum: 720,
      default: 24,
      description:
        'How many hours of sign-in logs to read, counting back from the run. 24 suits a nightly schedule; Entra keeps sign-in logs for 30 days (720 hours) with P1 or P2.',
    },
  },
  overlapMinutes: {
    schema: {
      type: 'integer',
      minimum: 0,
      maximum: 180,
      default: 60,
      description:
        'Minutes added before the look-back window so that consecutive nightly runs overlap and a late or delayed run loses no events. Events read twice are counted once.',
    },
  },
};
