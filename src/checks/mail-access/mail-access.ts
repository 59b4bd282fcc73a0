import type { Check } from '../check.js';
import { appsMailAccess } from './apps-mail-access.js';
import { delegation } from './delegation.js';
import { userConsent } from './user-consent.js';

/** Checks of the mailbox-access controls, keyed by control ID. */
export const mailAccessChecks: Readonly<Record<string, Check>> = {
  'apps.mail-access': { kind: 'snapshot', evaluate: appsMailAccess },
  'apps.user-consent': { kind: 'snapshot', evaluate: userConsent },
  'mailbox.delegation': { kind: 'snapshot', evaluate: delegation },
};
