import { describe, expect, it } from 'vitest';
import {
  appliedPolicy,
  type DmarcDiscovery,
  discoverDmarc,
  organizationalDomain,
  treeWalkNames,
} from '../../src/mailauth/dmarc-discovery.js';
import { memoryResolver, type MemoryZone } from '../helpers/memory-resolver.js';

function found(discovery: DmarcDiscovery): Extract<DmarcDiscovery, { status: 'found' }> {
  if (discovery.status !== 'found') throw new Error(`expected a record, got ${JSON.stringify(discovery)}`);
  return discovery;
}

describe('tree walk names (RFC 9989 §4.10.1)', () => {
  it('a short name walks up one label at a time to the TLD', () => {
    expect(treeWalkNames('A.Mail.Example.Test.')).toEqual([
      'a.mail.example.test',
      'mail.example.test',
      'example.test',
      'test',
    ]);
    expect(treeWalkNames('test')).toEqual(['test']);
  });

  it('a long name jumps to its last 7 labels and asks 8 names in all', () => {
    expect(treeWalkNames('a.b.c.d.e.f.g.h.i.test')).toEqual([
      'a.b.c.d.e.f.g.h.i.test',
      'd.e.f.g.h.i.test',
      'e.f.g.h.i.test',
      'f.g.h.i.test',
      'g.h.i.test',
      'h.i.test',
      'i.test',
      'test',
    ]);
  });
});

describe('DMARC policy discovery (RFC 9989 §4.10)', () => {
  it('finds the record at the domain itself, with its text, and records the step', async () => {
    const zone: MemoryZone = { '_dmarc.example.test': { TXT: ['note: v=DMARC1 is below', 'v=DMARC1; p=reject'] } };
    const d = found(await discoverDmarc(memoryResolver(zone), 'Example.Test'));
    expect(d.domain).toBe('example.test');
    expect(d.policyDomain).toBe('example.test');
    expect(d.recordText).toBe('v=DMARC1; p=reject');
    expect(d.record.p).toBe('reject');
    expect(d.steps).toEqual([{ domain: 'example.test', outcome: 'record' }]);
  });

  it('keeps the record text as published, blanks around "=" included', async () => {
    const zone: MemoryZone = { '_dmarc.example.test': { TXT: ['v = DMARC1; p=none'] } };
    expect(found(await discoverDmarc(memoryResolver(zone), 'example.test')).recordText).toBe('v = DMARC1; p=none');
  });

  it('walks up past names without a record, recording each', async () => {
    const zone: MemoryZone = {
      '_dmarc.mail.example.test': { TXT: ['v=DMARC1; p=bogus'] },
      '_dmarc.example.test': { TXT: ['v=DMARC1; p=quarantine'] },
    };
    const d = found(await discoverDmarc(memoryResolver(zone), 'a.mail.example.test'));
    expect(d.policyDomain).toBe('example.test');
    expect(d.steps).toEqual([
      { domain: 'a.mail.example.test', outcome: 'no-record', detail: 'no TXT record starts with v=DMARC1' },
      { domain: 'mail.example.test', outcome: 'bad-value', detail: 'invalid p=bogus' },
      { domain: 'example.test', outcome: 'record' },
    ]);
  });

  it('no record anywhere on the walk is none, with every step', async () => {
    const d = await discoverDmarc(memoryResolver({}), 'example.test');
    expect(d).toEqual({
      status: 'none',
      domain: 'example.test',
      reason: 'no DMARC record on the tree walk',
      steps: [
        { domain: 'example.test', outcome: 'no-record', detail: 'no TXT record starts with v=DMARC1' },
        { domain: 'test', outcome: 'no-record', detail: 'no TXT record starts with v=DMARC1' },
      ],
    });
  });

  it('several records at one name end discovery with no policy, even with a record above', async () => {
    const zone: MemoryZone = {
      '_dmarc.mail.example.test': { TXT: ['v=DMARC1; p=none', 'v=DMARC1; p=reject'] },
      '_dmarc.example.test': { TXT: ['v=DMARC1; p=reject'] },
    };
    expect(await discoverDmarc(memoryResolver(zone), 'mail.example.test')).toEqual({
      status: 'none',
      domain: 'mail.example.test',
      reason: '2 DMARC records at _dmarc.mail.example.test',
      steps: [{ domain: 'mail.example.test', outcome: 'multiple-records', detail: '2 DMARC records' }],
    });
  });

  it('a failed lookup is a temperror naming the question, with the steps so far', async () => {
    const zone: MemoryZone = { '_dmarc.example.test': { TXT: 'SERVFAIL' } };
    expect(await discoverDmarc(memoryResolver(zone), 'mail.example.test')).toEqual({
      status: 'temperror',
      domain: 'mail.example.test',
      failed: { question: '_dmarc.example.test/TXT', rcode: 'SERVFAIL' },
      steps: [{ domain: 'mail.example.test', outcome: 'no-record', detail: 'no TXT record starts with v=DMARC1' }],
    });
  });
});

describe('organizational domain by DNS (RFC 9989 §4.10.2)', () => {
  it('the record with the fewest labels wins', async () => {
    const zone: MemoryZone = {
      '_dmarc.mail.example.test': { TXT: ['v=DMARC1; p=none'] },
      '_dmarc.example.test': { TXT: ['v=DMARC1; p=none'] },
    };
    expect(await organizationalDomain(memoryResolver(zone), 'a.mail.example.test')).toEqual({
      ok: true,
      domain: 'example.test',
    });
  });

  it('psd=n makes its own domain the organizational domain', async () => {
    const zone: MemoryZone = {
      '_dmarc.mail.example.test': { TXT: ['v=DMARC1; p=none; psd=n'] },
      '_dmarc.example.test': { TXT: ['v=DMARC1; p=none'] },
    };
    expect(await organizationalDomain(memoryResolver(zone), 'a.mail.example.test')).toEqual({
      ok: true,
      domain: 'mail.example.test',
    });
  });

  it('psd=y makes the name one label below it the organizational domain, or the name itself', async () => {
    const zone: MemoryZone = { '_dmarc.test': { TXT: ['v=DMARC1; p=none; psd=y'] } };
    expect(await organizationalDomain(memoryResolver(zone), 'a.example.test')).toEqual({
      ok: true,
      domain: 'example.test',
    });
    expect(await organizationalDomain(memoryResolver(zone), 'Test')).toEqual({ ok: true, domain: 'test' });
  });

  it('no record: the domain itself; a failed lookup: the question', async () => {
    expect(await organizationalDomain(memoryResolver({}), 'A.Example.Test')).toEqual({
      ok: true,
      domain: 'a.example.test',
    });
    const zone: MemoryZone = { '_dmarc.example.test': { TXT: 'TIMEOUT' } };
    expect(await organizationalDomain(memoryResolver(zone), 'a.example.test')).toEqual({
      ok: false,
      failed: { question: '_dmarc.example.test/TXT', rcode: 'TIMEOUT' },
    });
  });
});

describe('the policy that applies (RFC 9989 §5.3.6)', () => {
  const parent = (record: string, extra: MemoryZone = {}): MemoryZone => ({
    '_dmarc.example.test': { TXT: [record] },
    'example.test': { A: ['192.0.2.1'] },
    ...extra,
  });

  it('p for the domain itself, without asking for its address', async () => {
    const log: string[] = [];
    const resolver = memoryResolver(parent('v=DMARC1; p=reject; sp=none; np=quarantine'), log);
    const d = found(await discoverDmarc(resolver, 'example.test'));
    expect(await appliedPolicy(resolver, d)).toEqual({
      ok: true,
      applied: { policy: 'reject', tag: 'p', testing: false },
    });
    expect(log).toEqual(['_dmarc.example.test/TXT']);
  });

  it('sp for an existing subdomain, asked by its A record when np is set', async () => {
    const log: string[] = [];
    const zone = parent('v=DMARC1; p=reject; sp=none; np=quarantine', { 'mail.example.test': { A: ['192.0.2.2'] } });
    const resolver = memoryResolver(zone, log);
    const d = found(await discoverDmarc(resolver, 'mail.example.test'));
    expect(await appliedPolicy(resolver, d)).toEqual({
      ok: true,
      applied: { policy: 'none', tag: 'sp', testing: false },
    });
    expect(log).toContain('mail.example.test/A');
  });

  it('np for a subdomain that does not exist', async () => {
    const resolver = memoryResolver(parent('v=DMARC1; p=reject; sp=none; np=quarantine'));
    const d = found(await discoverDmarc(resolver, 'gone.example.test'));
    expect(await appliedPolicy(resolver, d)).toEqual({
      ok: true,
      applied: { policy: 'quarantine', tag: 'np', testing: false },
    });
  });

  it('without np, a subdomain that does not exist gets sp and no address is asked', async () => {
    const log: string[] = [];
    const resolver = memoryResolver(
      parent('v=DMARC1; p=reject; sp=quarantine', { 'gone.example.test': { A: 'SERVFAIL' } }),
      log,
    );
    const d = found(await discoverDmarc(resolver, 'gone.example.test'));
    expect(await appliedPolicy(resolver, d)).toEqual({
      ok: true,
      applied: { policy: 'quarantine', tag: 'sp', testing: false },
    });
    expect(log.some((q) => q.endsWith('/A'))).toBe(false);
  });

  it('a failed address lookup is the question, not a policy', async () => {
    const resolver = memoryResolver(parent('v=DMARC1; p=reject; np=none', { 'mail.example.test': { A: 'SERVFAIL' } }));
    const d = found(await discoverDmarc(resolver, 'mail.example.test'));
    expect(await appliedPolicy(resolver, d)).toEqual({
      ok: false,
      failed: { question: 'mail.example.test/A', rcode: 'SERVFAIL' },
    });
  });

  it('t=y lowers reject to quarantine and quarantine to none', async () => {
    for (const [p, expected] of [
      ['reject', 'quarantine'],
      ['quarantine', 'none'],
      ['none', 'none'],
    ] as const) {
      const resolver = memoryResolver(parent(`v=DMARC1; p=${p}; t=y`));
      const d = found(await discoverDmarc(resolver, 'example.test'));
      expect(await appliedPolicy(resolver, d)).toEqual({
        ok: true,
        applied: { policy: expected, tag: 'p', testing: true },
      });
    }
  });
});
