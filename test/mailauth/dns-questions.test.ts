import { describe, expect, it } from 'vitest';
import { CONTROLS } from '../../src/controls/catalog.js';
import { controlDomains, microsoftManagement, scopeDomains } from '../../src/mailauth/dns-questions.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import type { GraphDomain } from '../../src/snapshot/graph-types.js';

const NOW = new Date('2026-12-05T00:00:00Z');
const policy = parsePolicy(
  JSON.stringify({
    id: 'scope-test',
    title: 'domain scopes',
    version: '1.0.0',
    description: 'test',
    controls: { 'dmarc.record': { enabled: true } },
    domains: { include: [], exclude: ['excluded.example'], parked: ['parked.example'] },
    exceptions: [],
  }),
  'scope-test.json',
  NOW,
).policy;

const tenantDomains: GraphDomain[] = [
  { id: 'contoso.onmicrosoft.com', isInitial: true, supportedServices: ['Email'] },
  { id: 'contoso.example', isInitial: false, supportedServices: ['Email'] },
  { id: 'excluded.example', isInitial: false, supportedServices: ['Email'] },
  { id: 'web.example', isInitial: false, supportedServices: [] },
];

const audited = [
  'Parked.Example',
  'contoso.example',
  'contoso.onmicrosoft.com',
  'contoso.example',
  'fabrikam.onmicrosoft.com',
  '',
];

describe('domain scopes of the DNS controls', () => {
  it('all: the audited domains, normalised, unique and sorted', () => {
    expect(scopeDomains('all', { audited, policy, tenantDomains })).toEqual([
      'contoso.example',
      'contoso.onmicrosoft.com',
      'fabrikam.onmicrosoft.com',
      'parked.example',
    ]);
  });

  it('parked and not-parked split them by the policy', () => {
    expect(scopeDomains('parked', { audited, policy, tenantDomains })).toEqual(['parked.example']);
    expect(scopeDomains('not-parked', { audited, policy, tenantDomains })).toEqual([
      'contoso.example',
      'contoso.onmicrosoft.com',
      'fabrikam.onmicrosoft.com',
    ]);
  });

  it('own-dns leaves out the domains Microsoft runs', () => {
    expect(microsoftManagement('Contoso.OnMicrosoft.com', tenantDomains)).toBe('initial');
    expect(microsoftManagement('fabrikam.onmicrosoft.com', tenantDomains)).toBe('suffix');
    expect(microsoftManagement('contoso.example', tenantDomains)).toBeUndefined();
    expect(scopeDomains('own-dns', { audited, policy, tenantDomains })).toEqual(['contoso.example', 'parked.example']);
    expect(scopeDomains('own-dns-not-parked', { audited, policy, tenantDomains })).toEqual(['contoso.example']);
  });

  it('exchange-signed: the tenant email domains that are not initial nor excluded', () => {
    expect(scopeDomains('exchange-signed', { audited, policy, tenantDomains })).toEqual(['contoso.example']);
    expect(scopeDomains('exchange-signed', { audited, policy })).toEqual([]);
  });

  it('a control that reads no DNS judges no domain; a DNS control its scope', () => {
    const noDns = CONTROLS.find((c) => c.dns === undefined);
    const dmarc = CONTROLS.find((c) => c.id === 'dmarc.record');
    expect(noDns).toBeDefined();
    expect(dmarc).toBeDefined();
    if (noDns) expect(controlDomains(noDns, { audited, policy, tenantDomains })).toEqual([]);
    if (dmarc) expect(controlDomains(dmarc, { audited, policy, tenantDomains })).toHaveLength(4);
  });
});
