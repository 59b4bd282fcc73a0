import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/result.js';
import { DOMAIN, findings, goldenTenant, judge } from './forwarding-tenant.js';

/* legacy-auth.smtp-auth in the words and evidence an auditor reads, for each branch. */

const only = (results: readonly Result[]): Result => {
  const bad = findings(results);
  expect(bad, JSON.stringify(bad.map((r) => [r.target, r.status]))).toHaveLength(1);
  return bad[0] as Result;
};

describe('legacy-auth.smtp-auth in words', () => {
  it('passes naming how many mailboxes were read', async () => {
    const [r] = await judge('legacy-auth.smtp-auth', goldenTenant());
    expect(r).toMatchObject({
      status: 'pass',
      message: 'SMTP AUTH is disabled for the organisation, and none of 2 mailboxes turns it back on.',
    });
    expect(r?.evidence).toEqual({ smtpClientAuthenticationDisabled: true, mailboxesRead: 2, mailboxesReEnabled: 0 });
  });

  it('fails SMTP AUTH on for the organisation, saying so', async () => {
    const t = goldenTenant();
    t.transportConfig = [{ SmtpClientAuthenticationDisabled: false }];
    const r = only(await judge('legacy-auth.smtp-auth', t));
    expect(r.message).toBe('SMTP AUTH is enabled for the organisation.');
    expect(r.evidence).toEqual({ smtpClientAuthenticationDisabled: false, mailboxesRead: 2, mailboxesReEnabled: 0 });
  });

  it('errs when Get-TransportConfig returned nothing, counting the mailboxes that turn it on', async () => {
    const t = goldenTenant();
    t.transportConfig = [];
    t.casMailbox.push({ PrimarySmtpAddress: `lee@${DOMAIN}`, SmtpClientAuthenticationDisabled: false });
    const rs = findings(await judge('legacy-auth.smtp-auth', t));
    const r = rs.find((x) => x.target === 'tenant');
    expect(r).toMatchObject({
      status: 'error',
      message: 'Get-TransportConfig gave no SmtpClientAuthenticationDisabled value.',
    });
    expect(r?.evidence).toEqual({ smtpClientAuthenticationDisabled: null, mailboxesReEnabled: 1 });
  });

  it('errs, never passes, when off for the organisation but no CAS mailbox was read', async () => {
    const t = goldenTenant();
    t.casMailbox = [];
    const r = only(await judge('legacy-auth.smtp-auth', t));
    expect(r.status).toBe('error');
    expect(r.message).toMatch(
      /^Get-CASMailbox returned no mailbox, but an Exchange Online organisation has mailboxes:/,
    );
    expect(r.evidence).toEqual({ smtpClientAuthenticationDisabled: true, empty: true });
  });

  it('fails each mailbox that turns it back on, named by address, else name, else identity, else unnamed', async () => {
    const t = goldenTenant();
    t.casMailbox.push(
      { PrimarySmtpAddress: ' ', Name: 'lee', Identity: 'Lee Gu', SmtpClientAuthenticationDisabled: false },
      { Identity: 'Printer', SmtpClientAuthenticationDisabled: false },
      { SmtpClientAuthenticationDisabled: false },
    );
    const rs = findings(await judge('legacy-auth.smtp-auth', t));
    expect(rs.map((r) => [r.target, r.status]).sort()).toEqual([
      ['(unnamed mailbox)', 'fail'],
      ['Printer', 'fail'],
      ['lee', 'fail'],
    ]);
    const lee = rs.find((r) => r.target === 'lee');
    expect(lee?.message).toBe(
      'This mailbox turns SMTP AUTH back on (Set-CASMailbox -SmtpClientAuthenticationDisabled $false).',
    );
    expect(lee?.evidence).toEqual({ mailbox: 'lee', smtpClientAuthenticationDisabled: false });
  });

  it('does not say that no mailbox turns it back on when some do', async () => {
    const t = goldenTenant();
    t.casMailbox.push({ PrimarySmtpAddress: `lee@${DOMAIN}`, SmtpClientAuthenticationDisabled: false });
    const org = (await judge('legacy-auth.smtp-auth', t)).find((r) => r.target === 'tenant');
    expect(org).toMatchObject({
      status: 'pass',
      message: 'SMTP AUTH is disabled for the organisation, but 1 of 3 mailboxes turn it back on.',
    });
    expect(org?.evidence).toEqual({ smtpClientAuthenticationDisabled: true, mailboxesRead: 3, mailboxesReEnabled: 1 });
  });
});
