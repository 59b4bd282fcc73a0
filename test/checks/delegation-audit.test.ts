import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/result.js';
import { DOMAIN, findings, fullAccess, goldenTenant, judge, mailbox, sendAs, verdicts } from './mail-access-tenant.js';

const only = (results: readonly Result[]): Result => {
  const bad = findings(results);
  expect(bad, JSON.stringify(verdicts(bad))).toHaveLength(1);
  return bad[0] as Result;
};

const FORMER = 'S-1-5-21-3623811015-3361044348-30300820-1013';

describe('mailbox.delegation', () => {
  it('passes the golden tenant, counting what it examined', async () => {
    const [r] = await judge('mailbox.delegation', goldenTenant());
    expect(r).toMatchObject({ target: 'tenant', status: 'pass' });
    // Two user mailboxes (the shared one is not judged), SELF entries left aside.
    expect(r?.evidence).toMatchObject({ userMailboxes: 2, self: 5, notUserMailboxes: 1 });
  });

  it('fails a FullAccess grant to a colleague, naming mailbox and delegate', async () => {
    const t = goldenTenant();
    t['exo.mailboxPermission'].push(fullAccess('adele', `megan@${DOMAIN}`));
    const r = only(await judge('mailbox.delegation', t));
    expect(r).toMatchObject({ target: `adele@${DOMAIN}/megan@${DOMAIN}`, status: 'fail', severity: 'medium' });
    expect(r.evidence).toMatchObject({
      rights: ['FullAccess'],
      delegateKind: 'mailbox',
      delegateMailbox: `megan@${DOMAIN}`,
    });
  });

  it("fails a grant to a former employee's unresolved SID, raised to high", async () => {
    const t = goldenTenant();
    t['exo.mailboxPermission'].push(fullAccess('megan', FORMER));
    const r = only(await judge('mailbox.delegation', t));
    expect(r).toMatchObject({ target: `megan@${DOMAIN}/${FORMER}`, status: 'fail', severity: 'high' });
    expect(r.evidence.delegateKind).toBe('unresolved-sid');
  });

  it('fails SendAs (listed tenant-wide, named by the mailbox name) and joins it with FullAccess for one delegate', async () => {
    const t = goldenTenant();
    t['exo.recipientPermission'].push(sendAs('Adele Vance', 'lee@contoso.example'));
    t['exo.mailboxPermission'].push(fullAccess('adele', 'lee@contoso.example'));
    const r = only(await judge('mailbox.delegation', t));
    expect(r).toMatchObject({ target: `adele@${DOMAIN}/lee@contoso.example`, status: 'fail' });
    expect(r.evidence.rights).toEqual(['FullAccess', 'SendAs']);
  });

  it('reads AccessRights given as one comma-separated string', async () => {
    const t = goldenTenant();
    t['exo.mailboxPermission'].push(
      fullAccess('adele', 'lee@contoso.example', { AccessRights: 'ReadPermission, FullAccess' }),
    );
    expect(only(await judge('mailbox.delegation', t)).evidence.rights).toEqual(['FullAccess']);
  });

  it('leaves out the owner, SELF, inherited and Deny entries, other rights and shared mailboxes', async () => {
    const t = goldenTenant();
    t['exo.mailboxPermission'].push(
      fullAccess('adele', 'Adele Vance'),
      fullAccess('adele', 'NT AUTHORITY\\SELF'),
      fullAccess('adele', 'lee@contoso.example', { IsInherited: true }),
      fullAccess('adele', 'lee@contoso.example', { Deny: true }),
      fullAccess('adele', 'lee@contoso.example', { AccessRights: ['ReadPermission'] }),
      fullAccess('helpdesk', 'lee@contoso.example'),
    );
    t['exo.recipientPermission'].push(sendAs('Megan Bowen', 'lee@contoso.example', { AccessControlType: 'Deny' }));
    expect(findings(await judge('mailbox.delegation', t))).toEqual([]);
  });

  it('leaves out allowedDelegates, case-insensitively', async () => {
    const t = goldenTenant();
    t['exo.mailboxPermission'].push(fullAccess('adele', 'Assistant@Contoso.example'));
    expect(
      findings(await judge('mailbox.delegation', t, { params: { allowedDelegates: ['assistant@contoso.example'] } })),
    ).toEqual([]);
    expect(only(await judge('mailbox.delegation', t)).status).toBe('fail');
  });

  it("reports a FullAccess grant to an app's Exchange service principal with the app, on user and shared mailboxes", async () => {
    const t = goldenTenant();
    const appId = 'c2000000-0000-4000-8000-000000000001';
    t['exo.servicePrincipal'] = [{ Identity: 'sp-1', DisplayName: 'IMAP Sync', AppId: appId }];
    t['exo.mailboxPermission'].push(fullAccess('helpdesk', 'sp-1'));
    const r = only(await judge('mailbox.delegation', t));
    expect(r).toMatchObject({ target: `helpdesk@${DOMAIN}/app/${appId}`, status: 'fail' });
    expect(r.evidence).toMatchObject({
      delegateKind: 'app',
      appId,
      appDisplayName: 'IMAP Sync',
      recipientTypeDetails: 'SharedMailbox',
    });
    // Allowed by the app's ID, it passes.
    const [pass] = await judge('mailbox.delegation', t, { params: { allowedDelegates: [appId] } });
    expect(pass).toMatchObject({ status: 'pass', evidence: { allowedDelegates: 1 } });
    // Without the pointers, the grant on a user mailbox is an unknown delegate, and the one on the
    // shared mailbox (to a holder that is no mailbox) is not passed as people sharing it.
    t['exo.mailboxPermission'].push(fullAccess('adele', 'sp-1'));
    const unread = await judge('mailbox.delegation', t, {
      statuses: { 'exo.servicePrincipal': { status: 'failed', reason: 'HTTP 500' } },
    });
    expect(verdicts(unread)).toEqual([
      [`adele@${DOMAIN}/sp-1`, 'fail'],
      ['tenant', 'error'],
    ]);
    expect(unread[1]?.message).toContain('HTTP 500');
    expect(unread[1]?.evidence).toMatchObject({ grants: [{ mailbox: `helpdesk@${DOMAIN}`, user: 'sp-1' }] });
  });

  it("does not pass a shared mailbox grant that may be an app's while Get-ServicePrincipal is unread", async () => {
    const t = goldenTenant();
    t['exo.mailboxPermission'].push(fullAccess('helpdesk', 'sp-1'));
    const refused = await judge('mailbox.delegation', t, {
      statuses: {
        'exo.servicePrincipal': { status: 'not_permitted', permission: 'Exchange.ManageAsApp', reason: 'HTTP 403' },
      },
    });
    expect(verdicts(refused)).toEqual([['tenant', 'not_evaluable']]);
    expect(refused[0]?.message).toContain('Get-ServicePrincipal');
    // A colleague (a mailbox) sharing it is still people sharing it: the golden grant stays a pass.
    expect(
      verdicts(
        await judge('mailbox.delegation', goldenTenant(), {
          statuses: {
            'exo.servicePrincipal': { status: 'not_permitted', permission: 'Exchange.ManageAsApp', reason: 'HTTP 403' },
          },
        }),
      ),
    ).toEqual([['tenant', 'pass']]);
  });

  it('errs when the FullAccess sweep gave no row at all (every mailbox lists its SELF entry)', async () => {
    const t = goldenTenant();
    t['exo.mailboxPermission'] = [];
    const results = await judge('mailbox.delegation', t);
    expect(verdicts(results)).toEqual([['tenant', 'error']]);
    expect(results[0]?.message).toContain('NT AUTHORITY\\SELF');
  });

  it('errs on a permission row it cannot read, and on a tenant with no user mailbox', async () => {
    const t = goldenTenant();
    t['exo.mailboxPermission'].push({ Identity: 'adele', User: 'x', AccessRights: 42 });
    expect(only(await judge('mailbox.delegation', t))).toMatchObject({ target: 'tenant', status: 'error' });
    const empty = goldenTenant();
    empty['exo.mailbox'] = [];
    expect(verdicts(await judge('mailbox.delegation', empty))).toEqual([['tenant', 'error']]);
  });

  it('is not evaluable when Get-MailboxPermission is refused', async () => {
    const results = await judge('mailbox.delegation', goldenTenant(), {
      statuses: {
        'exo.mailboxPermission': { status: 'not_permitted', permission: 'Exchange.ManageAsApp', reason: 'HTTP 403' },
      },
    });
    expect(verdicts(results)).toEqual([['tenant', 'not_evaluable']]);
  });
});

describe('audit.mailbox-auditing', () => {
  it('passes the golden tenant, counting what it examined', async () => {
    const [r] = await judge('audit.mailbox-auditing', goldenTenant());
    expect(r).toMatchObject({ target: 'tenant', status: 'pass' });
    expect(r?.evidence).toMatchObject({ auditDisabled: false, bypassAssociations: 2, bypassed: 0, userMailboxes: 2 });
  });

  it('fails mailbox auditing off for the organisation, raised to high', async () => {
    const t = goldenTenant();
    t['exo.organizationConfig'] = [{ Identity: 'contoso', AuditDisabled: true }];
    expect(only(await judge('audit.mailbox-auditing', t))).toMatchObject({
      target: 'organization',
      status: 'fail',
      severity: 'high',
    });
  });

  it('fails each audit bypass, one result per account', async () => {
    const t = goldenTenant();
    t['exo.mailboxAuditBypassAssociation'].push({
      Identity: 'svc-ediscovery',
      Name: 'svc-ediscovery',
      AuditBypassEnabled: true,
    });
    expect(only(await judge('audit.mailbox-auditing', t))).toMatchObject({
      target: 'audit-bypass/svc-ediscovery',
      status: 'fail',
      severity: 'high',
    });
  });

  it('fails a user mailbox without MailItemsAccessed for owner access, naming the set', async () => {
    const t = goldenTenant();
    const m = mailbox('lee', 'Lee Gu');
    t['exo.mailbox'].push({
      ...m,
      AuditOwner: (m.AuditOwner as string[]).filter((a) => a !== 'MailItemsAccessed'),
      DefaultAuditSet: ['Admin', 'Delegate'],
      AuditEnabled: false,
    });
    const r = only(await judge('audit.mailbox-auditing', t));
    expect(r).toMatchObject({ target: `lee@${DOMAIN}`, status: 'fail', severity: 'medium' });
    expect(r.evidence).toMatchObject({
      missingMailItemsAccessed: ['AuditOwner'],
      defaultAuditSet: ['Admin', 'Delegate'],
      auditEnabled: false,
    });
  });

  it('does not fail a mailbox only for AuditEnabled false (auditing on by default ignores it), nor judge shared ones', async () => {
    const t = goldenTenant();
    t['exo.mailbox'].push({ ...mailbox('lee', 'Lee Gu'), AuditEnabled: false });
    t['exo.mailbox'].push({ ...mailbox('desk', 'Desk', 'SharedMailbox'), AuditOwner: [] });
    expect(findings(await judge('audit.mailbox-auditing', t))).toEqual([]);
  });

  it('errs, never passes, when AuditDisabled, AuditBypassEnabled or an audit set is missing', async () => {
    const noOrg = goldenTenant();
    noOrg['exo.organizationConfig'] = [{ Identity: 'contoso' }];
    expect(only(await judge('audit.mailbox-auditing', noOrg))).toMatchObject({
      target: 'organization',
      status: 'error',
    });
    const noFlag = goldenTenant();
    noFlag['exo.mailboxAuditBypassAssociation'].push({ Identity: 'x', Name: 'x' });
    expect(only(await judge('audit.mailbox-auditing', noFlag))).toMatchObject({
      target: 'audit-bypass/x',
      status: 'error',
    });
    const noSet = goldenTenant();
    const { AuditAdmin: _dropped, ...m } = mailbox('lee', 'Lee Gu');
    noSet['exo.mailbox'].push(m);
    expect(only(await judge('audit.mailbox-auditing', noSet))).toMatchObject({
      target: `lee@${DOMAIN}`,
      status: 'error',
    });
  });

  it('reads an audit set given as one string', async () => {
    const t = goldenTenant();
    t['exo.mailbox'].push({ ...mailbox('lee', 'Lee Gu'), AuditOwner: 'MailItemsAccessed' });
    expect(findings(await judge('audit.mailbox-auditing', t))).toEqual([]);
  });

  it("is not evaluable when Get-MailboxAuditBypassAssociation is not in the app's Exchange roles", async () => {
    const results = await judge('audit.mailbox-auditing', goldenTenant(), {
      statuses: {
        'exo.mailboxAuditBypassAssociation': {
          status: 'not_permitted',
          permission: 'an Exchange role that includes Get-MailboxAuditBypassAssociation',
          reason: 'not available',
        },
      },
    });
    expect(verdicts(results)).toEqual([['tenant', 'not_evaluable']]);
  });
});

describe('audit.unified-log', () => {
  it('passes when ingesting, naming the endpoint read', async () => {
    const [r] = await judge('audit.unified-log', goldenTenant());
    expect(r).toMatchObject({ status: 'pass', evidence: { unifiedAuditLogIngestionEnabled: [true] } });
    expect(String(r?.evidence.readThrough)).toContain('Exchange Online');
  });

  it('fails when ingestion is off', async () => {
    const t = goldenTenant();
    t['exo.adminAuditLogConfig'] = [{ Identity: 'Admin Audit Log Settings', UnifiedAuditLogIngestionEnabled: false }];
    expect(only(await judge('audit.unified-log', t))).toMatchObject({
      target: 'tenant',
      status: 'fail',
      severity: 'high',
    });
  });

  it('errs when the value or the object is missing', async () => {
    for (const value of [
      [],
      [{ Identity: 'Admin Audit Log Settings' }],
      [{ UnifiedAuditLogIngestionEnabled: 'True' }],
    ]) {
      const t = goldenTenant();
      t['exo.adminAuditLogConfig'] = value;
      expect(only(await judge('audit.unified-log', t)).status, JSON.stringify(value)).toBe('error');
    }
  });
});
