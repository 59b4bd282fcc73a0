import type { Finding } from '../../model/finding.js';
import { TENANT_TARGET } from '../../model/finding.js';
import type { ConditionalAccessPolicy } from '../../snapshot/graph-types.js';
import type { Check, CheckInput } from '../check.js';
import { legacySignInsCheck } from '../sign-ins/checks.js';
import {
  allAppsProblems,
  allUsersProblems,
  blockGrantProblems,
  narrowingProblems,
  stateProblems,
} from '../conditional-access/conditional-access.js';
import { tenantCaRequirementFindings, type TenantCaRequirement } from '../conditional-access/tenant-ca-requirement.js';

/** The legacy client-app types (conditionalAccessConditionSet.clientAppTypes); `all` covers them too. */
const LEGACY_CLIENTS = ['exchangeActiveSync', 'other'] as const;

function legacyClientProblems(policy: ConditionalAccessPolicy): string[] {
  const types = policy.conditions.clientAppTypes ?? [];
  if (types.includes('all')) return [];
  const missing = LEGACY_CLIENTS.filter((t) => !types.includes(t));
  return missing.length === 0 ? [] : [`does not cover client app types ${missing.join(', ')}`];
}

/**
 * `legacy-auth.blocked`: an enforced CA policy blocks EAS and Other clients for all users, or security
 * defaults are on.
 */
const legacyAuthBlocking: TenantCaRequirement = {
  problems: (p, allowed) => [
    ...stateProblems(p),
    ...allUsersProblems(p, allowed),
    ...allAppsProblems(p),
    ...narrowingProblems(p, { allClientApps: false }),
    ...legacyClientProblems(p),
    ...blockGrantProblems(p),
  ],
  isCandidate: (p) => {
    const types = p.conditions.clientAppTypes ?? [];
    return types.includes('exchangeActiveSync') || types.includes('other');
  },
  securityDefaultsMessage: 'Security defaults are on: legacy authentication is blocked.',
  satisfiedMessage: (name) => `Conditional Access policy "${name}" blocks legacy authentication for All users.`,
  failureMessage: (reasons) =>
    `No enforced Conditional Access policy blocks legacy authentication for All users and All cloud apps, and security defaults are off: ${reasons}.`,
};

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * `legacy-auth.smtp-auth`: SMTP AUTH is off org-wide (Get-TransportConfig
 * `SmtpClientAuthenticationDisabled`), and no mailbox turns it back on (Get-CASMailbox
 * `SmtpClientAuthenticationDisabled` = false; `null` follows the org setting).
 */
function smtpAuth({ snapshot }: CheckInput): readonly Finding[] {
  const config = snapshot.data('exo.transportConfig')[0];
  const findings: Finding[] = [];
  const orgValue = config?.SmtpClientAuthenticationDisabled;
  const reEnabled = snapshot
    .data('exo.casMailbox')
    .filter((m) => m.SmtpClientAuthenticationDisabled === false)
    .map((m) => text(m.PrimarySmtpAddress) ?? text(m.Name) ?? text(m.Identity) ?? '(unnamed mailbox)');
  if (typeof orgValue !== 'boolean') {
    findings.push({
      target: TENANT_TARGET,
      status: 'error',
      message: 'Get-TransportConfig gave no SmtpClientAuthenticationDisabled value.',
      evidence: { smtpClientAuthenticationDisabled: null, mailboxesReEnabled: reEnabled.length },
    });
  } else {
    findings.push({
      target: TENANT_TARGET,
      status: orgValue ? 'pass' : 'fail',
      message: orgValue ? 'SMTP AUTH is disabled for the organisation.' : 'SMTP AUTH is enabled for the organisation.',
      evidence: { smtpClientAuthenticationDisabled: orgValue, mailboxesReEnabled: reEnabled.length },
    });
  }
  for (const mailbox of reEnabled) {
    findings.push({
      target: mailbox,
      status: 'fail',
      message: 'This mailbox turns SMTP AUTH back on (Set-CASMailbox -SmtpClientAuthenticationDisabled $false).',
      evidence: { mailbox, smtpClientAuthenticationDisabled: false },
    });
  }
  return findings;
}

/** Checks of the legacy-auth controls, keyed by control ID. */
export const legacyAuthChecks: Readonly<Record<string, Check>> = {
  'legacy-auth.blocked': {
    kind: 'snapshot',
    evaluate: (input) => tenantCaRequirementFindings(input, legacyAuthBlocking),
  },
  'legacy-auth.smtp-auth': { kind: 'snapshot', evaluate: smtpAuth },
  'legacy-auth.sign-ins': legacySignInsCheck,
};
