import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/result.js';
import type { ExchangeObject } from '../../src/snapshot/exchange-types.js';
import { DOMAIN, findings, goldenTenant, judge, mailbox, verdicts } from './mail-access-tenant.js';

/*
 * What an auditor reads in the audit-readiness results: the words of each message and the
 * evidence, for every branch of audit.mailbox-auditing and audit.unified-log. The verdicts alone
 * are pinned in delegation-audit.test.ts.
 */

const only = (results: readonly Result[]): Result => {
  const bad = findings(results);
  expect(bad, JSON.stringify(verdicts(bad))).toHaveLength(1);
  return bad[0] as Result;
};

/** The golden mailbox of `alias` without MailItemsAccessed in the named audit sets. */
function withoutMailItemsAccessed(alias: string, name: string, sets: readonly string[]): ExchangeObject {
  const m = mailbox(alias, name);
  const changed: Record<string, unknown> = {};
  for (const set of sets) changed[set] = (m[set] as string[]).filter((a) => a !== 'MailItemsAccessed');
  return { ...m, ...changed };
}

describe('audit.mailbox-auditing in words', () => {
  it('passes saying what it examined, and counts each user mailbox', async () => {
    const t = goldenTenant();
    t['exo.mailbox'].push(mailbox('lee', 'Lee Gu'));
    const [r] = await judge('audit.mailbox-auditing', t);
    expect(r?.status).toBe('pass');
    expect(r?.message).toBe(
      'Mailbox auditing is on, no account bypasses it, and all 3 user mailboxes record MailItemsAccessed for owner, delegate and admin.',
    );
    expect(r?.evidence).toEqual({ auditDisabled: false, bypassAssociations: 2, bypassed: 0, userMailboxes: 3 });
  });

  it('errs when Get-OrganizationConfig returned nothing', async () => {
    const t = goldenTenant();
    t['exo.organizationConfig'] = [];
    const r = only(await judge('audit.mailbox-auditing', t));
    expect(r).toMatchObject({
      target: 'organization',
      status: 'error',
      message: 'Get-OrganizationConfig returned nothing, though every organisation has one.',
    });
    expect(r.evidence).toEqual({ objects: 0 });
  });

  it('errs when any organisation object lacks AuditDisabled, even beside one that has it', async () => {
    const t = goldenTenant();
    t['exo.organizationConfig'].push({ Identity: 'second' });
    const r = only(await judge('audit.mailbox-auditing', t));
    expect(r).toMatchObject({
      target: 'organization',
      status: 'error',
      message: 'AuditDisabled is missing from Get-OrganizationConfig.',
    });
    expect(r.evidence).toEqual({ objects: 2 });
  });

  it('fails auditing off for the organisation, saying nothing is recorded', async () => {
    const t = goldenTenant();
    t['exo.organizationConfig'] = [{ Identity: 'contoso', AuditDisabled: true }];
    const r = only(await judge('audit.mailbox-auditing', t));
    expect(r.message).toBe(
      'Mailbox auditing is off for the whole organisation (AuditDisabled is true): no mailbox action is recorded.',
    );
    expect(r.evidence).toEqual({ auditDisabled: true });
  });

  it('names a bypassed account by its Name before its Identity, and shows both', async () => {
    const t = goldenTenant();
    t['exo.mailboxAuditBypassAssociation'].push({
      Identity: 'Service eDiscovery',
      Name: 'svc-ediscovery',
      AuditBypassEnabled: true,
    });
    const r = only(await judge('audit.mailbox-auditing', t));
    expect(r).toMatchObject({
      target: 'audit-bypass/svc-ediscovery',
      status: 'fail',
      message: "The account's mailbox actions are never audited (AuditBypassEnabled), wherever it acts.",
    });
    expect(r.evidence).toEqual({ account: 'svc-ediscovery', identity: 'Service eDiscovery', auditBypassEnabled: true });
  });

  it('names a bypassed account without Name by its Identity, and one without either as unnamed', async () => {
    const t = goldenTenant();
    t['exo.mailboxAuditBypassAssociation'].push(
      { Identity: 'Service eDiscovery', AuditBypassEnabled: true },
      { Name: '  ', AuditBypassEnabled: true },
    );
    const rs = findings(await judge('audit.mailbox-auditing', t));
    expect(verdicts(rs)).toEqual([
      ['audit-bypass/(unnamed account)', 'fail'],
      ['audit-bypass/Service eDiscovery', 'fail'],
    ]);
    expect(rs[0]?.evidence).toEqual({ account: '(unnamed account)', identity: null, auditBypassEnabled: true });
  });

  it('errs on a bypass association without AuditBypassEnabled, saying what cannot be told', async () => {
    const t = goldenTenant();
    t['exo.mailboxAuditBypassAssociation'].push({ Identity: 'Service eDiscovery', Name: 'svc' });
    const r = only(await judge('audit.mailbox-auditing', t));
    expect(r).toMatchObject({
      target: 'audit-bypass/svc',
      status: 'error',
      message: 'AuditBypassEnabled is missing, so whether the account is audited cannot be told.',
    });
    expect(r.evidence).toEqual({ account: 'svc', identity: 'Service eDiscovery' });
  });

  it('errs, never passes, when Get-Mailbox listed no user mailbox (shared ones only)', async () => {
    const t = goldenTenant();
    t['exo.mailbox'] = t['exo.mailbox'].filter((m) => m.RecipientTypeDetails === 'SharedMailbox');
    const r = only(await judge('audit.mailbox-auditing', t));
    expect(r).toMatchObject({
      target: 'tenant',
      status: 'error',
      message:
        'Get-Mailbox listed no user mailbox, though the tenant was audited through Exchange: the read is incomplete.',
    });
    expect(r.evidence).toEqual({ mailboxes: 1 });
  });

  it('judges a mailbox whose RecipientTypeDetails is missing as a user mailbox', async () => {
    const t = goldenTenant();
    const { RecipientTypeDetails: _type, ...m } = withoutMailItemsAccessed('lee', 'Lee Gu', ['AuditOwner']);
    t['exo.mailbox'].push(m);
    expect(only(await judge('audit.mailbox-auditing', t))).toMatchObject({ target: `lee@${DOMAIN}`, status: 'fail' });
  });

  it('names each set missing MailItemsAccessed in words, and shows AuditEnabled only when it is a boolean', async () => {
    const t = goldenTenant();
    t['exo.mailbox'].push({
      ...withoutMailItemsAccessed('lee', 'Lee Gu', ['AuditOwner', 'AuditAdmin']),
      AuditEnabled: 'True',
      DefaultAuditSet: 'Delegate',
    });
    const r = only(await judge('audit.mailbox-auditing', t));
    expect(r.message).toBe('The mailbox does not record MailItemsAccessed for owner, admin access.');
    expect(r.evidence).toEqual({
      mailbox: `lee@${DOMAIN}`,
      defaultAuditSet: ['Delegate'],
      auditEnabled: null,
      missingMailItemsAccessed: ['AuditOwner', 'AuditAdmin'],
    });
  });

  it('errs on audit sets that are null or not a list of strings, naming each', async () => {
    const t = goldenTenant();
    t['exo.mailbox'].push({ ...mailbox('lee', 'Lee Gu'), AuditOwner: null, AuditAdmin: 7, DefaultAuditSet: 7 });
    const r = only(await judge('audit.mailbox-auditing', t));
    expect(r).toMatchObject({
      target: `lee@${DOMAIN}`,
      status: 'error',
      message: "The mailbox's AuditOwner, AuditAdmin cannot be read, so what it records cannot be told.",
    });
    expect(r.evidence).toEqual({
      mailbox: `lee@${DOMAIN}`,
      defaultAuditSet: null,
      auditEnabled: true,
      unreadable: ['AuditOwner', 'AuditAdmin'],
    });
  });

  it('errs on one audit set given as null alone', async () => {
    const t = goldenTenant();
    t['exo.mailbox'].push({ ...mailbox('lee', 'Lee Gu'), AuditDelegate: null });
    expect(only(await judge('audit.mailbox-auditing', t)).evidence.unreadable).toEqual(['AuditDelegate']);
  });

  it('errs on one audit set that is not a list of strings alone', async () => {
    const t = goldenTenant();
    t['exo.mailbox'].push({ ...mailbox('lee', 'Lee Gu'), AuditDelegate: ['MailItemsAccessed', 3] });
    expect(only(await judge('audit.mailbox-auditing', t)).evidence.unreadable).toEqual(['AuditDelegate']);
  });
});

describe('audit.unified-log in words', () => {
  it('passes saying the log is ingesting', async () => {
    const [r] = await judge('audit.unified-log', goldenTenant());
    expect(r?.message).toBe('The unified audit log is ingesting.');
    expect(r?.evidence).toEqual({
      objects: 1,
      unifiedAuditLogIngestionEnabled: [true],
      readThrough: 'Exchange Online admin API (Get-AdminAuditLogConfig)',
    });
  });

  it('fails saying audit search finds nothing new', async () => {
    const t = goldenTenant();
    t['exo.adminAuditLogConfig'] = [{ UnifiedAuditLogIngestionEnabled: false }];
    expect(only(await judge('audit.unified-log', t)).message).toBe(
      'The unified audit log is not ingesting (UnifiedAuditLogIngestionEnabled is false): audit search finds nothing new.',
    );
  });

  it('errs, never fails, when one object says false and another lacks the value', async () => {
    const t = goldenTenant();
    t['exo.adminAuditLogConfig'] = [
      { UnifiedAuditLogIngestionEnabled: false },
      { UnifiedAuditLogIngestionEnabled: 'False' },
    ];
    const r = only(await judge('audit.unified-log', t));
    expect(r).toMatchObject({
      status: 'error',
      message: 'UnifiedAuditLogIngestionEnabled is missing from Get-AdminAuditLogConfig.',
    });
    // A value that is not a boolean is shown as unread, not as what it claims.
    expect(r.evidence.unifiedAuditLogIngestionEnabled).toEqual([false, null]);
  });

  it('errs when Get-AdminAuditLogConfig returned nothing', async () => {
    const t = goldenTenant();
    t['exo.adminAuditLogConfig'] = [];
    const r = only(await judge('audit.unified-log', t));
    expect(r).toMatchObject({
      status: 'error',
      message: 'Get-AdminAuditLogConfig returned nothing, though every organisation has one.',
    });
    expect(r.evidence).toMatchObject({ objects: 0, unifiedAuditLogIngestionEnabled: [] });
  });
});
