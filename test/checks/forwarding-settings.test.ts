import { describe, expect, it } from 'vitest';
import type { ExchangeObject } from '../../src/snapshot/exchange-types.js';
import { evaluateForwarding, forwardingInput } from '../helpers/forwarding-input.js';

/*
 * forwarding.mailbox, forwarding.outbound-policy and forwarding.remote-domains in the words and
 * evidence an auditor reads, for each branch: every verdict, message and evidence row.
 */

const DOMAIN = 'contoso.example';
const DOMAINS = [{ id: DOMAIN, isVerified: true }];

function mailbox(user: string, fields: ExchangeObject = {}): ExchangeObject {
  return {
    Identity: user,
    Name: user,
    UserPrincipalName: `${user}@${DOMAIN}`,
    PrimarySmtpAddress: `${user}@${DOMAIN}`,
    ...fields,
  };
}

const ACCOUNTANT: ExchangeObject = {
  Identity: 'acct-1',
  Name: 'Accountant',
  DisplayName: 'Accountant (books)',
  PrimarySmtpAddress: 'books@accountant.test',
  ExternalEmailAddress: 'SMTP:books@accountant.test',
  RecipientTypeDetails: 'MailContact',
};

function mailboxFindings(mailboxes: ExchangeObject[], recipients: ExchangeObject[] = [ACCOUNTANT], params = {}) {
  const input = forwardingInput(
    { 'graph.domains': DOMAINS, 'exo.mailbox': mailboxes, 'exo.recipient': recipients },
    params,
  );
  return evaluateForwarding('forwarding.mailbox', input);
}

describe('forwarding.mailbox in words', () => {
  it('passes, counting the mailboxes and those that forward inside the tenant or to a partner', () => {
    const findings = mailboxFindings(
      [
        mailbox('adele', { ForwardingSmtpAddress: `smtp:lab@eu.${DOMAIN}`, ForwardingAddress: 'megan' }),
        mailbox('megan', { ForwardingSmtpAddress: 'orders@partner.test' }),
        mailbox('alex', { ForwardingSmtpAddress: '  ', ForwardingAddress: null }),
      ],
      [ACCOUNTANT],
      { partnerDomains: ['partner.test'] },
    );
    expect(findings).toStrictEqual([
      {
        target: 'tenant',
        status: 'pass',
        message: 'No mailbox of 3 forwards outside the tenant.',
        evidence: { mailboxes: 3, mailboxesWithForwarding: 3 },
      },
    ]);
  });

  it('concludes nothing when Get-Mailbox returned no mailbox', () => {
    expect(mailboxFindings([])).toStrictEqual([
      {
        target: 'tenant',
        status: 'error',
        message:
          'Get-Mailbox returned no mailbox, but an Exchange Online organisation has mailboxes: an empty list here is a collection fault, not a clean tenant, so nothing is concluded.',
        evidence: { empty: true },
      },
    ]);
  });

  it('fails an external ForwardingSmtpAddress, saying whether mail is also kept', () => {
    const findings = mailboxFindings([
      mailbox('adele', { ForwardingSmtpAddress: 'SMTP:Thief@Mail.test', DeliverToMailboxAndForward: true }),
      mailbox('megan', { ForwardingSmtpAddress: 'x@mail.test' }),
    ]);
    expect(findings).toStrictEqual([
      {
        target: `adele@${DOMAIN}`,
        status: 'fail',
        message: 'The mailbox forwards all mail to an address outside the tenant (ForwardingSmtpAddress).',
        evidence: {
          mailbox: `adele@${DOMAIN}`,
          deliverToMailboxAndForward: true,
          property: 'ForwardingSmtpAddress',
          forwardingSmtpAddress: 'SMTP:Thief@Mail.test',
          externalAddress: 'Thief@Mail.test',
          domain: 'mail.test',
        },
      },
      {
        target: `megan@${DOMAIN}`,
        status: 'fail',
        message: 'The mailbox forwards all mail to an address outside the tenant (ForwardingSmtpAddress).',
        evidence: {
          mailbox: `megan@${DOMAIN}`,
          deliverToMailboxAndForward: false,
          property: 'ForwardingSmtpAddress',
          forwardingSmtpAddress: 'x@mail.test',
          externalAddress: 'x@mail.test',
          domain: 'mail.test',
        },
      },
    ]);
  });

  it('gives error for a ForwardingSmtpAddress without a readable address', () => {
    expect(mailboxFindings([mailbox('adele', { ForwardingSmtpAddress: 'smtp:nobody' })])).toStrictEqual([
      {
        target: `adele@${DOMAIN}`,
        status: 'error',
        message: 'ForwardingSmtpAddress holds no readable address.',
        evidence: {
          mailbox: `adele@${DOMAIN}`,
          deliverToMailboxAndForward: false,
          forwardingSmtpAddress: 'smtp:nobody',
        },
      },
    ]);
  });

  it('fails a ForwardingAddress naming an external contact, by its display name, else its name', () => {
    const byName = { ...ACCOUNTANT, DisplayName: undefined, Identity: 'acct-2' };
    const findings = mailboxFindings(
      [mailbox('adele', { ForwardingAddress: 'acct-1' }), mailbox('megan', { ForwardingAddress: 'acct-2' })],
      [ACCOUNTANT, byName],
    );
    const evidence = (user: string, target: string, contact: string) => ({
      mailbox: `${user}@${DOMAIN}`,
      deliverToMailboxAndForward: false,
      property: 'ForwardingAddress',
      forwardingAddress: target,
      contact,
      recipientTypeDetails: 'MailContact',
      externalAddress: 'books@accountant.test',
      domain: 'accountant.test',
    });
    expect(findings).toStrictEqual([
      {
        target: `adele@${DOMAIN}`,
        status: 'fail',
        message: 'The mailbox forwards all mail to an external contact (ForwardingAddress).',
        evidence: evidence('adele', 'acct-1', 'Accountant (books)'),
      },
      {
        target: `megan@${DOMAIN}`,
        status: 'fail',
        message: 'The mailbox forwards all mail to an external contact (ForwardingAddress).',
        evidence: evidence('megan', 'acct-2', 'Accountant'),
      },
    ]);
  });

  it('fails a ForwardingAddress that is an outside address itself, naming no contact', () => {
    const findings = mailboxFindings([mailbox('adele', { ForwardingAddress: 'books@accountant.test' })]);
    expect(findings[0]?.evidence).toStrictEqual({
      mailbox: `adele@${DOMAIN}`,
      deliverToMailboxAndForward: false,
      property: 'ForwardingAddress',
      forwardingAddress: 'books@accountant.test',
      contact: 'books@accountant.test',
      recipientTypeDetails: null,
      externalAddress: 'books@accountant.test',
      domain: 'accountant.test',
    });
  });

  it('gives error for a ForwardingAddress it cannot place, saying why', () => {
    const noAddress = { Identity: 'mu-1', Name: 'Mail user', RecipientTypeDetails: 'MailUser' };
    const findings = mailboxFindings(
      [mailbox('adele', { ForwardingAddress: 'mu-1' }), mailbox('megan', { ForwardingAddress: 'Nobody Known' })],
      [noAddress],
    );
    expect(findings).toStrictEqual([
      {
        target: `adele@${DOMAIN}`,
        status: 'error',
        message: 'ForwardingAddress names a mail contact or mail user without a readable external address.',
        evidence: {
          mailbox: `adele@${DOMAIN}`,
          deliverToMailboxAndForward: false,
          property: 'ForwardingAddress',
          forwardingAddress: 'mu-1',
        },
      },
      {
        target: `megan@${DOMAIN}`,
        status: 'error',
        message: 'ForwardingAddress names a recipient that is neither a mailbox nor a mail contact or mail user.',
        evidence: {
          mailbox: `megan@${DOMAIN}`,
          deliverToMailboxAndForward: false,
          property: 'ForwardingAddress',
          forwardingAddress: 'Nobody Known',
        },
      },
    ]);
  });
});

function policyFindings(policies: ExchangeObject[], rules: ExchangeObject[] = [], allowed: string[] = []) {
  const input = forwardingInput(
    { 'exo.hostedOutboundSpamFilterPolicy': policies, 'exo.hostedOutboundSpamFilterRule': rules },
    { allowedForwardingSenders: allowed },
  );
  return evaluateForwarding('forwarding.outbound-policy', input);
}

describe('forwarding.outbound-policy in words', () => {
  it('concludes nothing without a policy', () => {
    expect(policyFindings([])).toStrictEqual([
      {
        target: 'tenant',
        status: 'error',
        message:
          'Get-HostedOutboundSpamFilterPolicy returned no policy, but every tenant has the Default policy: an empty list here is a collection fault, not a clean tenant, so nothing is concluded.',
        evidence: { empty: true },
      },
    ]);
  });

  it('passes Off and Automatic, errs on a missing mode and fails On in the default policy, naming each policy', () => {
    const findings = policyFindings([
      { Name: 'Default', IsDefault: true, AutoForwardingMode: 'Off' },
      { Identity: 'Auto', AutoForwardingMode: 'Automatic' },
      { IsDefault: false },
      { Name: 'Default2', IsDefault: true, AutoForwardingMode: 'On' },
    ]);
    expect(findings).toStrictEqual([
      {
        target: 'outbound-policy/Default',
        status: 'pass',
        message: 'AutoForwardingMode is Off.',
        evidence: { policy: 'Default', isDefault: true, autoForwardingMode: 'Off' },
      },
      {
        target: 'outbound-policy/Auto',
        status: 'pass',
        message: 'AutoForwardingMode is Automatic.',
        evidence: { policy: 'Auto', isDefault: false, autoForwardingMode: 'Automatic' },
      },
      {
        target: 'outbound-policy/(unnamed policy)',
        status: 'error',
        message: 'AutoForwardingMode is missing or has an unknown value.',
        evidence: { policy: '(unnamed policy)', isDefault: false, autoForwardingMode: null },
      },
      {
        target: 'outbound-policy/Default2',
        status: 'fail',
        message: 'The default outbound spam policy allows automatic external forwarding for everyone.',
        evidence: { policy: 'Default2', isDefault: true, autoForwardingMode: 'On' },
      },
    ]);
  });

  it('passes a custom On policy that no enabled rule applies', () => {
    const policy = { Name: 'Custom', Identity: 'custom-id', AutoForwardingMode: 'On' };
    for (const rules of [
      [],
      [{ Name: 'R', HostedOutboundSpamFilterPolicy: 'Custom', State: 'Disabled', From: ['x@contoso.example'] }],
      [{ Name: 'R', HostedOutboundSpamFilterPolicy: 'Custom', Enabled: false, From: ['x@contoso.example'] }],
      [{ Name: 'R', HostedOutboundSpamFilterPolicy: 'Other', From: ['x@contoso.example'] }],
    ]) {
      expect(policyFindings([policy], rules), JSON.stringify(rules)).toStrictEqual([
        {
          target: 'outbound-policy/Custom',
          status: 'pass',
          message: 'AutoForwardingMode is On, but no enabled rule applies this policy.',
          evidence: { policy: 'Custom', isDefault: false, autoForwardingMode: 'On', applied: false },
        },
      ]);
    }
  });

  it('passes a custom On policy without an identity that the only rule does not name', () => {
    const findings = policyFindings(
      [{ Name: 'Custom', AutoForwardingMode: 'On' }],
      [{ Name: 'R', HostedOutboundSpamFilterPolicy: 'Other', From: ['x@contoso.example'] }],
    );
    expect(findings.map((f) => [f.status, f.message])).toEqual([
      ['pass', 'AutoForwardingMode is On, but no enabled rule applies this policy.'],
    ]);
  });

  it('finds the rule by the policy name in any case, or by its identity, past rules naming no policy', () => {
    const policy = { Name: 'Custom', Identity: 'custom-id', AutoForwardingMode: 'On' };
    const allowed = [' Alice@Contoso.example '];
    for (const link of ['CUSTOM', 'Custom-ID']) {
      const rules = [
        { Name: 'unlinked' },
        { Name: 'Scoped', HostedOutboundSpamFilterPolicy: link, From: ' ALICE@contoso.example ' },
      ];
      expect(policyFindings([policy], rules, allowed), link).toStrictEqual([
        {
          target: 'outbound-policy/Custom',
          status: 'pass',
          message: 'AutoForwardingMode is On only for senders the policy allows.',
          evidence: {
            policy: 'Custom',
            isDefault: false,
            autoForwardingMode: 'On',
            applied: true,
            rule: 'Scoped',
            scope: [{ field: 'From', value: ' ALICE@contoso.example ' }],
            notAllowed: [],
          },
        },
      ]);
    }
  });

  it('fails an applied On policy scoped to senders it does not allow, or to none, naming the scopes', () => {
    const policy = { Name: 'Custom', AutoForwardingMode: 'On' };
    const scoped = policyFindings(
      [policy],
      [
        {
          HostedOutboundSpamFilterPolicy: 'Custom',
          From: ['alice@contoso.example', 7],
          FromMemberOf: 'Sales',
          SenderDomainIs: ['contoso.example'],
        },
      ],
      ['alice@contoso.example'],
    );
    expect(scoped).toStrictEqual([
      {
        target: 'outbound-policy/Custom',
        status: 'fail',
        message: 'AutoForwardingMode is On for 2 sender scope(s) the policy does not allow.',
        evidence: {
          policy: 'Custom',
          isDefault: false,
          autoForwardingMode: 'On',
          applied: true,
          rule: null,
          scope: [
            { field: 'From', value: 'alice@contoso.example' },
            { field: 'FromMemberOf', value: 'Sales' },
            { field: 'SenderDomainIs', value: 'contoso.example' },
          ],
          notAllowed: [
            { field: 'FromMemberOf', value: 'Sales' },
            { field: 'SenderDomainIs', value: 'contoso.example' },
          ],
        },
      },
    ]);
    const everyone = policyFindings(
      [policy],
      [{ Name: 'All', HostedOutboundSpamFilterPolicy: 'Custom', State: 'Enabled' }],
    );
    expect(everyone).toStrictEqual([
      {
        target: 'outbound-policy/Custom',
        status: 'fail',
        message: 'AutoForwardingMode is On and the policy is not scoped to named senders.',
        evidence: {
          policy: 'Custom',
          isDefault: false,
          autoForwardingMode: 'On',
          applied: true,
          rule: 'All',
          scope: [],
          notAllowed: [],
        },
      },
    ]);
  });
});

function remoteFindings(remote: ExchangeObject[], partners: string[] = []) {
  return evaluateForwarding(
    'forwarding.remote-domains',
    forwardingInput({ 'exo.remoteDomain': remote }, { partnerDomains: partners }),
  );
}

describe('forwarding.remote-domains in words', () => {
  it('concludes nothing without a remote domain', () => {
    expect(remoteFindings([])).toStrictEqual([
      {
        target: 'tenant',
        status: 'error',
        message:
          'Get-RemoteDomain returned no remote domain, but every tenant has the Default one, `*`: an empty list here is a collection fault, not a clean tenant, so nothing is concluded.',
        evidence: { empty: true },
      },
    ]);
  });

  it('judges each remote domain, with its words and evidence', () => {
    const findings = remoteFindings(
      [
        { Name: 'Default', DomainName: '*', AutoForwardEnabled: false },
        { Name: 'Partner', DomainName: 'Partner.test.', AutoForwardEnabled: true },
        { Name: 'Other', DomainName: 'other.test', AutoForwardEnabled: true },
        { Name: 'Broken', DomainName: 'broken.test', AutoForwardEnabled: 'true' },
        { Identity: 'Nameless', AutoForwardEnabled: false },
        { Name: 'Star', DomainName: '*', AutoForwardEnabled: true },
      ],
      ['partner.test', '*'],
    );
    expect(findings).toStrictEqual([
      {
        target: 'remote-domain/*',
        status: 'pass',
        message: 'Automatic forwarding is off.',
        evidence: { name: 'Default', domainName: '*', autoForwardEnabled: false },
      },
      {
        target: 'remote-domain/Partner.test.',
        status: 'pass',
        message: 'Automatic forwarding is on for an allow-listed partner domain.',
        evidence: { name: 'Partner', domainName: 'Partner.test.', autoForwardEnabled: true, allowListed: true },
      },
      {
        target: 'remote-domain/other.test',
        status: 'fail',
        message: 'Automatic forwarding is on for a domain the policy does not allow.',
        evidence: { name: 'Other', domainName: 'other.test', autoForwardEnabled: true },
      },
      {
        target: 'remote-domain/broken.test',
        status: 'error',
        message: 'AutoForwardEnabled is missing.',
        evidence: { name: 'Broken', domainName: 'broken.test', autoForwardEnabled: null },
      },
      {
        target: 'remote-domain/Nameless',
        status: 'pass',
        message: 'Automatic forwarding is off.',
        evidence: { name: 'Nameless', domainName: '', autoForwardEnabled: false },
      },
      {
        target: 'remote-domain/*',
        status: 'fail',
        message: 'Automatic forwarding is on for every external domain (remote domain *).',
        evidence: { name: 'Star', domainName: '*', autoForwardEnabled: true },
      },
    ]);
  });
});
