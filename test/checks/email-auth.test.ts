import { describe, expect, it } from 'vitest';
import { liveCollector } from '../../src/collect/live/live-collector.js';
import type { DnsResolver } from '../../src/snapshot/dns-resolver.js';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { silentLogger } from '../../src/logger.js';
import type { Result } from '../../src/model/result.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import type { HttpsFetch } from '../../src/snapshot/dns-types.js';
import { memorySnapshot } from '../../src/snapshot/snapshot.js';
import { memoryResolver, type MemoryZone } from '../helpers/memory-resolver.js';

const NOW = new Date('2026-11-27T00:00:00Z');
const KEY2048 =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEApkvfR6fqlOXfWUrOg+bZ/msvb7ccoh45qhhasTZTYRSsYjBFAHXHWbpRzhuZjsvq7ivlzuPKPyuUVSz3PNtUxQ0DUkS8tLVve6mbGFW3e1wYNychKlVxG1C1WkyV8JbhnhrN4IRRP8oDLmLQC9Linlye7/SoL/wa1bwB23AerW8eRkmkuq6UVjG8xYIRfmO4Ji67yesbEAOcLe13eZKB96f7dxCdEIV55FBRGfFM3njjhXI9oudsKSVe+UNdccbNKmxMfX8c5s6Me3P97kviFYdUg+UYcGTuRfizDitHGVTV7XF3VBFpEE5Ivk5x5hG/PEIlZyRxdXMdzrMCt0MWDwIDAQAB';

/** A compliant domain ("good.example"); each test mutates one thing. */
function goldenZone(): MemoryZone {
  return {
    'spf.protection.outlook.com': { TXT: [['v=spf1 ip4:40.92.0.0/15 ip4:40.107.0.0/16 -all']] },
    'good.example': {
      TXT: [['v=spf1 include:spf.protection.outlook.com -all']],
      MX: [{ preference: 0, exchange: 'good-example.mail.protection.outlook.com' }],
    },
    '_dmarc.good.example': { TXT: [['v=DMARC1; p=reject; rua=mailto:dmarc@good.example']] },
    'selector1._domainkey.good.example': { CNAME: ['selector1-good-example._domainkey.contoso.onmicrosoft.com'] },
    'selector1-good-example._domainkey.contoso.onmicrosoft.com': { TXT: [[`v=DKIM1; k=rsa; p=${KEY2048}`]] },
    'selector2._domainkey.good.example': { TXT: [[`v=DKIM1; k=rsa; p=${KEY2048}`]] },
    '_mta-sts.good.example': { TXT: [['v=STSv1; id=20261127']] },
    '_smtp._tls.good.example': { TXT: [['v=TLSRPTv1; rua=mailto:tls@good.example']] },
    'parked.example': { TXT: [['v=spf1 -all']], MX: [{ preference: 0, exchange: '.' }] },
    '_dmarc.parked.example': { TXT: [['v=DMARC1; p=reject; rua=mailto:dmarc@parked.example']] },
  };
}

const GOOD_POLICY = 'version: STSv1\nmode: enforce\nmx: good-example.mail.protection.outlook.com\nmax_age: 604800\n';

function policyText(parked: string[] = ['parked.example']): string {
  const on = (extra: Record<string, unknown> = {}) => ({
    enabled: true,
    description: 'enabled for this test of the email-auth checks',
    ...extra,
  });
  return JSON.stringify({
    id: 'test',
    title: 'test',
    version: '1.0.0',
    description: 'every DNS control on',
    controls: {
      'spf.record': on(),
      'spf.qualifier': on(),
      'spf.authorizes-m365': on(),
      'dkim.keys': on(),
      'dmarc.record': on(),
      'dmarc.policy': on(),
      'dmarc.reporting': on(),
      'domains.parked': on(),
      'mta-sts.policy': on(),
      'tls-rpt.record': on(),
    },
    domains: { include: [], exclude: [], parked },
    exceptions: [],
  });
}

async function audit(
  zone: MemoryZone,
  domains: string[],
  options: { resolver?: DnsResolver; https?: Record<string, HttpsFetch>; parked?: string[] } = {},
): Promise<Result[]> {
  const { policy } = parsePolicy(policyText(options.parked), 'test.json', NOW);
  const https = options.https ?? {
    'https://mta-sts.good.example/.well-known/mta-sts.txt': {
      status: 200,
      contentType: 'text/plain',
      body: GOOD_POLICY,
    },
  };
  const collector = liveCollector({
    mode: 'dns-only',
    tenantId: null,
    clients: {
      dns: options.resolver ?? memoryResolver(zone),
      https: (url) => Promise.resolve(https[url] ?? { status: 0, error: 'connection refused' }),
    },
    extraDomains: domains,
    now: () => NOW,
  });
  const snapshot = await collector.collect({ sources: new Set(['dns']), policy, logger: silentLogger });
  // Replay: a fresh snapshot from the JSON of the recorded data, as a saved folder would give.
  const replayed = memorySnapshot(snapshot.manifest, { dns: JSON.parse(JSON.stringify(snapshot.data('dns'))) });
  const evaluation = await evaluate(replayed, policy, { now: NOW, domains: snapshot.manifest.domains ?? [] });
  return [...evaluation.results];
}

function status(results: Result[], control: string, target: string): string | undefined {
  return results.find((r) => r.control === control && r.target === target)?.status;
}

describe('email-authentication checks over recorded then replayed DNS', () => {
  it('a compliant domain and a compliant parked domain pass every control', async () => {
    const results = await audit(goldenZone(), ['good.example']);
    const bad = results.filter((r) => r.status !== 'pass');
    expect(bad.map((r) => `${r.control} ${r.target} ${r.status} ${r.message}`)).toEqual([]);
    expect(status(results, 'domains.parked', 'parked.example')).toBe('pass');
    expect(status(results, 'spf.authorizes-m365', 'parked.example')).toBeUndefined();
    const spf = results.find((r) => r.control === 'spf.record' && r.target === 'good.example');
    expect(spf?.evidence).toMatchObject({
      lookups: 1,
      tree: { domain: 'good.example', children: [{ domain: 'spf.protection.outlook.com', via: 'include' }] },
    });
  });

  it.each([
    ['spf.qualifier', 'good.example', { TXT: [['v=spf1 include:spf.protection.outlook.com ?all']] }],
    ['spf.authorizes-m365', 'good.example', { TXT: [['v=spf1 ip4:192.0.2.0/24 -all']] }],
    ['spf.record', 'good.example', { TXT: [['v=spf1 -all'], ['v=spf1 ~all']] }],
  ] as const)('%s fails when the apex TXT changes', async (control, domain, apex) => {
    const zone = goldenZone();
    zone[domain] = { ...zone[domain], ...apex };
    expect(status(await audit(zone, [domain]), control, domain)).toBe('fail');
  });

  it('spf.record fails past the 10-lookup limit and shows the include tree', async () => {
    const zone = goldenZone();
    const chain = Array.from({ length: 11 }, (_, i) => `i${i}.example`);
    zone['good.example'] = {
      TXT: [[`v=spf1 include:spf.protection.outlook.com ${chain.map((c) => `include:${c}`).join(' ')} -all`]],
    };
    for (const c of chain) zone[c] = { TXT: [['v=spf1 ip4:198.51.100.1 ?all']] };
    const results = await audit(zone, ['good.example']);
    const spf = results.find((r) => r.control === 'spf.record');
    expect(spf?.status).toBe('fail');
    expect(spf?.evidence.result).toBe('permerror');
  });

  it('dmarc.policy fails on a weak sp, pct and t=y; dmarc.reporting on an unauthorised destination', async () => {
    const zone = goldenZone();
    zone['_dmarc.good.example'] = { TXT: [['v=DMARC1; p=reject; sp=none; pct=50; t=y; rua=mailto:d@reports.example']] };
    const results = await audit(zone, ['good.example']);
    const policy = results.find((r) => r.control === 'dmarc.policy');
    expect(policy?.status).toBe('fail');
    expect(policy?.evidence.problems).toEqual([
      'sp=none',
      'np=none (inherited from sp)',
      'pct=50',
      't=y (testing mode)',
    ]);
    expect(status(results, 'dmarc.reporting', 'good.example')).toBe('fail');
    zone['good.example._report._dmarc.reports.example'] = { TXT: [['v=DMARC1']] };
    zone['_dmarc.good.example'] = { TXT: [['v=DMARC1; p=quarantine; rua=mailto:d@reports.example']] };
    const fixed = await audit(zone, ['good.example']);
    expect(status(fixed, 'dmarc.reporting', 'good.example')).toBe('pass');
    expect(status(fixed, 'dmarc.policy', 'good.example')).toBe('pass');
  });

  it('a subdomain inherits DMARC from its parent by the tree walk', async () => {
    const zone = goldenZone();
    zone['mail.good.example'] = { TXT: [['v=spf1 include:spf.protection.outlook.com -all']] };
    const results = await audit(zone, ['mail.good.example']);
    expect(status(results, 'dmarc.record', 'mail.good.example')).toBe('pass');
    expect(
      results.find((r) => r.control === 'dmarc.record' && r.target === 'mail.good.example')?.evidence.policyDomain,
    ).toBe('good.example');
  });

  it('dkim.keys fails on a revoked or 1024-bit key', async () => {
    const zone = goldenZone();
    zone['selector2._domainkey.good.example'] = { TXT: [['v=DKIM1; k=rsa; p=']] };
    const results = await audit(zone, ['good.example']);
    const dkim = results.find((r) => r.control === 'dkim.keys');
    expect(dkim?.status).toBe('fail');
    expect(dkim?.evidence.problems).toEqual(['selector2: key-revoked']);
  });

  it('the onmicrosoft.com domain is judged by DMARC only; the controls the admin cannot act on pass as managed by Microsoft', async () => {
    const results = await audit(goldenZone(), ['good.example', 'contoso.onmicrosoft.com']);
    const mine = results.filter((r) => r.target === 'contoso.onmicrosoft.com');
    expect(mine.filter((r) => r.evidence.managedBy === 'Microsoft').map((r) => `${r.control} ${r.status}`)).toEqual([
      'spf.record pass',
      'spf.qualifier pass',
      'spf.authorizes-m365 pass',
      'dkim.keys pass',
      'mta-sts.policy pass',
      'tls-rpt.record pass',
    ]);
    expect(mine.filter((r) => r.evidence.managedBy === undefined).map((r) => r.control)).toEqual([
      'dmarc.record',
      'dmarc.policy',
      'dmarc.reporting',
    ]);
  });

  it('domains.parked fails on a real MX, a sending SPF and p=none', async () => {
    const zone = goldenZone();
    zone['parked.example'] = { TXT: [['v=spf1 mx -all']], MX: [{ preference: 10, exchange: 'mx.parked.example' }] };
    zone['_dmarc.parked.example'] = { TXT: [['v=DMARC1; p=none']] };
    const results = await audit(zone, ['good.example']);
    const parked = results.find((r) => r.control === 'domains.parked');
    expect(parked?.status).toBe('fail');
    expect(parked?.evidence.problems as string[]).toHaveLength(3);
  });

  it('mta-sts.policy fails in testing mode and is error when the policy cannot be fetched', async () => {
    const testing = await audit(goldenZone(), ['good.example'], {
      https: {
        'https://mta-sts.good.example/.well-known/mta-sts.txt': {
          status: 200,
          contentType: 'text/plain',
          body: GOOD_POLICY.replace('enforce', 'testing'),
        },
      },
    });
    expect(status(testing, 'mta-sts.policy', 'good.example')).toBe('fail');
    const unreachable = await audit(goldenZone(), ['good.example'], { https: {} });
    expect(status(unreachable, 'mta-sts.policy', 'good.example')).toBe('error');
  });

  it.each(['TIMEOUT', 'SERVFAIL', 'REFUSED', 'MALFORMED'] as const)(
    'a %s answer is error for that domain with the failing query, never pass or fail',
    async (rcode) => {
      const zone = goldenZone();
      zone['_dmarc.good.example'] = { TXT: rcode };
      zone['good.example'] = { ...zone['good.example'], TXT: rcode };
      const results = await audit(zone, ['good.example']);
      for (const control of [
        'spf.record',
        'spf.qualifier',
        'spf.authorizes-m365',
        'dmarc.record',
        'dmarc.policy',
        'dmarc.reporting',
      ]) {
        const r = results.find((x) => x.control === control && x.target === 'good.example');
        expect(r?.status, control).toBe('error');
        expect(r?.evidence.failedQuery, control).toMatchObject({ rcode });
      }
      // The parked domain is unaffected.
      expect(status(results, 'domains.parked', 'parked.example')).toBe('pass');
    },
  );

  it('NXDOMAIN is data: a domain that does not exist fails, it is not an error', async () => {
    const results = await audit(goldenZone(), ['missing.example']);
    expect(status(results, 'spf.record', 'missing.example')).toBe('fail');
    expect(status(results, 'dmarc.record', 'missing.example')).toBe('fail');
  });
});
