import { describe, expect, it } from 'vitest';
import { checkHost, SPF_DEFAULT_EXPLANATION, SPF_LIMITS, type SpfOutcome } from '../../src/mailauth/spf-check.js';
import { memoryResolver, type MemoryZone } from '../helpers/memory-resolver.js';

const RECORD =
  'v=spf1 include:inc.example.test a:a.example.test mx:mx.example.test ptr:example.test exists:%{i}.ex.example.test ip6:2001:db8::/32 -all exp=exp.example.test';
const ZONE: MemoryZone = {
  'example.test': { TXT: [RECORD] },
  'inc.example.test': { TXT: ['v=spf1 ip4:192.0.2.0/24 -all'] },
  'a.example.test': { A: ['198.51.100.1'], AAAA: ['2001:db8:a::1'] },
  'mx.example.test': {
    MX: [
      { preference: 20, exchange: 'm2.example.test' },
      { preference: 10, exchange: 'm1.example.test' },
      { preference: 5, exchange: '.' },
    ],
  },
  'm1.example.test': { A: ['198.51.100.2'] },
  'm2.example.test': { A: ['198.51.100.3'] },
  'exp.example.test': { TXT: ['%{s} %{l} %{o} %{d} %{i} %{c} %{v} %{h} %{r} %{t} %{ir} %{d1} %{L} %% %_ %- %{p}'] },
  '4.100.51.198.in-addr.arpa': { PTR: ['host.example.test', 'other.test'] },
  'host.example.test': { A: ['198.51.100.4'] },
};
const NOW = new Date(1_700_000_000_500);

function check(ip: string, zone: MemoryZone = ZONE, sender = 'a@example.test', log?: string[]): Promise<SpfOutcome> {
  return checkHost(memoryResolver(zone, log), {
    ip,
    domain: 'example.test',
    sender,
    helo: 'helo.example.test',
    now: NOW,
  });
}

/** The outcome without its tree. */
async function outcome(p: Promise<SpfOutcome>): Promise<Omit<SpfOutcome, 'tree'>> {
  const { tree: _tree, ...rest } = await p;
  return rest;
}

const matched = (term: string, domain = 'example.test') => `matched "${term}" in the record of ${domain}`;

describe('check_host() results, reasons and counts (RFC 7208 §4, §5)', () => {
  it('an include that passes: the reason, the term, the count and the tree', async () => {
    expect(await check('192.0.2.9')).toEqual({
      result: 'pass',
      reason: matched('include:inc.example.test'),
      mechanism: 'include:inc.example.test',
      lookups: 1,
      voidLookups: 0,
      tree: {
        domain: 'example.test',
        via: 'top',
        record: RECORD,
        lookups: 1,
        totalLookups: 1,
        result: 'pass',
        children: [
          {
            domain: 'inc.example.test',
            via: 'include',
            record: 'v=spf1 ip4:192.0.2.0/24 -all',
            lookups: 0,
            totalLookups: 0,
            result: 'pass',
            children: [],
          },
        ],
      },
    });
  });

  it('a, mx (in preference order, skipping a null exchange) and ptr each match, counted as terms', async () => {
    expect(await outcome(check('198.51.100.1'))).toEqual({
      result: 'pass',
      reason: matched('a:a.example.test'),
      mechanism: 'a:a.example.test',
      lookups: 2,
      voidLookups: 0,
    });
    const log: string[] = [];
    expect(await outcome(check('198.51.100.3', ZONE, 'a@example.test', log))).toEqual({
      result: 'pass',
      reason: matched('mx:mx.example.test'),
      mechanism: 'mx:mx.example.test',
      lookups: 3,
      voidLookups: 0,
    });
    expect(log.indexOf('m1.example.test/A')).toBeLessThan(log.indexOf('m2.example.test/A'));
    expect(log).not.toContain('/A');
    expect(await outcome(check('198.51.100.4'))).toEqual({
      result: 'pass',
      reason: matched('ptr:example.test'),
      mechanism: 'ptr:example.test',
      lookups: 4,
      voidLookups: 0,
    });
  });

  it('an IPv6 client: a asks AAAA, ip6 matches', async () => {
    expect(await outcome(check('2001:db8:a::1'))).toMatchObject({ result: 'pass', mechanism: 'a:a.example.test' });
    expect(await outcome(check('2001:db8:1::1'))).toEqual({
      result: 'pass',
      reason: matched('ip6:2001:db8::/32'),
      mechanism: 'ip6:2001:db8::/32',
      lookups: 5,
      voidLookups: 2,
    });
  });

  it('a fail carries the expanded exp= text: every macro letter (RFC 7208 §7.3)', async () => {
    expect(await outcome(check('198.51.100.5'))).toEqual({
      result: 'fail',
      reason: matched('-all'),
      mechanism: '-all',
      explanation:
        'a@example.test a example.test example.test 198.51.100.5 198.51.100.5 in-addr helo.example.test unknown 1700000000 5.100.51.198 test a %   %20 unknown',
      lookups: 5,
      voidLookups: 2,
    });
  });

  it('the local part of the sender; an empty sender checks postmaster at the HELO name', async () => {
    expect((await check('198.51.100.6', ZONE, 'Joe.Q@example.test')).explanation).toBe(
      'Joe.Q@example.test Joe.Q example.test example.test 198.51.100.6 198.51.100.6 in-addr helo.example.test unknown 1700000000 6.100.51.198 test Joe.Q %   %20 unknown',
    );
    expect((await check('198.51.100.6', ZONE, '')).explanation).toBe(
      'postmaster@helo.example.test postmaster helo.example.test example.test 198.51.100.6 198.51.100.6 in-addr helo.example.test unknown 1700000000 6.100.51.198 test postmaster %   %20 unknown',
    );
    expect((await check('198.51.100.6', ZONE, '@example.test')).explanation).toBe(
      'postmaster@example.test postmaster example.test example.test 198.51.100.6 198.51.100.6 in-addr helo.example.test unknown 1700000000 6.100.51.198 test postmaster %   %20 unknown',
    );
    const zone: MemoryZone = { ...ZONE, 'exp.example.test': { TXT: ['%{l} %{o}'] } };
    expect((await check('198.51.100.6', zone, 'example.test')).explanation).toBe('postmaster example.test');
  });

  it('%{r} is the receiving host when given, and %{t} defaults to the epoch', async () => {
    const zone: MemoryZone = {
      'example.test': { TXT: ['v=spf1 -all exp=e.example.test'] },
      'e.example.test': { TXT: ['%{r} %{t}'] },
    };
    const got = await checkHost(memoryResolver(zone), {
      ip: '192.0.2.1',
      domain: 'example.test',
      sender: 'a@example.test',
      helo: 'h.example.test',
      receiver: 'mx.receiver.test',
    });
    expect(got.explanation).toBe('mx.receiver.test 0');
  });

  it('%{p}: the validated name equal to the domain, else a subdomain of it, else the first (RFC 7208 §7.3)', async () => {
    const base = (ptr: string[], extra: MemoryZone): MemoryZone => ({
      'example.test': { TXT: ['v=spf1 -all exp=e.example.test'] },
      'e.example.test': { TXT: ['%{p}'] },
      '1.2.0.192.in-addr.arpa': { PTR: ptr },
      ...extra,
    });
    const v = (zone: MemoryZone) => check('192.0.2.1', zone).then((o) => o.explanation);
    const ok = { A: ['192.0.2.1'] };
    expect(
      await v(
        base(['x.other.test', 'mail.example.test', 'example.test'], {
          'x.other.test': ok,
          'mail.example.test': ok,
          'example.test': { TXT: ['v=spf1 -all exp=e.example.test'], ...ok },
        }),
      ),
    ).toBe('example.test');
    // No PTR answer, or no name that resolves back to the address: "unknown".
    expect(await v(base([], { '1.2.0.192.in-addr.arpa': { PTR: 'SERVFAIL' } }))).toBe('unknown');
    expect(await v(base(['x.other.test'], { 'x.other.test': { A: ['192.0.2.9'] } }))).toBe('unknown');
    expect(await v(base(['x.other.test', 'mail.example.test'], { 'x.other.test': ok, 'mail.example.test': ok }))).toBe(
      'mail.example.test',
    );
    expect(
      await v(base(['x.other.test', 'y.other.test'], { 'x.other.test': { A: ['192.0.2.9'] }, 'y.other.test': ok })),
    ).toBe('y.other.test');
  });

  it('an IPv6 client: ptr and %{p} validate names by AAAA, the whole address; %{v} is ip6', async () => {
    const reverse = '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa';
    const zone: MemoryZone = {
      'example.test': { TXT: ['v=spf1 ptr:v6.example.test -all exp=e.example.test'] },
      'e.example.test': { TXT: ['%{p} %{v}'] },
      [reverse]: { PTR: ['v6.example.test', 'w6.example.test'] },
      // Same /32 as the client, and an A record of another family: neither validates the name.
      'v6.example.test': { A: ['192.0.2.1'], AAAA: ['2001:db8::2'] },
      'w6.example.test': { AAAA: ['2001:db8::1'] },
    };
    const got = await checkHost(memoryResolver(zone), {
      ip: '2001:db8::1',
      domain: 'example.test',
      sender: 'a@example.test',
      helo: 'h.example.test',
    });
    expect(got.result).toBe('fail');
    expect(got.explanation).toBe('w6.example.test ip6');
    const pass = await checkHost(
      memoryResolver({ ...zone, 'example.test': { TXT: ['v=spf1 ptr:w6.example.test -all'] } }),
      { ip: '2001:db8::1', domain: 'example.test', sender: 'a@example.test', helo: 'h.example.test' },
    );
    expect(pass).toMatchObject({ result: 'pass', mechanism: 'ptr:w6.example.test' });
  });

  it('macro transformers: delimiters, reversal, label counts, and URL escapes for upper-case letters', async () => {
    const zone: MemoryZone = {
      'example.test': { TXT: ['v=spf1 -all exp=e.example.test'] },
      'e.example.test': { TXT: ['%{l-} %{lr-} %{l1r-} %{l2+-} %{L} %{S}'] },
    };
    expect((await check('192.0.2.1', zone, 'a-b+c@example.test')).explanation).toBe(
      'a.b+c b+c.a a b.c a-b%2Bc a-b%2Bc%40example.test',
    );
  });

  it('a macro in an include target is expanded (%{d2}: the last two labels)', async () => {
    const zone: MemoryZone = {
      'example.test': { TXT: ['v=spf1 include:%{d2}.x.example.test -all'] },
      'example.test.x.example.test': { TXT: ['v=spf1 +all'] },
    };
    expect(await outcome(check('192.0.2.1', zone))).toEqual({
      result: 'pass',
      reason: matched('include:%{d2}.x.example.test'),
      mechanism: 'include:%{d2}.x.example.test',
      lookups: 1,
      voidLookups: 0,
    });
  });

  it('an expanded name over 253 characters loses labels from the left', async () => {
    const long = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}.test`;
    const log: string[] = [];
    await check('192.0.2.1', { 'example.test': { TXT: [`v=spf1 exists:%{i}.${long} -all`] } }, 'a@example.test', log);
    expect(log).toEqual(['example.test/TXT', `${long.slice(64)}/A`]);
    // A longer name without a dot has no label to lose: it stays too long, and nothing is asked.
    const log300: string[] = [];
    const got = await check(
      '192.0.2.1',
      { 'example.test': { TXT: ['v=spf1 exists:%{l} -all'] } },
      `${'l'.repeat(300)}@example.test`,
      log300,
    );
    expect(got.result).toBe('fail');
    expect(log300).toEqual(['example.test/TXT']);
    // Exactly 253 characters ("192.0.2.1." and 243 more) is kept whole.
    const exact = `${'e'.repeat(63)}.${'f'.repeat(63)}.${'g'.repeat(63)}.${'h'.repeat(46)}.test`;
    const log253: string[] = [];
    await check(
      '192.0.2.1',
      { 'example.test': { TXT: [`v=spf1 exists:%{i}.${exact} -all`] } },
      'a@example.test',
      log253,
    );
    expect(`192.0.2.1.${exact}`).toHaveLength(253);
    expect(log253).toEqual(['example.test/TXT', `192.0.2.1.${exact}/A`]);
  });
});

describe('check_host() errors and limits', () => {
  const Z = (record: string, extra: MemoryZone = {}): MemoryZone => ({ 'example.test': { TXT: [record] }, ...extra });
  const run = (zone: MemoryZone) => outcome(check('192.0.2.1', zone));

  it('not an IP address is a permerror with an empty tree', async () => {
    const got = await checkHost(memoryResolver({}), { ip: 'not-ip', domain: 'Example.Test', sender: '', helo: 'h' });
    expect(got).toEqual({
      result: 'permerror',
      reason: '"not-ip" is not an IP address',
      lookups: 0,
      voidLookups: 0,
      tree: { domain: 'example.test', via: 'top', lookups: 0, totalLookups: 0, children: [] },
    });
  });

  it('include results: none and errors are errors, neutral and softfail do not match', async () => {
    // The target is named without its trailing dot.
    expect(await run(Z('v=spf1 include:none.example.test. -all'))).toMatchObject({
      result: 'permerror',
      reason: 'include:none.example.test has no SPF record',
    });
    expect(await run(Z('v=spf1 include:none.example.test -all'))).toEqual({
      result: 'permerror',
      reason: 'include:none.example.test has no SPF record',
      lookups: 1,
      voidLookups: 0,
    });
    expect(await run(Z('v=spf1 include:t.example.test -all', { 't.example.test': { TXT: 'SERVFAIL' } }))).toEqual({
      result: 'temperror',
      reason: 'include:t.example.test gave temperror: DNS error looking up the SPF record of t.example.test',
      failedQuery: { question: 't.example.test/TXT', rcode: 'SERVFAIL' },
      lookups: 1,
      voidLookups: 0,
    });
    expect(await run(Z('v=spf1 include:p.example.test -all', { 'p.example.test': { TXT: ['v=spf1 foo'] } }))).toEqual({
      result: 'permerror',
      reason:
        'include:p.example.test gave permerror: syntax error in the SPF record of p.example.test: unknown mechanism "foo"',
      lookups: 1,
      voidLookups: 0,
    });
    expect(
      await run(Z('v=spf1 include:n.example.test ~all', { 'n.example.test': { TXT: ['v=spf1 ?all'] } })),
    ).toMatchObject({
      result: 'softfail',
      mechanism: '~all',
    });
    expect(
      await run(Z('v=spf1 include:n.example.test ?all', { 'n.example.test': { TXT: ['v=spf1 ~all'] } })),
    ).toMatchObject({
      result: 'neutral',
      mechanism: '?all',
    });
  });

  it('MX: a DNS error is a temperror, more than 10 names a permerror, none a void lookup', async () => {
    expect(await run({ 'example.test': { TXT: ['v=spf1 mx -all'], MX: 'SERVFAIL' } })).toEqual({
      result: 'temperror',
      reason: 'DNS error on example.test/MX',
      failedQuery: { question: 'example.test/MX', rcode: 'SERVFAIL' },
      lookups: 1,
      voidLookups: 0,
    });
    const eleven = Array.from({ length: 11 }, (_, i) => ({ preference: i, exchange: `m${i}.example.test` }));
    expect(await run({ 'example.test': { TXT: ['v=spf1 mx -all'], MX: eleven } })).toEqual({
      result: 'permerror',
      reason: 'mx:example.test has 11 MX records (limit 10)',
      lookups: 1,
      voidLookups: 0,
    });
    // Exactly 10 names is within the limit.
    const ten = Array.from({ length: 10 }, (_, i) => ({ preference: i, exchange: `m${i}.example.test` }));
    expect(
      await run({ 'example.test': { TXT: ['v=spf1 mx -all'], MX: ten }, 'm9.example.test': { A: ['192.0.2.1'] } }),
    ).toMatchObject({ result: 'pass', mechanism: 'mx' });
    expect(await run(Z('v=spf1 mx:v1.example.test mx:v2.example.test mx:v3.example.test -all'))).toEqual({
      result: 'permerror',
      reason: 'more than 2 void lookups, the last v3.example.test/MX (RFC 7208 §4.6.4)',
      lookups: 3,
      voidLookups: 3,
    });
    expect(
      await run(Z('v=spf1 mx:nomx.example.test -all', { 'nomx.example.test': { A: ['192.0.2.1'] } })),
    ).toMatchObject({
      result: 'fail',
      voidLookups: 1,
    });
  });

  it('a, mx and exists at a name that is not a valid domain do not match and ask nothing', async () => {
    for (const term of ['a:%{h}', 'mx:%{h}', 'exists:%{h}']) {
      const log: string[] = [];
      const got = await checkHost(memoryResolver(Z(`v=spf1 ${term} -all`), log), {
        ip: '192.0.2.1',
        domain: 'example.test',
        sender: 'a@example.test',
        helo: 'localhost',
      });
      expect(got.result, term).toBe('fail');
      expect(got.voidLookups, term).toBe(0);
      expect(log, term).toEqual(['example.test/TXT']);
    }
  });

  it('A and exists: a DNS error is a temperror naming the question; a CIDR widens the match', async () => {
    for (const term of ['a:s.example.test', 'exists:s.example.test']) {
      expect(await run(Z(`v=spf1 ${term} -all`, { 's.example.test': { A: 'SERVFAIL' } }))).toEqual({
        result: 'temperror',
        reason: 'DNS error on s.example.test/A',
        failedQuery: { question: 's.example.test/A', rcode: 'SERVFAIL' },
        lookups: 1,
        voidLookups: 0,
      });
    }
    expect(await run(Z('v=spf1 a:s.example.test/24 -all', { 's.example.test': { A: ['192.0.2.200'] } }))).toMatchObject(
      {
        result: 'pass',
      },
    );
    expect(await run(Z('v=spf1 a:s.example.test/25 -all', { 's.example.test': { A: ['192.0.2.200'] } }))).toMatchObject(
      {
        result: 'fail',
      },
    );
  });

  it('exists asks A even for an IPv6 client (RFC 7208 §5.7)', async () => {
    const log: string[] = [];
    const zone = Z('v=spf1 exists:e.example.test -all', { 'e.example.test': { A: ['127.0.0.2'] } });
    const got = await checkHost(memoryResolver(zone, log), {
      ip: '2001:db8::1',
      domain: 'example.test',
      sender: 'a@example.test',
      helo: 'h.example.test',
    });
    expect(got.result).toBe('pass');
    // The same question may be asked twice: once ahead of the evaluation (spf-prefetch.ts), once by it.
    expect([...new Set(log)]).toEqual(['example.test/TXT', 'e.example.test/A']);
  });

  it('a DNS error on the PTR lookup is no match, not a temperror (RFC 7208 §5.5)', async () => {
    expect(await run(Z('v=spf1 ptr -all', { '1.2.0.192.in-addr.arpa': { PTR: 'SERVFAIL' } }))).toEqual({
      result: 'fail',
      reason: matched('-all'),
      mechanism: '-all',
      explanation: SPF_DEFAULT_EXPLANATION,
      lookups: 1,
      voidLookups: 0,
    });
  });

  it('redirect: the target decides; a target without a record is a permerror (RFC 7208 §6.1)', async () => {
    expect(await run(Z('v=spf1 redirect=none.example.test'))).toEqual({
      result: 'permerror',
      reason: 'redirect=none.example.test has no SPF record (RFC 7208 §6.1)',
      lookups: 1,
      voidLookups: 0,
    });
    const zone = Z('v=spf1 redirect=r.example.test', { 'r.example.test': { TXT: ['v=spf1 ip4:192.0.2.1 -all'] } });
    const got = await check('192.0.2.1', zone);
    expect(got).toMatchObject({
      result: 'pass',
      reason: matched('ip4:192.0.2.1', 'r.example.test'),
      mechanism: 'ip4:192.0.2.1',
      lookups: 1,
    });
    expect(got.tree.children).toEqual([
      {
        domain: 'r.example.test',
        via: 'redirect',
        record: 'v=spf1 ip4:192.0.2.1 -all',
        lookups: 0,
        totalLookups: 0,
        result: 'pass',
        children: [],
      },
    ]);
    expect(got.tree.totalLookups).toBe(1);
  });

  it('records: two, non-ASCII, a syntax error, none, a DNS error', async () => {
    expect(await run({ 'example.test': { TXT: ['v=spf1 -all', 'v=spf1 +all'] } })).toEqual({
      result: 'permerror',
      reason: 'example.test publishes 2 SPF records (RFC 7208 §4.5)',
      lookups: 0,
      voidLookups: 0,
    });
    expect(await run(Z('v=spf1 a:ex\u00e9.test -all'))).toEqual({
      result: 'permerror',
      reason: 'the SPF record of example.test has non-ASCII characters',
      lookups: 0,
      voidLookups: 0,
    });
    expect(await run(Z('v=spf1 a:ex\u0007.test -all'))).toMatchObject({
      result: 'permerror',
      reason: 'the SPF record of example.test has non-ASCII characters',
    });
    expect(await run(Z('v=spf1 foo -all'))).toEqual({
      result: 'permerror',
      reason: 'syntax error in the SPF record of example.test: unknown mechanism "foo"',
      lookups: 0,
      voidLookups: 0,
    });
    expect(await run({ 'example.test': { TXT: ['hello'] } })).toEqual({
      result: 'none',
      reason: 'example.test publishes no SPF record',
      lookups: 0,
      voidLookups: 0,
    });
    expect(await run({ 'example.test': { TXT: 'TIMEOUT' } })).toEqual({
      result: 'temperror',
      reason: 'DNS error looking up the SPF record of example.test',
      failedQuery: { question: 'example.test/TXT', rcode: 'TIMEOUT' },
      lookups: 0,
      voidLookups: 0,
    });
  });

  it('no term matches and no redirect: neutral (RFC 7208 §4.7)', async () => {
    expect(await run(Z('v=spf1 ip4:198.51.100.1'))).toEqual({
      result: 'neutral',
      reason: 'no mechanism matched in the record of example.test (default neutral, RFC 7208 §4.7)',
      lookups: 0,
      voidLookups: 0,
    });
  });

  it('more than 10 DNS-querying terms, or more than 2 void lookups, is a permerror (RFC 7208 §4.6.4)', async () => {
    const hosts = Object.fromEntries(
      Array.from({ length: 11 }, (_, i) => [`h${i}.example.test`, { A: ['198.51.100.9'] }]),
    );
    const terms = Array.from({ length: 11 }, (_, i) => `a:h${i}.example.test`).join(' ');
    expect(await run(Z(`v=spf1 ${terms} -all`, hosts))).toEqual({
      result: 'permerror',
      reason: 'more than 10 DNS-querying terms (RFC 7208 §4.6.4)',
      lookups: 11,
      voidLookups: 0,
    });
    expect(await run(Z('v=spf1 a:v1.example.test a:v2.example.test a:v3.example.test -all'))).toEqual({
      result: 'permerror',
      reason: 'more than 2 void lookups, the last v3.example.test/A (RFC 7208 §4.6.4)',
      lookups: 3,
      voidLookups: 3,
    });
    expect(await run(Z('v=spf1 a:v1.example.test a:v2.example.test -all'))).toMatchObject({
      result: 'fail',
      voidLookups: 2,
    });
    expect(await run(Z('v=spf1 a:v1.example.test a:v2.example.test exists:v3.example.test -all'))).toMatchObject({
      result: 'permerror',
      reason: 'more than 2 void lookups, the last v3.example.test/A (RFC 7208 §4.6.4)',
    });
    expect(await run(Z('v=spf1 a:v1.example.test a:v2.example.test ptr -all'))).toMatchObject({
      result: 'permerror',
      reason: 'more than 2 void lookups, the last 1.2.0.192.in-addr.arpa/PTR (RFC 7208 §4.6.4)',
    });
  });

  it('the limits can be given', async () => {
    const got = await checkHost(
      memoryResolver(Z('v=spf1 a:v1.example.test a:v2.example.test -all', { 'v2.example.test': { A: ['192.0.2.1'] } })),
      { ip: '192.0.2.1', domain: 'example.test', sender: 'a@example.test', helo: 'h' },
      { ...SPF_LIMITS, maxDnsTerms: 1 },
    );
    expect(got).toMatchObject({ result: 'permerror', reason: 'more than 1 DNS-querying terms (RFC 7208 §4.6.4)' });
    const voids = await checkHost(
      memoryResolver(Z('v=spf1 a:v1.example.test -all')),
      { ip: '192.0.2.1', domain: 'example.test', sender: 'a@example.test', helo: 'h' },
      { ...SPF_LIMITS, maxVoidLookups: 0 },
    );
    expect(voids.reason).toBe('more than 0 void lookups, the last v1.example.test/A (RFC 7208 §4.6.4)');
  });

  it('exp= problems give the default explanation (RFC 7208 §6.2)', async () => {
    const problems: MemoryZone[] = [
      {},
      { 'e.example.test': { TXT: ['one', 'two'] } },
      { 'e.example.test': { TXT: ['bad\u0007'] } },
      { 'e.example.test': { TXT: ['%{x}'] } },
      { 'e.example.test': { TXT: ['bad %x escape'] } },
      { 'e.example.test': { TXT: 'SERVFAIL' } },
    ];
    for (const extra of problems) {
      expect((await check('192.0.2.1', Z('v=spf1 -all exp=e.example.test', extra))).explanation).toBe(
        SPF_DEFAULT_EXPLANATION,
      );
    }
    expect(
      (await check('192.0.2.1', Z('v=spf1 -all exp=%{h}', { 'helo.example.test': { TXT: ['x'] } }))).explanation,
    ).toBe('x');
    const single = await checkHost(memoryResolver(Z('v=spf1 -all exp=%{h}', { localhost: { TXT: ['x'] } })), {
      ip: '192.0.2.1',
      domain: 'example.test',
      sender: 'a@example.test',
      helo: 'localhost',
    });
    expect(single.explanation).toBe(SPF_DEFAULT_EXPLANATION);
    expect((await check('192.0.2.1', Z('v=spf1 -all'))).explanation).toBe(SPF_DEFAULT_EXPLANATION);
  });

  it('domains that are not valid multi-label names give none (RFC 7208 §4.3)', async () => {
    for (const domain of [
      'example',
      'example.test..',
      `${'a'.repeat(64)}.test`,
      'a..test',
      '.',
      `${'a.'.repeat(126)}ab`,
    ]) {
      const got = await checkHost(memoryResolver({ [domain]: { TXT: ['v=spf1 +all'] } }), {
        ip: '192.0.2.1',
        domain,
        sender: '',
        helo: 'h',
      });
      expect(got, domain).toMatchObject({
        result: 'none',
        reason: `"${domain}" is not a valid multi-label domain name (RFC 7208 §4.3)`,
      });
    }
    // 253 characters, with or without the trailing dot, is the longest name.
    for (const domain of [
      'example.test.',
      `${'a'.repeat(63)}.test`,
      `${'a.'.repeat(125)}abc`,
      `${'a.'.repeat(125)}abc.`,
    ]) {
      const got = await checkHost(memoryResolver({ [domain]: { TXT: ['v=spf1 +all'] } }), {
        ip: '192.0.2.1',
        domain,
        sender: '',
        helo: 'h',
      });
      expect(got.result, domain).toBe('pass');
    }
  });
});
