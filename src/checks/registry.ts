import { auditChecks } from './audit/audit.js';
import type { Check } from './check.js';
import { dkimChecks } from './email-auth/dkim.js';
import { dmarcChecks } from './email-auth/dmarc.js';
import { domainsChecks } from './email-auth/domains.js';
import { forwardingChecks } from './forwarding/forwarding.js';
import { legacyAuthChecks } from './legacy-auth/legacy-auth.js';
import { mailAccessChecks } from './mail-access/mail-access.js';
import { mfaChecks } from './mfa/mfa.js';
import { signInsChecks } from './sign-ins/checks.js';
import { spfChecks } from './email-auth/spf.js';

/** Every check, keyed by control ID. A meta-test keeps this and the catalog in step. */
export const CHECKS: Readonly<Record<string, Check>> = {
  ...mfaChecks,
  ...legacyAuthChecks,
  ...signInsChecks,
  ...forwardingChecks,
  ...mailAccessChecks,
  ...auditChecks,
  ...spfChecks,
  ...dkimChecks,
  ...dmarcChecks,
  ...domainsChecks,
};
