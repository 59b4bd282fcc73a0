import { describe, expect, it } from 'vitest';
import { delegation } from '../../src/checks/mail-access/delegation.js';
import type { Finding } from '../../src/model/finding.js';
import type { ExchangeObject } from '../../src/snapshot/exchange-types.js';
import { shardOf } from '../../src/snapshot/shard.js';
import type { SourceStatus } from '../../src/snapshot/source-status.js';
import { type DirectOptions, directInput } from './mail-access-direct.js';
import { DOMAIN, fullAccess, goldenTenant, type MailAccessTenant, mailbox, sendAs } from './mail-access-tenant.js';

/*
 * What an auditor reads in mailbox.delegation: the exact message, evidence and counts of every
 * branch, from the pure check (before evaluation adds the control's severity). The verdicts over
 * the whole pipeline are pinned in delegation-audit.test.ts.
 */

const FORMER = 'S-1-5-21-3623811015-3361044348-30300820-1013';
const BOT = 'a7000000-0000-4000-8000-00000000b0b0';
const POINTER: ExchangeObject = { Identity: 'Mailbot', Name: 'mailbot-sp', DisplayName: 'Mail Bot', AppId: BOT };

function run(
  tenant: Partial<MailAccessTenant>,
  options: Partial<DirectOptions> & { allowedDelegates?: string[] } = {},
): readonly Finding[] {
  const { allowedDelegates = [], ...rest } = options;
  return delegation(directInput(tenant, { params: { allowedDelegates }, ...rest }));
}

const counts = (changed: Record<string, number>) => ({
  userMailboxes: 2,
  fullAccessRows: 4,
  sendAsRows: 2,
  owner: 0,
  self: 5,
  inherited: 0,
  deny: 0,
  allowedDelegates: 0,
  appGrants: 0,
  notUserMailboxes: 1,
  ...changed,
});

describe('mailbox.delegation when nothing is granted', () => {
  it('passes saying how many user mailboxes it examined, counting every row it left aside and why', () => {
    const t = goldenTenant();
    t['exo.mailboxPermission'].push(
      fullAccess('adele', 'Adele Vance'),
      fullAccess('adele', 'lee@contoso.example', { IsInherited: true }),
      fullAccess('adele', 'lee@contoso.example', { Deny: true }),
      fullAccess('adele', 'lee@contoso.example', { AccessRights: ['ReadPermission'] }),
      fullAccess('boardroom', 'lee@contoso.example'),
      fullAccess('megan', 'assistant@contoso.example'),
    );
    t['exo.recipientPermission'].push(
      sendAs('Megan Bowen', 'lee@contoso.example', { AccessControlType: 'Deny' }),
      sendAs('Megan Bowen', 'lee@contoso.example', { IsInherited: true }),
      sendAs('Megan Bowen', 'lee@contoso.example', { Deny: true }),
      sendAs('Megan Bowen', 'lee@contoso.example', { AccessRights: ['ReadPermission'] }),
    );
    expect(run(t, { allowedDelegates: [' Assistant@Contoso.example '] })).toStrictEqual([
      {
        target: 'tenant',
        status: 'pass',
        message: 'No user mailbox of 2 grants FullAccess or SendAs to anyone but its owner and the allowed delegates.',
        evidence: counts({
          fullAccessRows: 10,
          sendAsRows: 6,
          owner: 1,
          inherited: 2,
          deny: 3,
          allowedDelegates: 1,
          notUserMailboxes: 2,
        }),
      },
    ]);
  });

  it('errs when Get-Mailbox listed no user mailbox, counting what it did list', () => {
    const t = goldenTenant();
    t['exo.mailbox'] = t['exo.mailbox'].filter((m) => m.RecipientTypeDetails === 'SharedMailbox');
    const expected = [
      {
        target: 'tenant',
        status: 'error',
        message:
          'Get-Mailbox listed no user mailbox, though the tenant was audited through Exchange: the read is incomplete.',
        evidence: { mailboxes: 1 },
      },
    ];
    expect(run(t)).toStrictEqual(expected);
    // An audit "split" into one shard is the whole tenant.
    expect(run(t, { shard: { index: 1, count: 1 } })).toStrictEqual(expected);
  });

  it('concludes nothing when the FullAccess sweep gave no row at all', () => {
    const t = goldenTenant();
    t['exo.mailboxPermission'] = [];
    expect(run(t)).toStrictEqual([
      {
        target: 'tenant',
        status: 'error',
        message:
          'Get-MailboxPermission gave no row for 3 mailbox(es), but every mailbox lists at least its own NT AUTHORITY\\SELF entry: an empty list here is a collection fault, not a clean tenant, so nothing is concluded.',
        evidence: { mailboxes: 3, empty: true },
      },
    ]);
  });

  it('passes a shard that holds none of the mailboxes, which then has no row to read', () => {
    const t = goldenTenant();
    t['exo.mailbox'] = [mailbox('adele', 'Adele Vance')];
    t['exo.mailboxPermission'] = [];
    t['exo.recipientPermission'] = [];
    const key = t['exo.mailbox'][0]?.ExternalDirectoryObjectId as string;
    const other = shardOf(key, 2) === 1 ? 2 : 1;
    expect(run(t, { shard: { index: other, count: 2 } })).toStrictEqual([
      {
        target: 'tenant',
        status: 'pass',
        message: 'No user mailbox of 0 grants FullAccess or SendAs to anyone but its owner and the allowed delegates.',
        evidence: {
          ...counts({ fullAccessRows: 0, sendAsRows: 0, self: 0, notUserMailboxes: 0 }),
          userMailboxes: 0,
        },
      },
    ]);
  });

  it('places a mailbox in its shard by its Entra user ID, not by its name', () => {
    const aliases = ['adele', 'megan', 'lee', 'nestor', 'pradeep', 'diego', 'grady', 'irvin', 'joni', 'lidia'];
    const split = aliases
      .map((alias) => mailbox(alias, alias))
      .find((m) => shardOf(m.ExternalDirectoryObjectId as string, 2) !== shardOf(m.UserPrincipalName as string, 2));
    expect(split).toBeDefined();
    const m = split as ExchangeObject;
    const t = goldenTenant();
    t['exo.mailbox'] = [m];
    t['exo.mailboxPermission'] = [fullAccess(m.Alias as string, 'outsider@fabrikam.test')];
    t['exo.recipientPermission'] = [];
    const index = shardOf(m.ExternalDirectoryObjectId as string, 2);
    expect(run(t, { shard: { index, count: 2 } }).map((f) => [f.target, f.status])).toEqual([
      [`${m.UserPrincipalName as string}/outsider@fabrikam.test`, 'fail'],
    ]);
    expect(run(t, { shard: { index: 3 - index, count: 2 } }).map((f) => f.evidence.userMailboxes)).toEqual([0]);
  });
});

describe('mailbox.delegation in words', () => {
  it('fails each delegate on each user mailbox, joining its rights and saying what kind of account it is', () => {
    const t = goldenTenant();
    const meganId = t['exo.mailbox'][1]?.ExternalDirectoryObjectId as string;
    // A mailbox without RecipientTypeDetails is judged as a user mailbox.
    const { RecipientTypeDetails: _r, ...untyped } = mailbox('lee', 'Lee Gu');
    t['exo.mailbox'].push(untyped);
    t['exo.mailboxPermission'].push(
      fullAccess('adele', meganId),
      fullAccess('megan', 'lee@fabrikam.test'),
      fullAccess('lee', 'adele@contoso.example'),
      // Named by Identity only (no address added by the collector).
      { Identity: 'lee', User: 'pat@fabrikam.test', AccessRights: ['FullAccess'], IsInherited: false, Deny: false },
    );
    t['exo.recipientPermission'].push(sendAs('Megan Bowen', 'lee@fabrikam.test'), sendAs('Adele Vance', FORMER));
    t['exo.mailboxPermission'].push(fullAccess('megan', FORMER));
    t['exo.recipientPermission'].push(sendAs('Megan Bowen', FORMER));
    expect(run(t)).toStrictEqual([
      {
        target: `adele@${DOMAIN}/${meganId}`,
        status: 'fail',
        message: 'The mailbox grants FullAccess to a delegate the policy does not allow.',
        evidence: {
          mailbox: `adele@${DOMAIN}`,
          user: meganId,
          rights: ['FullAccess'],
          delegateKind: 'mailbox',
          delegateMailbox: `megan@${DOMAIN}`,
        },
      },
      {
        target: `megan@${DOMAIN}/lee@fabrikam.test`,
        status: 'fail',
        message: 'The mailbox grants FullAccess and SendAs to a delegate the policy does not allow.',
        evidence: {
          mailbox: `megan@${DOMAIN}`,
          user: 'lee@fabrikam.test',
          rights: ['FullAccess', 'SendAs'],
          delegateKind: 'other',
        },
      },
      {
        target: `lee@${DOMAIN}/adele@contoso.example`,
        status: 'fail',
        message: 'The mailbox grants FullAccess to a delegate the policy does not allow.',
        evidence: {
          mailbox: `lee@${DOMAIN}`,
          user: 'adele@contoso.example',
          rights: ['FullAccess'],
          delegateKind: 'mailbox',
          delegateMailbox: `adele@${DOMAIN}`,
        },
      },
      {
        target: `lee@${DOMAIN}/pat@fabrikam.test`,
        status: 'fail',
        message: 'The mailbox grants FullAccess to a delegate the policy does not allow.',
        evidence: {
          mailbox: `lee@${DOMAIN}`,
          user: 'pat@fabrikam.test',
          rights: ['FullAccess'],
          delegateKind: 'other',
        },
      },
      {
        target: `megan@${DOMAIN}/${FORMER}`,
        status: 'fail',
        message:
          "The mailbox grants FullAccess and SendAs to an account that no longer resolves (a deleted user's SID).",
        evidence: {
          mailbox: `megan@${DOMAIN}`,
          user: FORMER,
          rights: ['FullAccess', 'SendAs'],
          delegateKind: 'unresolved-sid',
        },
        severity: 'high',
      },
      {
        target: `adele@${DOMAIN}/${FORMER}`,
        status: 'fail',
        message: "The mailbox grants SendAs to an account that no longer resolves (a deleted user's SID).",
        evidence: { mailbox: `adele@${DOMAIN}`, user: FORMER, rights: ['SendAs'], delegateKind: 'unresolved-sid' },
        severity: 'high',
      },
    ]);
  });

  it("reports FullAccess to an app's Exchange service principal once per mailbox, user or shared, with the app", () => {
    const t = goldenTenant();
    t['exo.servicePrincipal'] = [POINTER];
    t['exo.mailbox'].push(mailbox('boardroom', 'Board Room', 'RoomMailbox'));
    t['exo.mailboxPermission'].push(
      fullAccess('adele', 'mailbot-sp'),
      fullAccess('helpdesk', 'Mail Bot'),
      fullAccess('helpdesk', 'mailbot'),
      // Room mailboxes are not swept: not judged.
      fullAccess('boardroom', 'mailbot-sp'),
    );
    // SendAs is no app access: a grant to the same name is an ordinary delegate.
    t['exo.recipientPermission'].push(sendAs('Megan Bowen', 'Mailbot'));
    const app = (mailboxName: string, type: string, user: string): Finding => ({
      target: `${mailboxName}/app/${BOT}`,
      status: 'fail',
      message:
        'The mailbox grants FullAccess to an app (its Exchange service principal): with IMAP.AccessAsApp or POP.AccessAsApp the app reads it.',
      evidence: {
        mailbox: mailboxName,
        recipientTypeDetails: type,
        user,
        rights: ['FullAccess'],
        delegateKind: 'app',
        appId: BOT,
        appDisplayName: 'Mail Bot',
        judgedAlsoBy: 'apps.mail-access (the app’s application permissions)',
      },
    });
    expect(run(t)).toStrictEqual([
      {
        target: `megan@${DOMAIN}/Mailbot`,
        status: 'fail',
        message: 'The mailbox grants SendAs to a delegate the policy does not allow.',
        evidence: { mailbox: `megan@${DOMAIN}`, user: 'Mailbot', rights: ['SendAs'], delegateKind: 'other' },
      },
      app(`adele@${DOMAIN}`, 'UserMailbox', 'mailbot-sp'),
      app(`helpdesk@${DOMAIN}`, 'SharedMailbox', 'mailbot'),
    ]);
    // Allowed by its appId, the app's grants are delegates like any other.
    expect(run(t, { allowedDelegates: [BOT, 'mailbot'] }).map((f) => f.status)).toEqual(['pass']);
  });

  it('keeps apart two mailboxes whose names only upper-casing would join (ß and ss)', () => {
    // Exchange Online accepts internationalised addresses; a mailbox without a UPN is named by it.
    const t = goldenTenant();
    t['exo.servicePrincipal'] = [POINTER];
    for (const local of ['straße', 'strasse']) {
      const { UserPrincipalName: _u, ...m } = mailbox(local, local);
      t['exo.mailbox'].push({ ...m, PrimarySmtpAddress: `${local}@${DOMAIN}` });
      t['exo.mailboxPermission'].push(
        fullAccess(local, 'NT AUTHORITY\\SELF', { MailboxUserPrincipalName: `${local}@${DOMAIN}` }),
        fullAccess(local, 'lee@fabrikam.test', { MailboxUserPrincipalName: `${local}@${DOMAIN}` }),
        fullAccess(local, 'mailbot-sp', { MailboxUserPrincipalName: `${local}@${DOMAIN}` }),
      );
    }
    expect(run(t).map((f) => f.target)).toEqual([
      `straße@${DOMAIN}/lee@fabrikam.test`,
      `strasse@${DOMAIN}/lee@fabrikam.test`,
      `straße@${DOMAIN}/app/${BOT}`,
      `strasse@${DOMAIN}/app/${BOT}`,
    ]);
  });

  it('reads a name two mailboxes share as the first mailbox Get-Mailbox listed', () => {
    // Display names are not unique in Exchange; SendAs rows name the mailbox by one.
    const t = goldenTenant();
    t['exo.mailbox'].push({ ...mailbox('adele-archive', 'Adele Vance', 'SharedMailbox'), Identity: 'Adele Archive' });
    t['exo.recipientPermission'].push(sendAs('Adele Vance', 'lee@fabrikam.test'));
    expect(run(t).map((f) => [f.target, f.status])).toEqual([[`adele@${DOMAIN}/lee@fabrikam.test`, 'fail']]);
  });

  it.each([
    ['not collected', undefined, 'not_evaluable', 'exo.servicePrincipal was not collected in this run'],
    ['failed', { status: 'failed', reason: 'HTTP 500' }, 'error', 'exo.servicePrincipal is failed: HTTP 500'],
    [
      'not_permitted',
      { status: 'not_permitted', permission: 'Exchange.ManageAsApp', reason: 'HTTP 403' },
      'not_evaluable',
      'exo.servicePrincipal is not permitted: HTTP 403',
    ],
  ] as const)(
    'with the Exchange service principals %s, does not pass a shared mailbox grant that may be an app’s',
    (_n, status, verdict, why) => {
      const t: Partial<MailAccessTenant> = goldenTenant();
      if (status === undefined) delete t['exo.servicePrincipal'];
      t['exo.mailboxPermission']?.push(fullAccess('helpdesk', 'mailbot-sp'));
      // SendAs is no app access, and a holder that is a mailbox is a person.
      t['exo.recipientPermission']?.push(sendAs('Helpdesk', 'mailbot-sp'));
      t['exo.mailboxPermission']?.push(fullAccess('helpdesk', 'Megan Bowen'));
      const findings = run(
        t,
        status === undefined ? {} : { statuses: { 'exo.servicePrincipal': status as SourceStatus } },
      );
      expect(findings).toStrictEqual([
        {
          target: 'tenant',
          status: verdict,
          message: `1 FullAccess grant(s) on shared mailboxes name a holder that is no mailbox and may be an app's Exchange service principal, which Get-ServicePrincipal would tell: ${why}.`,
          evidence: {
            grants: [{ mailbox: `helpdesk@${DOMAIN}`, user: 'mailbot-sp' }],
            ...counts({ fullAccessRows: 6, sendAsRows: 3, notUserMailboxes: 3 }),
          },
        },
      ]);
    },
  );

  it('errs on rows it cannot read, naming each kind once, beside the grants it could judge', () => {
    const t = goldenTenant();
    t['exo.servicePrincipal'] = [POINTER];
    t['exo.mailboxPermission'].push(
      fullAccess('adele', 'mailbot-sp'),
      { Identity: 'adele', AccessRights: ['FullAccess'] },
      { MailboxUserPrincipalName: `megan@${DOMAIN}`, User: 'x', AccessRights: 42 },
    );
    t['exo.recipientPermission'].push({ Identity: 'Adele Vance', AccessRights: ['SendAs'] });
    const findings = run(t);
    expect(findings.map((f) => f.target)).toEqual([`adele@${DOMAIN}/app/${BOT}`, 'tenant']);
    expect(findings[1]).toStrictEqual({
      target: 'tenant',
      status: 'error',
      message: '3 permission row(s) could not be read, so the grants they hold are not judged.',
      evidence: {
        unreadable: [
          'a Get-MailboxPermission row without a mailbox, User or AccessRights',
          'a Get-RecipientPermission row without Identity, Trustee or AccessRights',
        ],
        ...counts({ fullAccessRows: 7, sendAsRows: 3, appGrants: 1 }),
      },
    });
  });
});
