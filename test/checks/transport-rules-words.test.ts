import { describe, expect, it } from 'vitest';
import { transportRules } from '../../src/checks/forwarding/transport-rules.js';
import type { ExchangeObject } from '../../src/snapshot/exchange-types.js';
import { forwardingInput } from '../helpers/forwarding-input.js';

/*
 * forwarding.transport-rules in the words and evidence an auditor reads: each recipient placed,
 * each outbound connector judged, and the message for every mix of findings.
 */

const DOMAIN = 'contoso.example';

const MEGAN: ExchangeObject = { Identity: 'Megan', Name: 'Megan', PrimarySmtpAddress: `megan@${DOMAIN}` };
const ACCOUNTANT: ExchangeObject = {
  Identity: 'Accountant',
  Name: 'Accountant',
  ExternalEmailAddress: 'SMTP:books@accountant.test',
  RecipientTypeDetails: 'MailContact',
};

function connector(name: string, fields: ExchangeObject = {}): ExchangeObject {
  return { Identity: name, Name: name, Enabled: true, ConnectorType: 'Partner', UseMXRecord: false, ...fields };
}

function judgeRules(rules: ExchangeObject[], connectors: ExchangeObject[] = [], partners: string[] = []) {
  const input = forwardingInput(
    {
      'graph.domains': [{ id: DOMAIN, isVerified: true }],
      'exo.transportRule': rules,
      'exo.outboundConnector': connectors,
      'exo.mailbox': [MEGAN],
      'exo.recipient': [ACCOUNTANT],
    },
    { partnerDomains: partners },
  );
  return transportRules(input);
}

const placed = (
  action: string,
  recipient: string,
  address: string | null,
  domain: string | null,
  cls: string,
  via: string,
) => ({
  action,
  recipient,
  address,
  domain,
  class: cls,
  via,
});

describe('forwarding.transport-rules in words', () => {
  it('says a tenant without mail-flow rules has none', () => {
    expect(judgeRules([])).toStrictEqual([
      {
        target: 'tenant',
        status: 'pass',
        message: 'The tenant has no mail-flow rules (Get-TransportRule returned none), so none copies mail out.',
        evidence: {
          rules: 0,
          judged: 0,
          disabled: 0,
          auditMode: 0,
          internalCopies: 0,
          partnerCopies: 0,
          connectors: 0,
          managerCopies: [],
        },
      },
    ]);
  });

  it('passes, counting what it judged, the internal and partner copies and the manager copies', () => {
    const findings = judgeRules(
      [
        {
          Name: 'Copies',
          BlindCopyTo: ['Megan', `legal@${DOMAIN}`],
          CopyTo: 'orders@partner.test',
          AddManagerAsRecipientType: 'Bcc',
        },
        { Name: 'Off', State: 'disabled', BlindCopyTo: ['x@mail.test'] },
        { Name: 'Audit', Mode: 'Audit', RedirectMessageTo: ['x@mail.test'] },
        { Name: 'Notify', Mode: 'AuditAndNotify', RedirectMessageTo: ['x@mail.test'] },
        { Name: 'Mx', RouteMessageOutboundConnector: 'Direct' },
      ],
      [connector('Direct', { UseMXRecord: true }), connector('Spare')],
      ['partner.test'],
    );
    expect(findings).toStrictEqual([
      {
        target: 'tenant',
        status: 'pass',
        message: 'No enabled mail-flow rule of 5 copies or redirects mail outside the tenant.',
        evidence: {
          rules: 5,
          judged: 2,
          disabled: 1,
          auditMode: 2,
          internalCopies: 2,
          partnerCopies: 1,
          connectors: 2,
          managerCopies: [{ rule: 'Copies', addManagerAsRecipientType: 'Bcc' }],
        },
      },
    ]);
  });

  it('fails a rule copying mail out, with every recipient placed and the rule described', () => {
    const findings = judgeRules([
      {
        Name: 'Exfil',
        Priority: 3,
        Mode: 'Enforce',
        Description: 'If the message... Blind carbon copy (Bcc) the message to x@mail.test',
        BlindCopyTo: ['  x@mail.test '],
        CopyTo: ['Accountant', 'Megan'],
        AddToRecipients: [`"Lab" [SMTP:lab@eu.${DOMAIN}]`],
        AddManagerAsRecipientType: 'To',
      },
    ]);
    expect(findings).toStrictEqual([
      {
        target: 'transport-rule/Exfil',
        status: 'fail',
        message: 'An enabled mail-flow rule sends mail to 2 recipient(s) outside the tenant.',
        evidence: {
          rule: 'Exfil',
          priority: 3,
          mode: 'Enforce',
          description: 'If the message... Blind carbon copy (Bcc) the message to x@mail.test',
          recipients: [
            placed('BlindCopyTo', 'x@mail.test', 'x@mail.test', 'mail.test', 'external', 'address'),
            placed('CopyTo', 'Accountant', 'books@accountant.test', 'accountant.test', 'external', 'contact'),
            placed('CopyTo', 'Megan', `megan@${DOMAIN}`, DOMAIN, 'internal', 'mailbox'),
            placed(
              'AddToRecipients',
              `"Lab" [SMTP:lab@eu.${DOMAIN}]`,
              `lab@eu.${DOMAIN}`,
              `eu.${DOMAIN}`,
              'internal',
              'address',
            ),
          ],
          addManagerAsRecipientType: 'To',
        },
      },
    ]);
  });

  it('names a rule by its identity, its GUID, or as unnamed, and defaults the mode to Enforce', () => {
    const findings = judgeRules([
      { Identity: 'By identity', RedirectMessageTo: 'x@mail.test' },
      { Guid: '0f0e0d0c-0000-4000-8000-000000000001', RedirectMessageTo: 'x@mail.test' },
      { RedirectMessageTo: 'x@mail.test', Priority: '1' },
    ]);
    expect(
      findings.map((f) => [f.target, f.evidence.rule, f.evidence.mode, f.evidence.priority, f.evidence.description]),
    ).toEqual([
      ['transport-rule/By identity', 'By identity', 'Enforce', null, null],
      [
        'transport-rule/0f0e0d0c-0000-4000-8000-000000000001',
        '0f0e0d0c-0000-4000-8000-000000000001',
        'Enforce',
        null,
        null,
      ],
      ['transport-rule/(unnamed rule)', '(unnamed rule)', 'Enforce', null, null],
    ]);
  });

  it('gives error for a recipient it cannot place, naming how many', () => {
    const findings = judgeRules([{ Name: 'Names', CopyTo: ['Nobody Known', 'Somebody Else', 'Megan'] }]);
    expect(findings).toStrictEqual([
      {
        target: 'transport-rule/Names',
        status: 'error',
        message: 'The rule names 2 recipient(s) that are neither an address nor a mailbox, mail contact or mail user.',
        evidence: {
          rule: 'Names',
          priority: null,
          mode: 'Enforce',
          description: null,
          recipients: [
            placed('CopyTo', 'Nobody Known', null, null, 'unresolved', 'none'),
            placed('CopyTo', 'Somebody Else', null, null, 'unresolved', 'none'),
            placed('CopyTo', 'Megan', `megan@${DOMAIN}`, DOMAIN, 'internal', 'mailbox'),
          ],
        },
      },
    ]);
  });

  it('gives error for recipient lists it cannot read, naming them, and still places the others', () => {
    const findings = judgeRules([{ Name: 'Odd', RedirectMessageTo: [42], CopyTo: { a: 1 }, BlindCopyTo: 'Megan' }]);
    expect(findings).toStrictEqual([
      {
        target: 'transport-rule/Odd',
        status: 'error',
        message: "The rule's RedirectMessageTo, CopyTo cannot be read.",
        evidence: {
          rule: 'Odd',
          priority: null,
          mode: 'Enforce',
          description: null,
          recipients: [placed('BlindCopyTo', 'Megan', `megan@${DOMAIN}`, DOMAIN, 'internal', 'mailbox')],
          unreadableActions: ['RedirectMessageTo', 'CopyTo'],
        },
      },
    ]);
  });

  it('fails on an outside recipient before any unreadable list', () => {
    const findings = judgeRules([{ Name: 'Both', RedirectMessageTo: [42], CopyTo: 'x@mail.test' }]);
    expect(findings.map((f) => [f.status, f.message, f.evidence.unreadableActions])).toEqual([
      ['fail', 'An enabled mail-flow rule sends mail to 1 recipient(s) outside the tenant.', ['RedirectMessageTo']],
    ]);
  });
});

describe('forwarding.transport-rules: routes through an outbound connector', () => {
  const route = (fields: ExchangeObject, rule: ExchangeObject = {}, partners: string[] = []) =>
    judgeRules(
      [{ Name: 'Route', RouteMessageOutboundConnector: 'Relay', ...rule }],
      [connector('Other'), connector('Relay', fields)],
      partners,
    );

  it('fails a connector relaying through smart hosts outside the tenant, alone and with outside recipients', () => {
    const out = route({ SmartHosts: ['relay.archive-vendor.example', `relay.${DOMAIN}`, '203.0.113.0/24'] });
    const connectorEvidence = {
      name: 'Relay',
      class: 'external',
      why: 'it relays through 2 smart host(s) outside the tenant and the partner domains',
      connectorType: 'Partner',
      enabled: true,
      useMxRecord: false,
      smartHosts: ['relay.archive-vendor.example', `relay.${DOMAIN}`, '203.0.113.0/24'],
      smartHostClasses: [
        { host: 'relay.archive-vendor.example', class: 'external' },
        { host: `relay.${DOMAIN}`, class: 'internal' },
        { host: '203.0.113.0/24', class: 'external' },
      ],
    };
    expect(out).toStrictEqual([
      {
        target: 'transport-rule/Route',
        status: 'fail',
        message:
          'An enabled mail-flow rule routes mail through outbound connector "Relay", which it relays through 2 smart host(s) outside the tenant and the partner domains.',
        evidence: {
          rule: 'Route',
          priority: null,
          mode: 'Enforce',
          description: null,
          recipients: [],
          outboundConnector: connectorEvidence,
        },
      },
    ]);
    const both = route({ SmartHosts: ['relay.archive-vendor.example'] }, { BlindCopyTo: 'x@mail.test' });
    expect(both[0]?.message).toBe(
      'An enabled mail-flow rule sends mail to 1 recipient(s) outside the tenant and routes mail through outbound connector "Relay", which it relays through 1 smart host(s) outside the tenant and the partner domains.',
    );
  });

  it('takes an IP address smart host as outside even when a partner domain ends like it', () => {
    const out = route({ SmartHosts: ['203.0.113.7'] }, {}, ['113.7']);
    expect(out[0]?.evidence.outboundConnector).toMatchObject({
      class: 'external',
      smartHostClasses: [{ host: '203.0.113.7', class: 'external' }],
    });
  });

  it('shows where the connector sends mail when the rule fails for its recipients', () => {
    const rule = { BlindCopyTo: 'x@mail.test' };
    const partnerHosts = route({ SmartHosts: ['mx.partner.test', `relay.${DOMAIN}`] }, rule, ['partner.test']);
    expect(partnerHosts[0]?.message).toBe('An enabled mail-flow rule sends mail to 1 recipient(s) outside the tenant.');
    expect(partnerHosts[0]?.evidence.outboundConnector).toStrictEqual({
      name: 'Relay',
      class: 'partner',
      why: 'its smart hosts are within the tenant or the partner domains',
      connectorType: 'Partner',
      enabled: true,
      useMxRecord: false,
      smartHosts: ['mx.partner.test', `relay.${DOMAIN}`],
      smartHostClasses: [
        { host: 'mx.partner.test', class: 'partner' },
        { host: `relay.${DOMAIN}`, class: 'internal' },
      ],
    });
    const internalHosts = route({ SmartHosts: [`relay.${DOMAIN}`] }, rule);
    expect(internalHosts[0]?.evidence.outboundConnector).toMatchObject({
      class: 'internal',
      why: 'its smart hosts are within the tenant or the partner domains',
    });
    const disabled = route({ Enabled: false, SmartHosts: ['x.test'], UseMXRecord: 'yes' }, rule);
    expect(disabled[0]?.evidence.outboundConnector).toStrictEqual({
      name: 'Relay',
      class: 'none',
      why: 'the connector is disabled, so it sends nothing',
      connectorType: 'Partner',
      enabled: false,
      useMxRecord: null,
      smartHosts: ['x.test'],
    });
    const onPremises = route({ ConnectorType: 'OnPremises', Enabled: 'true', SmartHosts: 7 }, rule);
    expect(onPremises[0]?.evidence.outboundConnector).toStrictEqual({
      name: 'Relay',
      class: 'internal',
      why: "it delivers to the organisation's on-premises servers",
      connectorType: 'OnPremises',
      enabled: null,
      useMxRecord: false,
      smartHosts: null,
    });
    const mx = route({ ConnectorType: null, UseMXRecord: true }, rule);
    expect(mx[0]?.evidence.outboundConnector).toStrictEqual({
      name: 'Relay',
      class: 'none',
      why: "it delivers to each recipient's own mail servers (MX)",
      connectorType: null,
      enabled: true,
      useMxRecord: true,
      smartHosts: [],
    });
  });

  it('passes a route whose smart hosts stay inside or with partners, or that goes nowhere', () => {
    for (const fields of [
      { SmartHosts: [`relay.${DOMAIN}`, 'mx.partner.test'] },
      { Enabled: false },
      { UseMXRecord: true },
      { ConnectorType: 'onpremises' },
    ]) {
      expect(
        route(fields, {}, ['partner.test']).map((f) => f.status),
        JSON.stringify(fields),
      ).toEqual(['pass']);
    }
  });

  it('gives error for a route it cannot follow, saying why', () => {
    const missing = judgeRules([{ Name: 'Route', RouteMessageOutboundConnector: 'Gone', CopyTo: 'Nobody Known' }]);
    expect(missing).toStrictEqual([
      {
        target: 'transport-rule/Route',
        status: 'error',
        message: 'The rule routes mail through outbound connector "Gone", but no outbound connector has this name.',
        evidence: {
          rule: 'Route',
          priority: null,
          mode: 'Enforce',
          description: null,
          recipients: [placed('CopyTo', 'Nobody Known', null, null, 'unresolved', 'none')],
          outboundConnector: { name: 'Gone', class: 'unresolved', why: 'no outbound connector has this name' },
        },
      },
    ]);
    for (const SmartHosts of [[], null, 42]) {
      expect(
        route({ SmartHosts }).map((f) => [f.status, f.message]),
        JSON.stringify(SmartHosts),
      ).toEqual([
        ['error', 'The rule routes mail through outbound connector "Relay", but its smart hosts cannot be read.'],
      ]);
    }
  });
});
