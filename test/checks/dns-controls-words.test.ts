import { describe, expect, it } from 'vitest';
import { liveCollector } from '../../src/collect/live/live-collector.js';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { silentLogger } from '../../src/logger.js';
import type { Result } from '../../src/model/result.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import type { HttpsFetch } from '../../src/snapshot/dns-types.js';
import { memorySnapshot } from '../../src/snapshot/snapshot.js';
import { memoryResolver, type MemoryZone } from '../helpers/memory-resolver.js';

/*
 * The DMARC, parked-domain, MTA-STS and TLS-RPT controls in the words and evidence an auditor reads: an own record or an inherited
 * one, each weak tag named, the tree walk shown. One control per run, collected from an in-memory
 * zone in DNS-only mode and judged on the recorded answers.
 */

const NOW = new Date('2026-11-27T00:00:00Z');

/** `control` alone over `domain`, collected from `zone` and judged on the recorded answers. */
async function judgeDns(
  control: string,
  zone: MemoryZone,
  domain: string,
  params: Record<string, unknown> = {},
  options: { https?: Record<string, HttpsFetch>; parked?: string[] } = {},
): Promise<Result> {
  const { policy } = parsePolicy(
    JSON.stringify({
      id: 'dmarc-words',
      title: `${control} only`,
      version: '1.0.0',
      description: 'one DMARC control',
      controls: { [control]: { enabled: true, ...params } },
      domains: { include: [], exclude: [], parked: options.parked ?? [] },
      exceptions: [],
    }),
    'dmarc-words.json',
    NOW,
  );
  const collector = liveCollector({
    mode: 'dns-only',
    tenantId: null,
    clients: {
      dns: memoryResolver(zone),
      https: (url) => Promise.resolve(options.https?.[url] ?? { status: 0, error: 'connection refused' }),
    },
    extraDomains: [domain],
    now: () => NOW,
  });
  const snapshot = await collector.collect({ sources: new Set(['dns']), policy, logger: silentLogger });
  const replayed = memorySnapshot(snapshot.manifest, { dns: JSON.parse(JSON.stringify(snapshot.data('dns'))) });
  const { results } = await evaluate(replayed, policy, { now: NOW, domains: [domain] });
  const r = results.find((x) => x.control === control && x.target === domain);
  if (!r) throw new Error(`no ${control} result for ${domain}`);
  return r;
}

const OWN = 'v=DMARC1; p=reject; rua=mailto:dmarc@good.example';

describe('dmarc.record in words', () => {
  it("passes a domain's own record, showing the walk", async () => {
    const r = await judgeDns('dmarc.record', { '_dmarc.good.example': { TXT: [[OWN]] } }, 'good.example');
    expect(r.message).toBe('good.example publishes a valid DMARC record.');
    expect(r.evidence).toMatchObject({
      status: 'found',
      policyDomain: 'good.example',
      record: OWN,
      walk: [{ domain: 'good.example', outcome: 'record' }],
    });
  });

  it('passes a subdomain covered by its organisational domain, naming it', async () => {
    const r = await judgeDns('dmarc.record', { '_dmarc.good.example': { TXT: [[OWN]] } }, 'mail.good.example');
    expect(r.message).toBe('mail.good.example is covered by the DMARC record of good.example.');
    expect(r.evidence.policyDomain).toBe('good.example');
    expect((r.evidence.walk as { domain: string }[]).map((s) => s.domain)).toEqual([
      'mail.good.example',
      'good.example',
    ]);
  });

  it('fails a domain no record applies to, saying why and showing an empty record', async () => {
    const r = await judgeDns('dmarc.record', {}, 'none.example');
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^No valid DMARC record applies to none\.example \(.+\)\.$/);
    expect(r.evidence).toMatchObject({ status: 'none', policyDomain: null, record: null });
  });
});

describe('dmarc.policy in words', () => {
  it('passes naming the minimum, with the tags read', async () => {
    const r = await judgeDns('dmarc.policy', { '_dmarc.good.example': { TXT: [[OWN]] } }, 'good.example');
    expect(r.message).toBe('DMARC for good.example enforces at least quarantine.');
    expect(r.evidence).toMatchObject({
      p: 'reject',
      sp: 'reject',
      np: 'reject',
      pct: null,
      t: false,
      minimum: 'quarantine',
      ownRecord: true,
      legacyTags: [],
    });
  });

  it('names each weak tag, and where sp and np come from', async () => {
    const zone = { '_dmarc.good.example': { TXT: [['v=DMARC1; p=none; pct=50; t=y']] } };
    const r = await judgeDns('dmarc.policy', zone, 'good.example');
    expect(r.message).toBe(
      'DMARC for good.example is weaker than quarantine: p=none, sp=none (inherited from p), np=none (inherited from sp), pct=50, t=y (testing mode).',
    );
    expect(r.evidence).toMatchObject({ pct: 50, ownRecord: true });
  });

  it('does not judge p of an inherited record, only sp and np', async () => {
    const zone = { '_dmarc.good.example': { TXT: [['v=DMARC1; p=none; sp=reject; np=reject']] } };
    const sub = await judgeDns('dmarc.policy', zone, 'mail.good.example');
    expect(sub.status, sub.message).toBe('pass');
    expect(sub.evidence.ownRecord).toBe(false);
    const own = await judgeDns('dmarc.policy', zone, 'good.example');
    expect(own.message).toBe('DMARC for good.example is weaker than quarantine: p=none.');
  });

  it('names an sp or np that is weak though set explicitly, without saying inherited', async () => {
    const zone = { '_dmarc.good.example': { TXT: [['v=DMARC1; p=reject; sp=none; np=quarantine']] } };
    const r = await judgeDns('dmarc.policy', zone, 'good.example', { minimum: 'reject' });
    expect(r.message).toBe('DMARC for good.example is weaker than reject: sp=none, np=quarantine.');
  });
});

describe('domains.parked in words', () => {
  it('names every way a parked domain still looks usable', async () => {
    const zone: MemoryZone = {
      'parked.example': {
        TXT: [['v=spf1 -all'], ['v=spf1 ~all']],
        MX: [{ preference: 10, exchange: 'mx.parked.example' }],
      },
      '_dmarc.parked.example': { TXT: [['v=DMARC1; p=quarantine; pct=50; t=y']] },
    };
    const r = await judgeDns('domains.parked', zone, 'parked.example', {}, { parked: ['parked.example'] });
    expect(r.status).toBe('fail');
    expect(r.message).toContain('SPF is "v=spf1 -all" + "v=spf1 ~all", not "v=spf1 -all"');
    expect(r.message).toContain('DMARC policy is quarantine with t=y pct=50, not reject');
    expect(r.message).toContain('MX records point to mx.parked.example');
  });

  it('names a missing SPF record and a missing DMARC record', async () => {
    const zone: MemoryZone = { 'parked.example': { MX: [{ preference: 0, exchange: '.' }] } };
    const r = await judgeDns('domains.parked', zone, 'parked.example', {}, { parked: ['parked.example'] });
    expect(r.message).toContain('no SPF record');
    expect(r.message).toContain('no DMARC record');
  });
});

const STS_URL = 'https://mta-sts.good.example/.well-known/mta-sts.txt';
const STS_RECORD: MemoryZone = { '_mta-sts.good.example': { TXT: [['v=STSv1; id=20261127']] } };
const GOOD_POLICY = 'version: STSv1\nmode: enforce\nmx: good-example.mail.protection.outlook.com\nmax_age: 604800\n';

describe('mta-sts.policy in words', () => {
  it('counts the records: none, or more than one', async () => {
    const none = await judgeDns('mta-sts.policy', {}, 'good.example');
    expect(none.message).toBe('good.example publishes no MTA-STS record.');
    const two = await judgeDns(
      'mta-sts.policy',
      { '_mta-sts.good.example': { TXT: [['v=STSv1; id=1'], ['v=STSv1; id=2']] } },
      'good.example',
    );
    expect(two.message).toBe('good.example publishes 2 MTA-STS records.');
  });

  it('fails an invalid record, naming the error', async () => {
    const r = await judgeDns('mta-sts.policy', { '_mta-sts.good.example': { TXT: [['v=STSv1']] } }, 'good.example');
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^The MTA-STS record of good\.example is invalid: .+\.$/);
  });

  it('fails a policy answered with another status, or not as text/plain', async () => {
    const notFound = await judgeDns(
      'mta-sts.policy',
      STS_RECORD,
      'good.example',
      {},
      {
        https: { [STS_URL]: { status: 404, contentType: 'text/plain', body: '' } },
      },
    );
    expect(notFound).toMatchObject({ status: 'fail', message: `${STS_URL} answered HTTP 404.` });
    expect(notFound.evidence).toMatchObject({ httpStatus: 404, contentType: 'text/plain', id: '20261127' });
    const html = await judgeDns(
      'mta-sts.policy',
      STS_RECORD,
      'good.example',
      {},
      {
        https: { [STS_URL]: { status: 200, contentType: 'text/html', body: GOOD_POLICY } },
      },
    );
    expect(html).toMatchObject({ status: 'fail', message: `${STS_URL} is not text/plain (RFC 8461 §3.3).` });
    const untyped = await judgeDns(
      'mta-sts.policy',
      STS_RECORD,
      'good.example',
      {},
      {
        https: { [STS_URL]: { status: 200, body: GOOD_POLICY } },
      },
    );
    expect(untyped.message).toBe(`${STS_URL} is not text/plain (RFC 8461 §3.3).`);
    expect(untyped.evidence.contentType).toBeNull();
  });

  it('fails an invalid policy, naming the error', async () => {
    const r = await judgeDns(
      'mta-sts.policy',
      STS_RECORD,
      'good.example',
      {},
      {
        https: { [STS_URL]: { status: 200, contentType: 'text/plain', body: 'version: STSv1\n' } },
      },
    );
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^The MTA-STS policy of good\.example is invalid: .+\.$/);
  });
});

describe('tls-rpt.record in words', () => {
  it('fails an invalid record, naming the error', async () => {
    const r = await judgeDns(
      'tls-rpt.record',
      { '_smtp._tls.good.example': { TXT: [['v=TLSRPTv1']] } },
      'good.example',
    );
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^The TLS-RPT record of good\.example is invalid: .+\.$/);
  });
});

describe('spf.qualifier and spf.authorizes-m365 in words', () => {
  it('follows redirect= to the all term of the record it names', async () => {
    const zone: MemoryZone = {
      'good.example': { TXT: [['v=spf1 redirect=_spf.good.example']] },
      '_spf.good.example': { TXT: [['v=spf1 ip4:192.0.2.0/24 ~all']] },
    };
    const r = await judgeDns('spf.qualifier', zone, 'good.example', { allowSoftfail: false });
    expect(r).toMatchObject({
      status: 'fail',
      message: 'The SPF record of good.example ends in ~all; required -all.',
    });
    const soft = await judgeDns('spf.qualifier', zone, 'good.example', { allowSoftfail: true });
    expect(soft).toMatchObject({ status: 'pass', message: 'The SPF record of good.example ends in ~all.' });
  });

  it('says when a record has no all term at all, and names what -all or ~all means when allowed', async () => {
    const none = await judgeDns(
      'spf.qualifier',
      { 'good.example': { TXT: [['v=spf1 ip4:192.0.2.0/24']] } },
      'good.example',
    );
    expect(none.message).toBe('The SPF record of good.example has no "all" term, so unlisted senders get neutral.');
    const neutral = await judgeDns(
      'spf.qualifier',
      { 'good.example': { TXT: [['v=spf1 ip4:192.0.2.0/24 ?all']] } },
      'good.example',
      { allowSoftfail: true },
    );
    expect(neutral.message).toBe('The SPF record of good.example ends in ?all; required -all or ~all.');
  });

  it("errs, never fails, when Microsoft 365's own SPF record cannot be read", async () => {
    const r = await judgeDns(
      'spf.authorizes-m365',
      { 'good.example': { TXT: [['v=spf1 include:spf.protection.outlook.com -all']] } },
      'good.example',
    );
    expect(r.status).toBe('error');
    expect(r.message).toMatch(
      /^Microsoft 365's sending ranges could not be read from spf\.protection\.outlook\.com: .+\.$/,
    );
    expect(r.evidence).toMatchObject({ microsoftSpfDomain: 'spf.protection.outlook.com', cloud: 'global' });
  });
});

const KEY2048 =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEApkvfR6fqlOXfWUrOg+bZ/msvb7ccoh45qhhasTZTYRSsYjBFAHXHWbpRzhuZjsvq7ivlzuPKPyuUVSz3PNtUxQ0DUkS8tLVve6mbGFW3e1wYNychKlVxG1C1WkyV8JbhnhrN4IRRP8oDLmLQC9Linlye7/SoL/wa1bwB23AerW8eRkmkuq6UVjG8xYIRfmO4Ji67yesbEAOcLe13eZKB96f7dxCdEIV55FBRGfFM3njjhXI9oudsKSVe+UNdccbNKmxMfX8c5s6Me3P97kviFYdUg+UYcGTuRfizDitHGVTV7XF3VBFpEE5Ivk5x5hG/PEIlZyRxdXMdzrMCt0MWDwIDAQAB';
const GOOD_KEY = `v=DKIM1; k=rsa; p=${KEY2048}`;

describe('dkim.keys in words', () => {
  it('passes naming the selectors, with each key as read', async () => {
    const zone: MemoryZone = {
      'selector1._domainkey.good.example': { TXT: [[GOOD_KEY]] },
      'selector2._domainkey.good.example': { TXT: [[GOOD_KEY]] },
    };
    const r = await judgeDns('dkim.keys', zone, 'good.example');
    expect(r.message).toBe('good.example publishes valid DKIM keys at selector1, selector2.');
    expect(r.evidence).toEqual({
      minBits: 2048,
      selectors: ['selector1', 'selector2'].map((selector) => ({
        selector,
        name: `${selector}._domainkey.good.example`,
        records: [GOOD_KEY],
        keys: [
          {
            valid: true,
            error: null,
            detail: null,
            revoked: false,
            keyType: 'rsa',
            keyBits: 2048,
            testing: false,
            usableForEmail: true,
          },
        ],
      })),
    });
  });

  it('names each problem: no key, several records, a revoked key', async () => {
    const zone: MemoryZone = {
      'selector1._domainkey.good.example': { TXT: [['v=DKIM1; k=rsa; p=']] },
      'selector2._domainkey.good.example': { TXT: [[GOOD_KEY], [GOOD_KEY]] },
    };
    const r = await judgeDns('dkim.keys', zone, 'good.example', { selectors: ['selector1', 'selector2', 's3'] });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(
      /^DKIM keys of good\.example: selector1: [^;]+; selector2: 2 TXT records, a verifier may pick any; s3: no key published\.$/,
    );
    expect(r.evidence.problems).toHaveLength(3);
    const keys = (r.evidence.selectors as { keys: { revoked: boolean; error: unknown }[] }[])[0]?.keys;
    expect(keys?.[0]).toMatchObject({ revoked: true });
  });

  it('names the error and its detail for a key that cannot be read', async () => {
    const zone: MemoryZone = {
      'selector1._domainkey.good.example': { TXT: [['v=DKIM1; k=rsa; p=notbase64!']] },
      'selector2._domainkey.good.example': { TXT: [[GOOD_KEY]] },
    };
    const r = await judgeDns('dkim.keys', zone, 'good.example');
    const key = (r.evidence.selectors as { keys: { error: string | null; detail: string | null }[] }[])[0]?.keys[0];
    expect(key?.error).toEqual(expect.any(String));
    expect(r.message).toBe(
      `DKIM keys of good.example: selector1: ${key?.error}${key?.detail ? ` (${key.detail})` : ''}.`,
    );
  });

  it('fails a selector with no record at all', async () => {
    const zone: MemoryZone = { 'selector2._domainkey.good.example': { TXT: [[GOOD_KEY]] } };
    const r = await judgeDns('dkim.keys', zone, 'good.example', { selectors: ['selector1'] });
    expect(r.status).toBe('fail');
    expect(r.message).toBe('DKIM keys of good.example: selector1: no key published.');
  });

  it('errs on a failed lookup, naming the selector', async () => {
    const zone: MemoryZone = {
      'selector1._domainkey.good.example': { TXT: [[GOOD_KEY]] },
      'selector2._domainkey.good.example': { TXT: 'SERVFAIL' },
    };
    const r = await judgeDns('dkim.keys', zone, 'good.example');
    expect(r.status).toBe('error');
    expect(r.evidence).toMatchObject({ selector: 'selector2' });
  });
});

describe('domains.parked and dmarc.reporting: the full evidence', () => {
  it('passes a parked domain that refuses all mail, showing what was read', async () => {
    const zone: MemoryZone = {
      'parked.example': { TXT: [['v=spf1  -ALL']], MX: [{ preference: 0, exchange: '.' }] },
      '_dmarc.parked.example': { TXT: [['v=DMARC1; p=reject']] },
    };
    const r = await judgeDns('domains.parked', zone, 'parked.example', {}, { parked: ['parked.example'] });
    expect(r).toMatchObject({ status: 'pass', message: 'Parked domain parked.example refuses all mail.' });
    expect(r.evidence).toEqual({
      spf: ['v=spf1  -ALL'],
      dmarcPolicy: 'reject',
      dmarcPolicyDomain: 'parked.example',
      mx: [{ preference: 0, exchange: '.' }],
      nullMx: true,
    });
  });

  it('fails a parked subdomain whose inherited sp is weaker than reject, joining the problems', async () => {
    const zone: MemoryZone = {
      'old.parked.example': {
        TXT: [['v=spf1 -all']],
        MX: [
          { preference: 0, exchange: '.' },
          { preference: 5, exchange: 'mx.example' },
        ],
      },
      '_dmarc.parked.example': { TXT: [['v=DMARC1; p=reject; sp=none']] },
    };
    const r = await judgeDns('domains.parked', zone, 'old.parked.example', {}, { parked: ['old.parked.example'] });
    expect(r.message).toBe(
      'Parked domain old.parked.example: DMARC policy is none, not reject; MX records point to ., mx.example.',
    );
    expect(r.evidence).toMatchObject({ dmarcPolicy: 'none', dmarcPolicyDomain: 'parked.example', nullMx: false });
    expect(r.evidence.problems).toHaveLength(2);
  });

  it('dmarc.reporting names a missing rua and a missing required address', async () => {
    const zone: MemoryZone = { '_dmarc.good.example': { TXT: [['v=DMARC1; p=reject']] } };
    const r = await judgeDns('dmarc.reporting', zone, 'good.example', {
      requiredAddresses: ['mailto:soc@good.example'],
    });
    expect(r.message).toBe(
      'DMARC reporting for good.example: no rua= destination; required mailto:soc@good.example missing.',
    );
    expect(r.evidence).toMatchObject({ rua: [], requiredAddresses: ['mailto:soc@good.example'], destinations: [] });
  });

  it('dmarc.reporting passes counting the destinations, with a size suffix ignored', async () => {
    const zone: MemoryZone = {
      '_dmarc.good.example': { TXT: [['v=DMARC1; p=reject; rua=mailto:SOC@good.example!10m']] },
    };
    const r = await judgeDns('dmarc.reporting', zone, 'good.example', {
      requiredAddresses: ['mailto:soc@good.example'],
    });
    expect(r).toMatchObject({
      status: 'pass',
      message: 'DMARC aggregate reports for good.example go to 1 authorised destination(s).',
    });
  });
});
