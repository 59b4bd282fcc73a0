import { describe, expect, it } from 'vitest';
import { allowedApps } from '../../src/checks/mail-access/allowed-apps.js';
import { exchangeAppPointers } from '../../src/checks/mail-access/exchange-service-principals.js';
import {
  accessPolicyApplies,
  FULL_ACCESS_AS_APP_ID,
  isMailScope,
  mailRoleIndex,
} from '../../src/checks/mail-access/mail-permissions.js';
import { isUnresolvedSid, readFullAccessRow, readSendAsRow } from '../../src/checks/mail-access/permission-rows.js';
import { ControlParams } from '../../src/controls/params.js';
import type { Json } from '../../src/model/json.js';
import type { ExchangeObject } from '../../src/snapshot/exchange-types.js';
import type { AppRole } from '../../src/snapshot/graph-types.js';
import { EXO_SP_ID, GRAPH_SP_ID, servicePrincipal } from './mail-access-tenant.js';

/*
 * The readers the mailbox-access checks share, one by one: permission rows, which roles and
 * scopes are mail, allowedApps, and Exchange's service principal pointers.
 */

describe('permission rows', () => {
  const MAILBOX_ONLY_ROW = 'a Get-MailboxPermission row without a mailbox, User or AccessRights';
  const SEND_AS_ROW = 'a Get-RecipientPermission row without Identity, Trustee or AccessRights';

  it.each([
    [
      'an explicit grant, named by the address the sweep used',
      { Identity: 'Adele Vance' },
      { kind: 'grant', grant: { mailbox: 'adele@contoso.example', user: 'lee@contoso.example', right: 'FullAccess' } },
    ],
    [
      'a grant named by Identity only',
      { MailboxUserPrincipalName: undefined },
      { kind: 'grant', grant: { mailbox: 'adele', user: 'lee@contoso.example', right: 'FullAccess' } },
    ],
    ['another right only', { AccessRights: ['ReadPermission', 'ChangeOwner'] }, { kind: 'skip', why: 'other-right' }],
    [
      'FullAccess among others, in any case',
      { AccessRights: 'ReadPermission, fullaccess' },
      { kind: 'grant', grant: { mailbox: 'adele@contoso.example', user: 'lee@contoso.example', right: 'FullAccess' } },
    ],
    ['an inherited grant', { IsInherited: true }, { kind: 'skip', why: 'inherited' }],
    ['a deny', { Deny: true }, { kind: 'skip', why: 'deny' }],
    ['the mailbox itself', { User: 'NT AUTHORITY\\SELF' }, { kind: 'skip', why: 'self' }],
    [
      'no mailbox',
      { MailboxUserPrincipalName: undefined, Identity: undefined },
      { kind: 'unreadable', why: MAILBOX_ONLY_ROW },
    ],
    ['no User', { User: ' ' }, { kind: 'unreadable', why: MAILBOX_ONLY_ROW }],
    ['unreadable AccessRights', { AccessRights: [1] }, { kind: 'unreadable', why: MAILBOX_ONLY_ROW }],
  ])('Get-MailboxPermission: %s', (_name, change, reading) => {
    const row: ExchangeObject = {
      Identity: 'adele',
      MailboxUserPrincipalName: 'adele@contoso.example',
      User: 'lee@contoso.example',
      AccessRights: ['FullAccess'],
      IsInherited: false,
      Deny: false,
      ...(change as ExchangeObject),
    };
    expect(readFullAccessRow(row)).toStrictEqual(reading);
  });

  it.each([
    [
      'an explicit grant',
      {},
      { kind: 'grant', grant: { mailbox: 'Adele Vance', user: 'lee@contoso.example', right: 'SendAs' } },
    ],
    [
      'SendAs among others, in any case',
      { AccessRights: 'ReadPermission, sendas' },
      { kind: 'grant', grant: { mailbox: 'Adele Vance', user: 'lee@contoso.example', right: 'SendAs' } },
    ],
    ['another right only', { AccessRights: ['ReadPermission', 'ChangeOwner'] }, { kind: 'skip', why: 'other-right' }],
    ['an inherited grant', { IsInherited: true }, { kind: 'skip', why: 'inherited' }],
    ['a Deny entry', { AccessControlType: 'deny' }, { kind: 'skip', why: 'deny' }],
    ['a Deny flag', { Deny: true, AccessControlType: undefined }, { kind: 'skip', why: 'deny' }],
    ['the mailbox itself', { Trustee: 'nt authority\\self' }, { kind: 'skip', why: 'self' }],
    ['no Identity', { Identity: undefined }, { kind: 'unreadable', why: SEND_AS_ROW }],
    ['no Trustee', { Trustee: '' }, { kind: 'unreadable', why: SEND_AS_ROW }],
    ['unreadable AccessRights', { AccessRights: { SendAs: true } }, { kind: 'unreadable', why: SEND_AS_ROW }],
  ])('Get-RecipientPermission: %s', (_name, change, reading) => {
    const row: ExchangeObject = {
      Identity: 'Adele Vance',
      Trustee: 'lee@contoso.example',
      AccessControlType: 'Allow',
      AccessRights: ['SendAs'],
      IsInherited: false,
      ...(change as ExchangeObject),
    };
    expect(readSendAsRow(row)).toStrictEqual(reading);
  });

  it.each([
    ['S-1-5-21-3623811015-3361044348-30300820-1013', true],
    [' s-1-5-21-1-2 ', true],
    ['S-1-5-21', false],
    ['S-1-5-32-544', false],
    ['xS-1-5-21-1-2', false],
    ['S-1-5-21-1-2 (deleted)', false],
    ['lee@contoso.example', false],
  ])('%j is an unresolved SID: %s', (user, expected) => {
    expect(isUnresolvedSid(user)).toBe(expected);
  });
});

describe('which application roles and delegated scopes are mail', () => {
  const role = (id: string, value: string | null, types = ['Application']): AppRole =>
    ({ id, value, displayName: value, allowedMemberTypes: types, isEnabled: true }) as AppRole;

  it('indexes Microsoft Graph and Exchange Online only, naming application roles only', () => {
    const graph = servicePrincipal(
      { appId: '00000003-0000-0000-c000-000000000000', id: GRAPH_SP_ID.toUpperCase() },
      'Microsoft Graph',
      {
        appRoles: [
          role('A0000000-0000-4000-8000-000000000001', 'Mail.Read', ['User', 'Application']),
          role('a0000000-0000-4000-8000-000000000002', 'Files.Read.All'),
          role('a0000000-0000-4000-8000-000000000003', 'Mail.Send', ['User']),
          role('a0000000-0000-4000-8000-000000000004', null),
        ],
      },
    );
    const exo = servicePrincipal(
      { appId: '00000002-0000-0FF1-CE00-000000000000', id: EXO_SP_ID },
      'Office 365 Exchange Online',
      {
        appRoles: [
          role('e0000000-0000-4000-8000-000000000003', 'IMAP.AccessAsApp'),
          role('e0000000-0000-4000-8000-000000000009', 'Exchange.ManageAsApp'),
        ],
      },
    );
    const other = servicePrincipal({ appId: '00000003-0000-0ff1-ce00-000000000000', id: 'f1' }, 'SharePoint', {
      appRoles: [role('f0000000-0000-4000-8000-000000000001', 'Mail.Read')],
    });
    const index = mailRoleIndex([graph, exo, other]);
    expect([...index.keys()]).toEqual([GRAPH_SP_ID, EXO_SP_ID]);
    const g = index.get(GRAPH_SP_ID);
    expect(g?.resource).toBe('Microsoft Graph');
    expect(g?.servicePrincipal).toBe(graph);
    expect([...(g?.named ?? [])]).toEqual([
      ['a0000000-0000-4000-8000-000000000001', 'Mail.Read'],
      ['a0000000-0000-4000-8000-000000000002', 'Files.Read.All'],
    ]);
    expect(g?.mail.get('a0000000-0000-4000-8000-000000000001')).toBe('Mail.Read');
    expect(g?.mail.get('810c84a8-4a9e-49e6-bf7d-12d183f40d01')).toBe('Mail.Read');
    expect(g?.mail.size).toBe(8);
    const e = index.get(EXO_SP_ID);
    expect(e?.resource).toBe('Office 365 Exchange Online');
    expect([...(e?.mail ?? [])]).toEqual([
      [FULL_ACCESS_AS_APP_ID, 'full_access_as_app'],
      ['e0000000-0000-4000-8000-000000000003', 'IMAP.AccessAsApp'],
    ]);
    expect([...(e?.named ?? [])]).toEqual([
      ['e0000000-0000-4000-8000-000000000003', 'IMAP.AccessAsApp'],
      ['e0000000-0000-4000-8000-000000000009', 'Exchange.ManageAsApp'],
    ]);
  });

  it('knows full_access_as_app on an Exchange Online resource that lists no app roles', () => {
    const { appRoles: _r, ...bare } = servicePrincipal(
      { appId: '00000002-0000-0ff1-ce00-000000000000', id: EXO_SP_ID },
      'Office 365 Exchange Online',
    );
    const e = mailRoleIndex([bare]).get(EXO_SP_ID);
    expect([...(e?.mail ?? [])]).toEqual([[FULL_ACCESS_AS_APP_ID, 'full_access_as_app']]);
    expect(e?.named.size).toBe(0);
  });

  it.each([
    ['Microsoft Graph', 'Mail.Read', true],
    ['Microsoft Graph', 'MailboxSettings.ReadWrite', true],
    ['Office 365 Exchange Online', 'full_access_as_app', true],
    ['Office 365 Exchange Online', 'Mail.Read', false],
    ['Office 365 Exchange Online', 'IMAP.AccessAsApp', false],
  ] as const)('an application access policy narrows %s %s: %s', (resource, permission, expected) => {
    expect(accessPolicyApplies(resource, permission)).toBe(expected);
  });

  it.each([
    ['Mail.Read', true],
    ['mail.send.shared', true],
    ['MailboxSettings.ReadWrite', true],
    ['EWS.AccessAsUser.All', true],
    ['IMAP.AccessAsUser.All', true],
    ['POP.AccessAsUser.All', true],
    ['SMTP.Send', true],
    ['SMTP.SendAsApp', false],
    ['IMAP.AccessAsUser', false],
    ['User.Read', false],
    ['Calendars.Read.Shared.mailboxsettings.', false],
    ['', false],
  ])('the delegated scope %j is mail: %s', (scope, expected) => {
    expect(isMailScope(scope)).toBe(expected);
  });
});

describe('allowedApps', () => {
  const read = (value: Json) => allowedApps(new ControlParams({ allowedApps: value }));

  it('indexes each entry by its lower-case appId, keeping what an auditor reads', () => {
    const entry = { appId: 'C2000000-AAAA-4000-8000-000000000001', reason: 'archiving', approver: 'CISO' };
    expect([...read([entry])]).toEqual([['c2000000-aaaa-4000-8000-000000000001', entry]]);
  });

  it.each([
    ['a list', { appId: 'x' }, 'parameter allowedApps is not a list'],
    ['objects', ['x'], 'an allowedApps entry is not an object'],
    ['an appId', [{ reason: 'r', approver: 'a' }], 'an allowedApps entry lacks appId, reason or approver'],
    ['a reason', [{ appId: 'x', approver: 'a' }], 'an allowedApps entry lacks appId, reason or approver'],
    ['an approver', [{ appId: 'x', reason: 'r' }], 'an allowedApps entry lacks appId, reason or approver'],
  ])('throws (a bug: the schema checks it) without %s', (_what, value, message) => {
    expect(() => read(value as Json)).toThrow(new Error(message));
  });
});

describe("Exchange's service principal pointers", () => {
  it('answers to every name of a pointer, trimmed and in any case, and skips one without an AppId', () => {
    const pointers = exchangeAppPointers([
      {
        Identity: 'Mailbot',
        Name: 'mailbot-sp',
        DisplayName: 'Mail Bot',
        AppId: 'A7000000-0000-4000-8000-00000000B0B0',
        ObjectId: 'b7000000-0000-4000-8000-00000000b0b0',
        ServiceId: null,
        Guid: '',
      },
      { Identity: 'orphan', Name: 'orphan-sp', AppId: null },
    ]);
    const bot = pointers.byAppId('a7000000-0000-4000-8000-00000000b0b0');
    expect(bot).toEqual({
      appId: 'a7000000-0000-4000-8000-00000000b0b0',
      displayName: 'Mail Bot',
      names: new Set([
        'mailbot',
        'mailbot-sp',
        'mail bot',
        'a7000000-0000-4000-8000-00000000b0b0',
        'b7000000-0000-4000-8000-00000000b0b0',
      ]),
    });
    expect([...(bot?.names ?? [])]).toHaveLength(5);
    expect(pointers.byName('  MAIL BOT ')).toBe(bot);
    expect(pointers.byName('orphan')).toBeUndefined();
    expect(pointers.byName('orphan-sp')).toBeUndefined();
    expect(pointers.byAppId('A7000000-0000-4000-8000-00000000B0B0')).toBe(bot);
  });
});
