import { describe, expect, it } from 'vitest';
import { failedQuery, lookupAddresses, lookupMx, lookupPtr, lookupTxt } from '../../src/mailauth/dns-lookup.js';
import type { DnsResolver } from '../../src/snapshot/dns-resolver.js';
import type { DnsAnswer, DnsRecord } from '../../src/snapshot/dns-types.js';

/** A resolver over a fixed table of answers, as a capture replays them: `name/TYPE` → answer. */
function table(answers: Record<string, DnsAnswer>): DnsResolver {
  return { resolve: (name, type) => Promise.resolve(answers[`${name}/${type}`] ?? { rcode: 'NXDOMAIN', records: [] }) };
}

const rec = (type: string, data: DnsRecord['data'], name = 'x.example.test'): DnsRecord => ({
  name,
  type,
  ttl: 60,
  data,
});

describe('failed DNS questions', () => {
  it('names the question in lower case, with the rcode, and the detail and server only when given', () => {
    expect(failedQuery('X.Example.Test.', 'TXT', { rcode: 'SERVFAIL', records: [] })).toStrictEqual({
      question: 'x.example.test/TXT',
      rcode: 'SERVFAIL',
    });
    expect(
      failedQuery('x.example.test', 'A', {
        rcode: 'TIMEOUT',
        records: [],
        detail: 'no answer in 5 s',
        server: '127.0.0.1:53',
      }),
    ).toStrictEqual({
      question: 'x.example.test/A',
      rcode: 'TIMEOUT',
      detail: 'no answer in 5 s',
      server: '127.0.0.1:53',
    });
  });

  it('a lookup that gets no data fails with that question', async () => {
    const resolver = table({ 'x.example.test/TXT': { rcode: 'REFUSED', records: [], server: '127.0.0.1:53' } });
    expect(await lookupTxt(resolver, 'x.example.test')).toStrictEqual({
      ok: false,
      failed: { question: 'x.example.test/TXT', rcode: 'REFUSED', server: '127.0.0.1:53' },
    });
  });
});

describe('typed lookups keep only records of the asked type and shape', () => {
  it('TXT joins character-strings, takes a plain string, and skips records of another shape or type', async () => {
    const resolver = table({
      'x.example.test/TXT': {
        rcode: 'NOERROR',
        records: [
          rec('CNAME', 'y.example.test'),
          rec('TXT', ['v=spf1 ', '-all'], 'y.example.test'),
          rec('TXT', 'plain', 'y.example.test'),
          rec('TXT', { preference: 10, exchange: 'mx.example.test' }, 'y.example.test'),
        ],
      },
    });
    expect(await lookupTxt(resolver, 'x.example.test')).toEqual({
      ok: true,
      values: ['v=spf1 -all', 'plain'],
      nxdomain: false,
    });
  });

  it('A, AAAA and PTR take strings only', async () => {
    const resolver = table({
      'x.example.test/A': { rcode: 'NOERROR', records: [rec('A', '192.0.2.1'), rec('A', ['192.0.2.2'])] },
      'x.example.test/AAAA': {
        rcode: 'NOERROR',
        records: [rec('AAAA', { preference: 1, exchange: 'x' }), rec('AAAA', '2001:db8::1')],
      },
      'x.example.test/PTR': {
        rcode: 'NOERROR',
        records: [rec('PTR', ['a.example.test']), rec('PTR', 'b.example.test')],
      },
    });
    expect(await lookupAddresses(resolver, 'x.example.test', 'A')).toEqual({
      ok: true,
      values: ['192.0.2.1'],
      nxdomain: false,
    });
    expect(await lookupAddresses(resolver, 'x.example.test', 'AAAA')).toEqual({
      ok: true,
      values: ['2001:db8::1'],
      nxdomain: false,
    });
    expect(await lookupPtr(resolver, 'x.example.test')).toEqual({
      ok: true,
      values: ['b.example.test'],
      nxdomain: false,
    });
  });

  it('MX takes preference/exchange objects only', async () => {
    const mx = { preference: 10, exchange: 'mx.example.test' };
    const resolver = table({
      'x.example.test/MX': {
        rcode: 'NOERROR',
        records: [rec('MX', 'mx.example.test'), rec('MX', ['10', 'mx']), rec('MX', mx)],
      },
    });
    expect(await lookupMx(resolver, 'x.example.test')).toEqual({ ok: true, values: [mx], nxdomain: false });
  });

  it('NXDOMAIN is data: no values, flagged', async () => {
    expect(await lookupMx(table({}), 'gone.example.test')).toEqual({ ok: true, values: [], nxdomain: true });
  });
});
