import type { Check } from './check.js';
import { dkimChecks } from './dkim.js';
import { dmarcChecks } from './dmarc.js';
import { domainsChecks } from './domains.js';
import { forwardingChecks } from './forwarding.js';
import { legacyAuthChecks } from './legacy-auth.js';
import { mfaChecks } from './mfa.js';
import { signInsChecks } from './sign-ins.js';
import { spfChecks } from './spf.js';

/** Every check, keyed by control ID. A meta-test keeps this and the catalog in step. */
export const CHECKS: Readonly<Record<string, Check>> = {
  ...mfaChecks,
  ...legacyAuthChecks,
  ...signInsChecks,
  ...forwardingChecks,
  ...spfChecks,
  ...dkimChecks,
  ...dmarcChecks,
  ...domainsChecks,
};
