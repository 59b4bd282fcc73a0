import type { Finding } from '../model/finding.js';
import { TENANT_TARGET } from '../model/finding.js';
import type { Check, CheckInput } from './check.js';

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
  'legacy-auth.smtp-auth': { kind: 'snapshot', evaluate: smtpAuth },
};
