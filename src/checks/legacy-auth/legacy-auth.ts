import type { Finding } from '../../model/finding.js';
import { TENANT_TARGET } from '../../model/finding.js';
import type { Check, CheckInput } from '../check.js';
import { text } from '../exchange-values.js';
import { nothingRead } from '../nothing-read.js';
import { legacySignInsCheck } from '../sign-ins/checks.js';
import { blockGrantProblems } from '../conditional-access/ca-grant.js';
import { tenantCaRequirementFindings, type TenantCaRequirement } from '../conditional-access/tenant-ca-requirement.js';

/**
 * `legacy-auth.blocked`: enabled CA policies block the legacy client-app types (Exchange
 * ActiveSync and Other clients, conditionalAccessConditionSet.clientAppTypes) for All users and All
 * cloud apps, alone or together, or security defaults are on.
 */
const legacyAuthBlocking: TenantCaRequirement = {
  slice: [['clientApp', ['exchangeActiveSync', 'other']]],
  grantProblems: blockGrantProblems,
  isCandidate: (p) => {
    const types = p.conditions.clientAppTypes ?? [];
    return types.includes('exchangeActiveSync') || types.includes('other');
  },
  everyFlow: true,
  doing: 'block legacy authentication (Exchange ActiveSync and other clients) for All users and All cloud apps',
  securityDefaultsMessage: 'Security defaults are on: legacy authentication is blocked.',
};

/**
 * `legacy-auth.smtp-auth`: SMTP AUTH is off org-wide (Get-TransportConfig
 * `SmtpClientAuthenticationDisabled`), and no mailbox turns it back on (Get-CASMailbox
 * `SmtpClientAuthenticationDisabled` = false; `null` follows the org setting).
 */
function smtpAuth({ snapshot }: CheckInput): readonly Finding[] {
  const config = snapshot.data('exo.transportConfig')[0];
  const findings: Finding[] = [];
  const orgValue = config?.SmtpClientAuthenticationDisabled;
  const casMailboxes = snapshot.data('exo.casMailbox');
  const reEnabled = casMailboxes
    .filter((m) => m.SmtpClientAuthenticationDisabled === false)
    .map((m) => text(m.PrimarySmtpAddress) ?? text(m.Name) ?? text(m.Identity) ?? '(unnamed mailbox)');
  if (typeof orgValue !== 'boolean') {
    findings.push({
      target: TENANT_TARGET,
      status: 'error',
      message: 'Get-TransportConfig gave no SmtpClientAuthenticationDisabled value.',
      evidence: { smtpClientAuthenticationDisabled: null, mailboxesReEnabled: reEnabled.length },
    });
  } else if (orgValue && casMailboxes.length === 0) {
    // Off for the organisation, but whether a mailbox turns it back on was read over nothing.
    findings.push(
      nothingRead('Get-CASMailbox returned no mailbox', 'an Exchange Online organisation has mailboxes', {
        smtpClientAuthenticationDisabled: orgValue,
      }),
    );
  } else {
    findings.push({
      target: TENANT_TARGET,
      status: orgValue ? 'pass' : 'fail',
      message: !orgValue
        ? 'SMTP AUTH is enabled for the organisation.'
        : reEnabled.length === 0
          ? `SMTP AUTH is disabled for the organisation, and none of ${casMailboxes.length} mailboxes turns it back on.`
          : // The organisation setting passes; each mailbox that turns it back on fails on its own.
            `SMTP AUTH is disabled for the organisation, but ${reEnabled.length} of ${casMailboxes.length} mailboxes turn it back on.`,
      evidence: {
        smtpClientAuthenticationDisabled: orgValue,
        mailboxesRead: casMailboxes.length,
        mailboxesReEnabled: reEnabled.length,
      },
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
