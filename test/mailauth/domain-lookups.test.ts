import { describe, expect, it } from 'vitest';
import {
  lookupDkim,
  lookupDmarcReporting,
  lookupM365Authorization,
  lookupMtaSts,
  lookupMxRecords,
  lookupParked,
  lookupReportAuthorisations,
  lookupSpf,
  lookupTlsRpt,
  lookupTxtAt,
  microsoftSendingAddress,
  SPF_PROBE_IP,
} from '../../src/mailauth/domain-lookups.js';
import type { HttpsFetch } from '../../src/snapshot/dns-types.js';
import { memoryResolver, type MemoryZone } from '../helpers/memory-resolver.js';

const M365 = 'spf.protection.outlook.com';

describe('SPF look-ups for a domain', () => {
  it('a failed TXT lookup is the failure, with no records', async () => {
    expect(await lookupSpf(memoryResolver({ 'example.test': { TXT: 'SERVFAIL' } }), 'example.test')).toEqual({
      failed: { question: 'example.test/TXT', rcode: 'SERVFAIL' },
      records: [],
    });
  });

  it('two SPF records are listed without a probe', async () => {
    const zone: MemoryZone = { 'example.test': { TXT: ['v=spf1 -all', 'v=spf1 ~all', 'other'] } };
    expect(await lookupSpf(memoryResolver(zone), 'example.test')).toEqual({ records: ['v=spf1 -all', 'v=spf1 ~all'] });
  });

  it('one record is probed from a reserved address', async () => {
    const zone: MemoryZone = { 'example.test': { TXT: ['v=spf1 ip4:192.0.2.0/24 -all'] } };
    const got = await lookupSpf(memoryResolver(zone), 'example.test');
    expect(got.records).toEqual(['v=spf1 ip4:192.0.2.0/24 -all']);
    expect(got.probe?.result).toBe('fail');
    expect(got.failed).toBeUndefined();
    expect(SPF_PROBE_IP).toBe('240.0.0.1');
  });

  it('a probe that meets a DNS error carries the failed question', async () => {
    const zone: MemoryZone = {
      'example.test': { TXT: ['v=spf1 include:broken.example.test -all'] },
      'broken.example.test': { TXT: 'TIMEOUT' },
    };
    const got = await lookupSpf(memoryResolver(zone), 'example.test');
    expect(got.probe?.result).toBe('temperror');
    expect(got.failed).toEqual({ question: 'broken.example.test/TXT', rcode: 'TIMEOUT' });
  });
});

describe("Microsoft 365's sending address", () => {
  it('takes the second address of the first + ip4 network, depth first through includes', async () => {
    const zone: MemoryZone = {
      [M365]: { TXT: ['v=spf1 -ip4:10.0.0.0/8 ip6:2001:db8::/32 include:a.example.test include:b.example.test -all'] },
      'a.example.test': { TXT: ['not spf', 'v=spf1 include:%{d}.x.example.test include:c.example.test ~all'] },
      'c.example.test': { TXT: ['v=spf1 ip4:192.0.2.0/24 -all'] },
      'b.example.test': { TXT: ['v=spf1 ip4:198.51.100.0/24 -all'] },
    };
    expect(await microsoftSendingAddress(memoryResolver(zone))).toEqual({ ip: '192.0.2.1', network: '192.0.2.0/24' });
  });

  it('keeps a /32 address as it is', async () => {
    const zone: MemoryZone = { [M365]: { TXT: ['v=spf1 ip4:192.0.2.7 -all'] } };
    expect(await microsoftSendingAddress(memoryResolver(zone))).toEqual({ ip: '192.0.2.7', network: '192.0.2.7/32' });
  });

  it('falls back to the first ip6 network when no ip4 is found', async () => {
    const zone: MemoryZone = {
      [M365]: { TXT: ['v=spf1 ~ip6:2001:db8:9::/48 ip6:2001:db8:1::/48 include:a.example.test -all'] },
      'a.example.test': { TXT: ['v=spf1 ip6:2001:db8:2::/48 -all'] },
    };
    expect(await microsoftSendingAddress(memoryResolver(zone))).toEqual({
      ip: '2001:db8:1::',
      network: '2001:db8:1::/48',
    });
  });

  it('names the domain when no range is found, skipping records that do not parse', async () => {
    const zone: MemoryZone = {
      'spf.example.test': { TXT: ['v=spf1 include:a.example.test include:b.example.test'] },
      'a.example.test': { TXT: ['v=spf1 ip4:300.1.1.1 ip4:192.0.2.1'] },
    };
    expect(await microsoftSendingAddress(memoryResolver(zone), 'spf.example.test')).toEqual({
      missing: 'no ip4 or ip6 range found under spf.example.test',
    });
  });

  it('stops after 10 records', async () => {
    const zone: MemoryZone = Object.fromEntries(
      Array.from({ length: 11 }, (_, i) => [
        `s${i}.example.test`,
        { TXT: [i === 10 ? 'v=spf1 ip4:192.0.2.0/24 -all' : `v=spf1 include:s${i + 1}.example.test -all`] },
      ]),
    );
    expect(await microsoftSendingAddress(memoryResolver(zone), 's0.example.test')).toEqual({
      missing: 'no ip4 or ip6 range found under s0.example.test',
    });
    expect(await microsoftSendingAddress(memoryResolver(zone), 's1.example.test')).toEqual({
      ip: '192.0.2.1',
      network: '192.0.2.0/24',
    });
  });

  it('a failed lookup on the walk is the failure', async () => {
    const zone: MemoryZone = {
      [M365]: { TXT: ['v=spf1 include:a.example.test -all'] },
      'a.example.test': { TXT: 'SERVFAIL' },
    };
    expect(await microsoftSendingAddress(memoryResolver(zone))).toEqual({
      failed: { question: 'a.example.test/TXT', rcode: 'SERVFAIL' },
    });
  });
});

describe("a domain's authorisation of Microsoft 365", () => {
  const m365: MemoryZone = { [M365]: { TXT: ['v=spf1 ip4:192.0.2.0/24 -all'] } };

  it('checks the domain from the Microsoft address', async () => {
    const zone: MemoryZone = { ...m365, 'example.test': { TXT: [`v=spf1 include:${M365} -all`] } };
    const got = await lookupM365Authorization(memoryResolver(zone), 'example.test');
    expect(got.ip).toBe('192.0.2.1');
    expect(got.network).toBe('192.0.2.0/24');
    expect(got.outcome?.result).toBe('pass');
    expect(got.failed).toBeUndefined();
  });

  it('passes on a failure or a missing range, and a temperror with its question', async () => {
    expect(await lookupM365Authorization(memoryResolver({ [M365]: { TXT: 'REFUSED' } }), 'example.test')).toEqual({
      failed: { question: `${M365}/TXT`, rcode: 'REFUSED' },
    });
    expect(await lookupM365Authorization(memoryResolver({}), 'example.test')).toEqual({
      missing: `no ip4 or ip6 range found under ${M365}`,
    });
    const got = await lookupM365Authorization(
      memoryResolver({ ...m365, 'example.test': { TXT: 'TIMEOUT' } }),
      'example.test',
    );
    expect(got.outcome?.result).toBe('temperror');
    expect(got.failed).toEqual({ question: 'example.test/TXT', rcode: 'TIMEOUT' });
  });
});

describe('DKIM selector look-ups', () => {
  it('parses each record at each selector and keeps a failure apart', async () => {
    const zone: MemoryZone = {
      's1._domainkey.example.test': { TXT: ['v=DKIM1; p='] },
      's2._domainkey.example.test': { TXT: 'SERVFAIL' },
    };
    const got = await lookupDkim(memoryResolver(zone), 'example.test', ['s1', 's2', 's3'], 2048);
    expect(got.map((g) => ({ ...g, keys: g.keys.map((k) => k.error) }))).toEqual([
      { selector: 's1', name: 's1._domainkey.example.test', records: ['v=DKIM1; p='], keys: ['key-revoked'] },
      {
        selector: 's2',
        name: 's2._domainkey.example.test',
        failed: { question: 's2._domainkey.example.test/TXT', rcode: 'SERVFAIL' },
        records: [],
        keys: [],
      },
      { selector: 's3', name: 's3._domainkey.example.test', records: [], keys: [] },
    ]);
  });
});

describe('DMARC report destinations (RFC 7489 §7.1)', () => {
  it('internal, authorised, unauthorised, failed and non-mailto destinations', async () => {
    const zone: MemoryZone = {
      'example.test._report._dmarc.reports.example': { TXT: ['v=DMARC1'] },
      'example.test._report._dmarc.other.example': { TXT: ['v=DMARC1x', 'note v=DMARC1'] },
      'example.test._report._dmarc.semi.example': { TXT: ['v = DMARC1 ;'] },
      'example.test._report._dmarc.broken.example': { TXT: 'SERVFAIL' },
    };
    const got = await lookupReportAuthorisations(memoryResolver(zone), 'example.test', [
      { uri: 'mailto:d@Mail.Example.Test', kind: 'rua' },
      { uri: 'mailto:d@reports.example!10m', kind: 'rua' },
      { uri: 'mailto:d@other.example', kind: 'ruf' },
      { uri: 'mailto:d@semi.example', kind: 'rua' },
      { uri: 'mailto:d@broken.example', kind: 'rua' },
      { uri: 'https://r.example/dmarc', kind: 'rua' },
      { uri: 'mailto:nobody', kind: 'rua' },
    ]);
    expect(got).toEqual([
      { uri: 'mailto:d@Mail.Example.Test', kind: 'rua', domain: 'mail.example.test', internal: true },
      {
        uri: 'mailto:d@reports.example!10m',
        kind: 'rua',
        domain: 'reports.example',
        internal: false,
        authorised: true,
      },
      { uri: 'mailto:d@other.example', kind: 'ruf', domain: 'other.example', internal: false, authorised: false },
      { uri: 'mailto:d@semi.example', kind: 'rua', domain: 'semi.example', internal: false, authorised: true },
      {
        uri: 'mailto:d@broken.example',
        kind: 'rua',
        domain: 'broken.example',
        internal: false,
        failed: { question: 'example.test._report._dmarc.broken.example/TXT', rcode: 'SERVFAIL' },
      },
      { uri: 'https://r.example/dmarc', kind: 'rua', internal: false },
      { uri: 'mailto:nobody', kind: 'rua', internal: false },
    ]);
  });

  it('reporting look-ups follow discovery: rua then ruf of the policy domain', async () => {
    const zone: MemoryZone = {
      '_dmarc.example.test': { TXT: ['v=DMARC1; p=none; rua=mailto:a@example.test; ruf=mailto:f@ext.example'] },
    };
    const got = await lookupDmarcReporting(memoryResolver(zone), 'mail.example.test');
    expect(got.discovery.status).toBe('found');
    expect(got.destinations).toEqual([
      { uri: 'mailto:a@example.test', kind: 'rua', domain: 'example.test', internal: true },
      { uri: 'mailto:f@ext.example', kind: 'ruf', domain: 'ext.example', internal: false, authorised: false },
    ]);
    expect((await lookupDmarcReporting(memoryResolver({}), 'example.test')).destinations).toEqual([]);
  });
});

describe('MX, TXT, MTA-STS, TLS-RPT and parked-domain look-ups', () => {
  it('MX exchanges are normalised; a null MX becomes ""; a failure has none', async () => {
    const zone: MemoryZone = {
      'example.test': { MX: [{ preference: 10, exchange: 'MX.Example.Test.' }] },
      'null.example.test': { MX: [{ preference: 0, exchange: '.' }] },
      'broken.example.test': { MX: 'SERVFAIL' },
    };
    const resolver = memoryResolver(zone);
    expect(await lookupMxRecords(resolver, 'example.test')).toEqual({
      exchanges: [{ preference: 10, exchange: 'mx.example.test' }],
      nxdomain: false,
    });
    expect(await lookupMxRecords(resolver, 'null.example.test')).toEqual({
      exchanges: [{ preference: 0, exchange: '' }],
      nxdomain: false,
    });
    expect(await lookupMxRecords(resolver, 'gone.example.test')).toEqual({ exchanges: [], nxdomain: true });
    expect(await lookupMxRecords(resolver, 'broken.example.test')).toStrictEqual({
      failed: { question: 'broken.example.test/MX', rcode: 'SERVFAIL' },
      exchanges: [],
      nxdomain: false,
    });
  });

  it('TXT at a name, or its failure with no records', async () => {
    const resolver = memoryResolver({ 'a.example.test': { TXT: ['x'] }, 'b.example.test': { TXT: 'TIMEOUT' } });
    expect(await lookupTxtAt(resolver, 'a.example.test')).toStrictEqual({ name: 'a.example.test', records: ['x'] });
    expect(await lookupTxtAt(resolver, 'b.example.test')).toStrictEqual({
      name: 'b.example.test',
      failed: { question: 'b.example.test/TXT', rcode: 'TIMEOUT' },
      records: [],
    });
    expect(
      await lookupTlsRpt(
        memoryResolver({ '_smtp._tls.example.test': { TXT: ['v=TLSRPTv1; rua=mailto:t@example.test'] } }),
        'example.test',
      ),
    ).toEqual({
      name: '_smtp._tls.example.test',
      records: ['v=TLSRPTv1; rua=mailto:t@example.test'],
    });
  });

  it('MTA-STS fetches the policy only when an STSv1 record exists (RFC 8461 §3.3)', async () => {
    const fetched: string[] = [];
    const https = (url: string): Promise<HttpsFetch> => {
      fetched.push(url);
      return Promise.resolve({ status: 200, body: 'version: STSv1' });
    };
    const zone: MemoryZone = {
      '_mta-sts.a.example.test': { TXT: ['other', 'v=STSv1; id=1'] },
      '_mta-sts.b.example.test': { TXT: ['x v=STSv1; id=1'] },
      '_mta-sts.c.example.test': { TXT: 'SERVFAIL' },
    };
    const resolver = memoryResolver(zone);
    expect(await lookupMtaSts(resolver, https, 'a.example.test')).toEqual({
      record: { name: '_mta-sts.a.example.test', records: ['other', 'v=STSv1; id=1'] },
      policyUrl: 'https://mta-sts.a.example.test/.well-known/mta-sts.txt',
      policy: { status: 200, body: 'version: STSv1' },
    });
    expect((await lookupMtaSts(resolver, https, 'b.example.test')).policy).toBeUndefined();
    expect((await lookupMtaSts(resolver, https, 'c.example.test')).policy).toBeUndefined();
    expect(fetched).toEqual(['https://mta-sts.a.example.test/.well-known/mta-sts.txt']);
  });

  it('a parked domain: its TXT, DMARC and MX', async () => {
    const zone: MemoryZone = {
      'parked.example.test': { TXT: ['v=spf1 -all'], MX: [{ preference: 0, exchange: '.' }] },
      '_dmarc.parked.example.test': { TXT: ['v=DMARC1; p=reject'] },
    };
    const got = await lookupParked(memoryResolver(zone), 'parked.example.test');
    expect(got.txt).toEqual({ name: 'parked.example.test', records: ['v=spf1 -all'] });
    expect(got.dmarc.status).toBe('found');
    expect(got.mx).toEqual({ exchanges: [{ preference: 0, exchange: '' }], nxdomain: false });
  });
});
