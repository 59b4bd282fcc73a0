import { describe, expect, it } from 'vitest';
import { liveCollector } from '../../src/collect/live/live-collector.js';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { silentLogger } from '../../src/logger.js';
import {
  dkimTargetCloud,
  hasMicrosoftManagedSuffix,
  microsoftSpfInclude,
} from '../../src/mailauth/microsoft-clouds.js';
import type { Cloud } from '../../src/model/cloud.js';
import type { Result } from '../../src/model/result.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import type { GraphDomain } from '../../src/snapshot/graph-types.js';
import { memorySnapshot } from '../../src/snapshot/snapshot.js';
import { runCli } from '../helpers/cli.js';
import { memoryResolver, type MemoryZone } from '../helpers/memory-resolver.js';

/*
 * Microsoft-managed domains and the cloud: the initial domain of every cloud passes the DNS
 * controls the admin cannot act on, without a DNS question; the SPF include follows the cloud
 * unless the policy names one.
 */

const NOW = new Date('2026-11-27T12:00:00Z');
const DNS_CONTROLS = [
  'spf.record',
  'spf.qualifier',
  'spf.authorizes-m365',
  'dkim.keys',
  'dmarc.record',
  'dmarc.policy',
  'dmarc.reporting',
  'mta-sts.policy',
  'tls-rpt.record',
];

function policyText(params: Record<string, Record<string, unknown>> = {}): string {
  return JSON.stringify({
    id: 'managed-test',
    title: 'managed domains',
    version: '1.0.0',
    description: 'every DNS control on',
    controls: Object.fromEntries(DNS_CONTROLS.map((id) => [id, { enabled: true, ...params[id] }])),
    domains: { include: [], exclude: [], parked: [] },
    exceptions: [],
  });
}

async function audit(
  zone: MemoryZone,
  domains: string[],
  options: { cloud?: Cloud; tenantDomains?: GraphDomain[]; params?: Record<string, Record<string, unknown>> } = {},
): Promise<{ results: Result[]; asked: string[] }> {
  const { policy } = parsePolicy(policyText(options.params), 'managed.json', NOW);
  const asked: string[] = [];
  const collector = liveCollector({
    mode: 'dns-only',
    tenantId: null,
    clients: { dns: memoryResolver(zone, asked) },
    extraDomains: domains,
    now: () => NOW,
    ...(options.cloud ? { cloud: options.cloud } : {}),
  });
  const snapshot = await collector.collect({ sources: new Set(['dns']), policy, logger: silentLogger });
  const tenant = options.tenantDomains;
  const replayed = memorySnapshot(
    {
      ...snapshot.manifest,
      sources: {
        ...snapshot.manifest.sources,
        ...(tenant ? { 'graph.domains': { status: 'ok' as const, count: tenant.length } } : {}),
      },
    },
    { dns: JSON.parse(JSON.stringify(snapshot.data('dns'))), ...(tenant ? { 'graph.domains': tenant } : {}) },
  );
  const evaluation = await evaluate(replayed, policy, { now: NOW, domains: snapshot.manifest.domains ?? [] });
  return { results: [...evaluation.results], asked };
}

const managed = (results: readonly Result[], domain: string) =>
  results
    .filter((r) => r.target === domain && r.evidence.managedBy === 'Microsoft')
    .map((r) => `${r.control} ${r.status}`);

describe('Microsoft-managed domains', () => {
  it.each([
    ['contoso.onmicrosoft.com', 'global'],
    ['contoso.mail.onmicrosoft.com', 'global'],
    ['contoso.onmicrosoft.us', 'usgov'],
    ['contoso.onmicrosoft.us', 'dod'],
    ['contoso.partner.onmschina.cn', 'china'],
  ] as const)(
    '%s (%s) passes the controls the admin cannot act on, asking DNS only for DMARC',
    async (domain, cloud) => {
      const { results, asked } = await audit({}, [domain], { cloud });
      expect(managed(results, domain)).toEqual([
        'spf.record pass',
        'spf.qualifier pass',
        'spf.authorizes-m365 pass',
        'dkim.keys pass',
        'mta-sts.policy pass',
        'tls-rpt.record pass',
      ]);
      const spf = results.find((r) => r.control === 'spf.record' && r.target === domain);
      expect(spf?.message).toContain('managed by Microsoft');
      expect(spf?.evidence).toMatchObject({ dnsRead: false, because: expect.stringContaining('suffix') });
      // Only the DMARC look-ups touched the domain (its record, the organisational domain's, the reporting check).
      expect(asked.filter((q) => q.includes(domain)).every((q) => q.includes('_dmarc'))).toBe(true);
      expect(results.find((r) => r.control === 'dmarc.record' && r.target === domain)?.status).toBe('fail');
    },
  );

  it('a look-alike name is not Microsoft-managed', () => {
    expect(hasMicrosoftManagedSuffix('contoso-onmicrosoft.com')).toBe(false);
    expect(hasMicrosoftManagedSuffix('onmicrosoft.com.evil.example')).toBe(false);
    expect(hasMicrosoftManagedSuffix('ONMICROSOFT.US.')).toBe(true);
  });

  it("the tenant's initial domain by Graph's isInitial is managed whatever its name", async () => {
    const tenantDomains: GraphDomain[] = [
      { id: 'contoso.example', isInitial: false, isVerified: true, supportedServices: ['Email'] },
      { id: 'legacy-initial.example', isInitial: true, isVerified: true, supportedServices: ['Email'] },
    ];
    const { results } = await audit({}, ['legacy-initial.example'], { tenantDomains });
    const spf = results.find((r) => r.control === 'spf.record' && r.target === 'legacy-initial.example');
    expect(spf).toMatchObject({
      status: 'pass',
      evidence: { managedBy: 'Microsoft', because: expect.stringContaining('isInitial') },
    });
  });
});

describe('the SPF include follows the cloud', () => {
  it('documents one include per cloud, and a policy value overrides it', () => {
    expect(microsoftSpfInclude('auto', 'global')).toEqual({ domain: 'spf.protection.outlook.com', from: 'cloud' });
    expect(microsoftSpfInclude('AUTO', 'usgov')).toEqual({ domain: 'spf.protection.office365.us', from: 'cloud' });
    expect(microsoftSpfInclude('auto', 'dod')).toEqual({ domain: 'spf.protection.office365.us', from: 'cloud' });
    expect(microsoftSpfInclude('auto', 'china')).toEqual({
      domain: 'spf.protection.partner.outlook.cn',
      from: 'cloud',
    });
    expect(microsoftSpfInclude('Spf.Example.', 'china')).toEqual({ domain: 'spf.example', from: 'policy' });
  });

  it('an explicit microsoftSpfDomain is used and the evidence says so', async () => {
    const zone: MemoryZone = {
      'spf.example': { TXT: [['v=spf1 ip4:198.51.100.0/24 -all']] },
      'mail.example': { TXT: [['v=spf1 include:spf.example -all']] },
    };
    const { results } = await audit(zone, ['mail.example'], {
      cloud: 'usgov',
      params: { 'spf.authorizes-m365': { microsoftSpfDomain: 'spf.example' } },
    });
    expect(results.find((r) => r.control === 'spf.authorizes-m365')).toMatchObject({
      status: 'pass',
      evidence: { microsoftSpfDomain: 'spf.example', microsoftSpfDomainFrom: 'policy', cloud: 'usgov' },
    });
  });

  it('a domain including the worldwide record fails in GCC High, naming the include to add', async () => {
    const zone: MemoryZone = {
      'spf.protection.outlook.com': { TXT: [['v=spf1 ip4:40.92.0.0/15 -all']] },
      'spf.protection.office365.us': { TXT: [['v=spf1 ip4:23.103.191.0/24 -all']] },
      'agency.example': { TXT: [['v=spf1 include:spf.protection.outlook.com -all']] },
    };
    const { results } = await audit(zone, ['agency.example'], { cloud: 'usgov' });
    const r = results.find((x) => x.control === 'spf.authorizes-m365');
    expect(r?.status).toBe('fail');
    expect(r?.message).toContain('include:spf.protection.office365.us');
    expect(r?.evidence).toMatchObject({ testedAddress: '23.103.191.1', fromRange: '23.103.191.0/24' });
  });

  it('says which cloud a DKIM target belongs to, and whether its format is documented', () => {
    expect(dkimTargetCloud('selector1-contoso-com._domainkey.contoso.n-v1.dkim.mail.microsoft')).toEqual({
      cloud: 'global',
      documented: true,
    });
    expect(dkimTargetCloud('selector1-agency-gov._domainkey.agency.onmicrosoft.us')).toEqual({
      cloud: 'usgov',
      documented: false,
    });
    expect(dkimTargetCloud('selector1._domainkey.example.net')).toBeUndefined();
  });
});

describe('--cloud on the command line', () => {
  it('is refused with --snapshot and --demo, and a bad value exits 2 naming the flag', async () => {
    const snapshot = await runCli(['audit', '--snapshot', '/nonexistent', '--cloud', 'usgov']);
    expect(snapshot.code).toBe(2);
    expect(snapshot.stderr).toContain("a snapshot's manifest records its cloud");
    const demo = await runCli(['audit', '--demo', '--cloud', 'china']);
    expect(demo.code).toBe(2);
    const bad = await runCli(['audit', '--domains', 'example.com', '--cloud', 'mars']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--cloud: unknown cloud "mars"');
  });
});
