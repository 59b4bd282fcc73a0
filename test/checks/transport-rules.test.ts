import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/result.js';
import { DOMAIN, findings, goldenTenant, judge, transportRule, verdicts } from './mail-access-tenant.js';

const only = (results: readonly Result[]): Result => {
  const bad = findings(results);
  expect(bad, JSON.stringify(verdicts(bad))).toHaveLength(1);
  return bad[0] as Result;
};

function withRule(fields: Record<string, unknown>, name = 'Rule X') {
  const t = goldenTenant();
  t['exo.transportRule'].push(transportRule(name, fields));
  return t;
}

const CONTROL = 'forwarding.transport-rules';

describe('forwarding.transport-rules', () => {
  it('passes the golden tenant (an internal blind copy, a copy to a mailbox by name), counting what it examined', async () => {
    const [r] = await judge(CONTROL, goldenTenant());
    expect(r).toMatchObject({ target: 'tenant', status: 'pass' });
    expect(r?.evidence).toMatchObject({ rules: 3, judged: 3, internalCopies: 2, partnerCopies: 0 });
  });

  it.each(['BlindCopyTo', 'CopyTo', 'AddToRecipients', 'RedirectMessageTo'])(
    'fails %s to an outside address, per rule',
    async (action) => {
      const r = only(await judge(CONTROL, withRule({ [action]: ['thief@gmail.example'] })));
      expect(r).toMatchObject({ target: 'transport-rule/Rule X', status: 'fail' });
      expect(r.evidence.recipients).toEqual([
        {
          action,
          recipient: 'thief@gmail.example',
          address: 'thief@gmail.example',
          domain: 'gmail.example',
          class: 'external',
          via: 'address',
        },
      ]);
    },
  );

  it('reads a recipient list given as one string and in the "Name" [SMTP:addr] form', async () => {
    const r = only(await judge(CONTROL, withRule({ BlindCopyTo: '"Thief" [SMTP:thief@gmail.example]' })));
    expect(r.evidence.recipients).toMatchObject([{ address: 'thief@gmail.example', class: 'external' }]);
  });

  it('passes a redirect to a partner domain only when partnerDomains lists it (false friend)', async () => {
    const t = withRule({ RedirectMessageTo: ['orders@eu.partner-lab.example'] });
    const results = await judge(CONTROL, t, { params: { partnerDomains: ['partner-lab.example'] } });
    expect(findings(results)).toEqual([]);
    expect(results[0]?.evidence).toMatchObject({ partnerCopies: 1 });
    expect(only(await judge(CONTROL, t)).status).toBe('fail');
  });

  it('counts a subdomain of an accepted domain as internal, and a look-alike as external', async () => {
    expect(findings(await judge(CONTROL, withRule({ CopyTo: [`lab@eu.${DOMAIN}`] })))).toEqual([]);
    expect(only(await judge(CONTROL, withRule({ CopyTo: [`a@${DOMAIN}.evil.test`] }))).status).toBe('fail');
  });

  it('resolves a name to a mail contact outside (fail) and errs on a name nothing answers to', async () => {
    const contact = only(await judge(CONTROL, withRule({ BlindCopyTo: ['Accountant'] })));
    expect(contact).toMatchObject({ status: 'fail' });
    expect(contact.evidence.recipients).toMatchObject([{ via: 'contact', address: 'books@accountant.test' }]);
    expect(only(await judge(CONTROL, withRule({ BlindCopyTo: ['Nobody Known'] }))).status).toBe('error');
  });

  it('does not judge a disabled rule or one in Audit mode, and counts them', async () => {
    const t = goldenTenant();
    t['exo.transportRule'].push(
      transportRule('Off', { State: 'Disabled', BlindCopyTo: ['x@gmail.example'] }),
      transportRule('Test', { Mode: 'AuditAndNotify', RedirectMessageTo: ['x@gmail.example'] }),
    );
    const [r] = await judge(CONTROL, t);
    expect(r).toMatchObject({ status: 'pass', evidence: { disabled: 1, auditMode: 1 } });
  });

  it('judges a rule without State or Mode (fail closed)', async () => {
    const t = goldenTenant();
    t['exo.transportRule'].push({ Name: 'Bare', BlindCopyTo: ['x@gmail.example'] });
    expect(only(await judge(CONTROL, t))).toMatchObject({ target: 'transport-rule/Bare', status: 'fail' });
  });

  it('lists copies to the sender manager in the pass evidence', async () => {
    const [r] = await judge(CONTROL, withRule({ AddManagerAsRecipientType: 'Bcc' }));
    expect(r).toMatchObject({ status: 'pass' });
    expect(r?.evidence.managerCopies).toEqual([{ rule: 'Rule X', addManagerAsRecipientType: 'Bcc' }]);
  });

  it('fails a route through a partner connector relaying outside, and passes on-premises and MX delivery', async () => {
    const connector = (name: string, fields: Record<string, unknown>) => ({
      Identity: name,
      Name: name,
      Enabled: true,
      ConnectorType: 'Partner',
      UseMXRecord: false,
      ...fields,
    });
    const route = (fields: Record<string, unknown>) => {
      const t = withRule({ RouteMessageOutboundConnector: 'Relay' });
      t['exo.outboundConnector'] = [connector('Relay', fields)];
      return t;
    };
    const out = only(await judge(CONTROL, route({ SmartHosts: ['relay.archive-vendor.example'] })));
    expect(out).toMatchObject({ status: 'fail' });
    expect(out.evidence.outboundConnector).toMatchObject({
      name: 'Relay',
      class: 'external',
      connectorType: 'Partner',
    });
    expect(only(await judge(CONTROL, route({ SmartHosts: ['203.0.113.7'] }))).status).toBe('fail');
    expect(
      findings(await judge(CONTROL, route({ ConnectorType: 'OnPremises', SmartHosts: ['mail.onprem.test'] }))),
    ).toEqual([]);
    expect(findings(await judge(CONTROL, route({ UseMXRecord: true })))).toEqual([]);
    expect(findings(await judge(CONTROL, route({ SmartHosts: [`relay.${DOMAIN}`] })))).toEqual([]);
    expect(findings(await judge(CONTROL, route({ Enabled: false, SmartHosts: ['x.test'] })))).toEqual([]);
    expect(only(await judge(CONTROL, route({ SmartHosts: [] }))).status).toBe('error');
  });

  it('errs on a route to a connector that does not exist', async () => {
    const r = only(await judge(CONTROL, withRule({ RouteMessageOutboundConnector: 'Gone' })));
    expect(r).toMatchObject({ status: 'error' });
  });

  it('errs on a recipient list it cannot read', async () => {
    expect(only(await judge(CONTROL, withRule({ CopyTo: [42] }))).status).toBe('error');
  });

  it('is not evaluable when Get-TransportRule is refused', async () => {
    const results = await judge(CONTROL, goldenTenant(), {
      statuses: {
        'exo.transportRule': { status: 'not_permitted', permission: 'Exchange.ManageAsApp', reason: 'HTTP 403' },
      },
    });
    expect(verdicts(results)).toEqual([['tenant', 'not_evaluable']]);
  });

  it('passes a tenant without mail-flow rules and says so', async () => {
    const t = goldenTenant();
    t['exo.transportRule'] = [];
    const [r] = await judge(CONTROL, t);
    expect(r).toMatchObject({ status: 'pass', evidence: { rules: 0 } });
  });
});
