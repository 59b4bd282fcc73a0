import { describe, expect, it } from 'vitest';
import { concealment } from '../../src/checks/forwarding/concealment.js';
import type { InboxRule } from '../../src/checks/forwarding/message-rule.js';
import { placeRecipient, recipientDirectory } from '../../src/checks/forwarding/recipient-directory.js';
import { acceptedDomains, addressOf, isWithin } from '../../src/checks/forwarding/recipient-domain.js';

/*
 * The pieces every forwarding control places recipients and judges rules with: reading an
 * address out of the forms Exchange and Graph hold it in, the tenant's accepted domains, the
 * directory a name is resolved against, and the concealment patterns of a compromised mailbox.
 */

const ACCEPTED = ['contoso.example'];
const PARTNERS = ['partner.test'];

describe('addressOf: the address in each form a rule or mailbox holds it', () => {
  it.each([
    ['a@b.test', 'a@b.test'],
    ['  a@b.test  ', 'a@b.test'],
    ['smtp:a@b.test', 'a@b.test'],
    ['SMTP:a@b.test', 'a@b.test'],
    ['"Name" [SMTP:a@b.test]', 'a@b.test'],
    ['"Name" [smtp:a@b.test]', 'a@b.test'],
    ['"Name" [a@b.test]', 'a@b.test'],
    ['ops-smtp:a@b.test', 'ops-smtp:a@b.test'],
  ])('reads %j as %j', (value, address) => {
    expect(addressOf(value)).toBe(address);
  });

  it.each(['Megan Bowen', 'Megan Bowen@contoso.example', 'a@b.test trailing', 'a@b@c.test', 'a@', '@b.test', ''])(
    'reads no address in %j',
    (value) => {
      expect(addressOf(value)).toBeUndefined();
    },
  );
});

describe('isWithin and acceptedDomains', () => {
  it('never matches an empty base domain, not even an empty domain', () => {
    expect(isWithin('', [''])).toBe(false);
    expect(isWithin('.', ['.'])).toBe(false);
  });

  it('accepts only the verified domains (and those not said to be unverified), normalised', () => {
    expect(
      acceptedDomains([
        { id: 'Contoso.Example.', isVerified: true },
        { id: 'pending.example', isVerified: false },
        { id: 'legacy.example' },
      ]),
    ).toEqual(['contoso.example', 'legacy.example']);
  });
});

describe('recipientDirectory and placeRecipient', () => {
  const megan = {
    Identity: 'Megan',
    Name: 'Megan',
    PrimarySmtpAddress: 'megan@contoso.example',
    UserPrincipalName: 'mb@contoso.onmicrosoft.example',
  };
  const shared = { Identity: 'Shared', Name: 'Shared', PrimarySmtpAddress: 'shared1@contoso.example' };
  const shared2 = { Identity: 'Shared2', Name: 'Shared', PrimarySmtpAddress: 'shared2@contoso.example' };
  const accountant = {
    Identity: 'Accountant',
    Name: 'Accountant',
    ExternalEmailAddress: 'SMTP:books@accountant.test',
    RecipientTypeDetails: 'MailContact',
  };

  it('finds only the mailboxes it was asked about, whatever the case and spaces of the name', () => {
    const directory = recipientDirectory([megan, shared], [], ['  MEGAN ']);
    expect(directory.mailbox('megan')).toBe(megan);
    expect(directory.mailbox('  Megan  ')).toBe(megan);
    expect(directory.mailbox('Shared')).toBeUndefined();
  });

  it('takes the first mailbox a name answers to', () => {
    const directory = recipientDirectory([shared, shared2], [], ['Shared']);
    expect(directory.mailbox('shared')).toBe(shared);
  });

  it('finds a contact by any of its names, whatever the case and spaces', () => {
    const directory = recipientDirectory([], [accountant], []);
    expect(directory.contact(' ACCOUNTANT ')).toBe(accountant);
  });

  it('places an address by its domain, keeping the value trimmed', () => {
    const directory = recipientDirectory([], [], []);
    expect(placeRecipient('  x@orders.partner.test ', directory, ACCEPTED, PARTNERS)).toStrictEqual({
      recipient: 'x@orders.partner.test',
      address: 'x@orders.partner.test',
      domain: 'orders.partner.test',
      class: 'partner',
      via: 'address',
    });
  });

  it('places a mailbox as internal with its primary address, else its sign-in name, else no address', () => {
    const upnOnly = { Identity: 'Upn', UserPrincipalName: 'upn@contoso.example' };
    const bare = { Identity: 'Bare' };
    const directory = recipientDirectory([megan, upnOnly, bare], [], ['Megan', 'Upn', 'Bare']);
    expect(placeRecipient('Megan', directory, ACCEPTED, PARTNERS)).toStrictEqual({
      recipient: 'Megan',
      address: 'megan@contoso.example',
      domain: 'contoso.example',
      class: 'internal',
      via: 'mailbox',
    });
    expect(placeRecipient('Upn', directory, ACCEPTED, PARTNERS)).toMatchObject({
      address: 'upn@contoso.example',
      domain: 'contoso.example',
    });
    expect(placeRecipient('Bare', directory, ACCEPTED, PARTNERS)).toStrictEqual({
      recipient: 'Bare',
      address: null,
      domain: null,
      class: 'internal',
      via: 'mailbox',
    });
  });

  it('places a contact by its external address', () => {
    const directory = recipientDirectory([], [accountant], []);
    expect(placeRecipient('Accountant', directory, ACCEPTED, PARTNERS)).toStrictEqual({
      recipient: 'Accountant',
      address: 'books@accountant.test',
      domain: 'accountant.test',
      class: 'external',
      via: 'contact',
    });
  });

  it('leaves a contact without a readable address unresolved, even when a mailbox has the same name', () => {
    const noAddress = { Identity: 'Megan', Name: 'Megan', RecipientTypeDetails: 'MailUser' };
    const directory = recipientDirectory([megan], [noAddress], ['Megan']);
    expect(placeRecipient('Megan', directory, ACCEPTED, PARTNERS)).toStrictEqual({
      recipient: 'Megan',
      address: null,
      domain: null,
      class: 'unresolved',
      via: 'contact',
    });
  });

  it('leaves a name nothing answers to unresolved', () => {
    const directory = recipientDirectory([megan], [accountant], ['Nobody']);
    expect(placeRecipient('Nobody', directory, ACCEPTED, PARTNERS)).toStrictEqual({
      recipient: 'Nobody',
      address: null,
      domain: null,
      class: 'unresolved',
      via: 'none',
    });
  });
});

function inboxRule(fields: Partial<InboxRule>): InboxRule {
  return {
    mailbox: 'adele@contoso.example',
    ruleId: 'r1',
    name: 'rule r1',
    enabled: true,
    source: 'graph',
    conditions: {},
    actions: {},
    recipients: [],
    deletes: false,
    moveToFolder: null,
    moveToFolderUnread: null,
    markAsRead: false,
    conditionTexts: [],
    ...fields,
  };
}

describe('concealment: how a compromised mailbox hides mail', () => {
  it.each(['RSS Feeds', 'rss  feeds', 'RSS Subscriptions', 'Conversation History', 'conversationhistory'])(
    'takes a move to %j as hiding on its own',
    (folder) => {
      expect(concealment(inboxRule({ moveToFolder: folder }), [], [])).toStrictEqual({
        pattern: 'move-to-hiding-folder',
        signs: [`folder:${folder}`],
      });
    },
  );

  it('takes no rule that neither deletes nor moves to a telling folder, whatever else it does', () => {
    const rule = inboxRule({ markAsRead: true, conditionTexts: [{ field: 'subjectContains', value: 'invoice' }] });
    expect(concealment(rule, ['invoice'], [])).toBeUndefined();
    const projects = inboxRule({ moveToFolder: 'Projects', markAsRead: true });
    expect(concealment(projects, ['invoice'], [])).toBeUndefined();
  });

  it('needs a second sign for Archive, Junk or Deleted Items, and for a delete', () => {
    expect(concealment(inboxRule({ moveToFolder: 'Archive' }), ['invoice'], [])).toBeUndefined();
    expect(concealment(inboxRule({ deletes: true }), ['invoice'], [])).toBeUndefined();
    expect(concealment(inboxRule({ moveToFolder: 'Deleted Items', markAsRead: true }), [], [])).toStrictEqual({
      pattern: 'move-to-folder',
      signs: ['folder:Deleted Items', 'mark-as-read'],
    });
  });

  it('names no folder sign for a delete rule that also moves to an ordinary folder', () => {
    const rule = inboxRule({ deletes: true, moveToFolder: 'Projects', markAsRead: true });
    expect(concealment(rule, [], [])).toStrictEqual({ pattern: 'delete', signs: ['delete', 'mark-as-read'] });
  });

  it('matches trigger words and security-team senders without case, ignoring empty entries', () => {
    const rule = inboxRule({
      deletes: true,
      conditionTexts: [
        { field: 'subjectContains', value: 'Your INVOICE is due' },
        { field: 'fromAddresses', value: 'alerts from Security@Contoso.example' },
        { field: 'senderContains', value: 'soc@contoso.example' },
      ],
    });
    expect(concealment(rule, ['', 'Invoice'], ['', 'security@contoso.example', 'SOC@contoso.example'])).toStrictEqual({
      pattern: 'delete',
      signs: [
        'delete',
        'trigger-word:invoice (subjectContains)',
        'security-team-sender:security@contoso.example (fromAddresses)',
        'security-team-sender:soc@contoso.example (senderContains)',
      ],
    });
  });

  it('finds nothing with only empty words and senders', () => {
    const rule = inboxRule({ deletes: true, conditionTexts: [{ field: 'subjectContains', value: 'anything' }] });
    expect(concealment(rule, [''], [''])).toBeUndefined();
  });
});
