import { readFile } from 'node:fs/promises';
import type * as packet from 'dns-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { DnsClient } from '../../../src/collect/dns/dns-client.js';
import { liveCollector } from '../../../src/collect/live/live-collector.js';
import { evaluate } from '../../../src/evaluate/evaluate.js';
import { silentLogger } from '../../../src/logger.js';
import { parsePolicy } from '../../../src/policy/parse-policy.js';
import { replyTo, startFakeDnsServer, type FakeDnsServer } from '../../helpers/fake-dns-server.js';

/**
 * The bad-input list, end to end: a loopback DNS server that misbehaves, our client,
 * the DNS-only collector and the email-auth checks. Every control of an affected domain ends
 * `error` with the failing query as evidence; none is pass or fail, nothing crashes or hangs.
 * (Non-ASCII bytes, 10 KB records and 100 strings come from real Knot in test/integration.)
 */
let servers: FakeDnsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

const spfTxt = (name: string): packet.Answer => ({ type: 'TXT', name, ttl: 300, class: 'IN', data: ['v=spf1 +all'] });

function under(name: string, domain: string): boolean {
  return name === domain || name.endsWith(`.${domain}`);
}

async function audit(dns: DnsClient, domains: string[]) {
  const { policy } = parsePolicy(
    await readFile('policies/baseline.json', 'utf8'),
    'policies/baseline.json',
    new Date(),
  );
  const collector = liveCollector({
    mode: 'dns-only',
    tenantId: null,
    clients: { dns },
    extraDomains: domains,
    now: () => new Date(),
  });
  const snapshot = await collector.collect({ sources: new Set(['dns']), policy, logger: silentLogger });
  const evaluation = await evaluate(snapshot, policy, {
    now: new Date(),
    only: ['email-auth'],
    domains: snapshot.manifest.domains ?? [],
  });
  return evaluation.results;
}

describe('bad DNS input ends in error with evidence (DNS-only audit over a misbehaving loopback server)', () => {
  it('garbage, a mismatched ID and a mismatched question: every control error, the failing query in evidence', async () => {
    const server = await startFakeDnsServer((query) => {
      const name = query.questions?.[0]?.name ?? '';
      // Garbage: not a DNS message at all.
      if (under(name, 'garbage.test')) return Buffer.from('this is not a DNS message at all');
      // A reply with another ID: an off-path spoofing attempt looks like this (RFC 5452 §9.1).
      if (under(name, 'wrongid.test')) return { ...replyTo(query, [spfTxt(name)]), id: ((query.id ?? 0) + 1) & 0xffff };
      // Our ID, but the answer to another question.
      if (under(name, 'wrongq.test')) {
        return {
          ...replyTo(query, [spfTxt('evil.test')]),
          questions: [{ name: 'evil.test', type: 'TXT', class: 'IN' }],
        };
      }
      return replyTo(query, [], 0, 3);
    });
    servers.push(server);
    const dns = new DnsClient({
      servers: [{ kind: 'dns', host: server.address, port: server.port }],
      timeoutMs: 1000,
      retries: 0,
    });
    const domains = ['garbage.test', 'wrongid.test', 'wrongq.test'];
    const results = await audit(dns, domains);
    dns.close();
    const reasons: Record<string, RegExp> = {
      'garbage.test': /unknown ID or too short/,
      'wrongid.test': /unknown ID/,
      'wrongq.test': /question evil\.test\/TXT does not match wrongq\.test\/TXT/,
    };
    for (const domain of domains) {
      const mine = results.filter((r) => r.target === domain);
      expect(mine.length, domain).toBeGreaterThan(3);
      for (const result of mine) {
        expect(result.status, `${result.control} ${domain}`).not.toBe('pass');
        expect(result.status, `${result.control} ${domain}`).not.toBe('fail');
      }
      const spf = mine.find((r) => r.control === 'spf.record');
      expect(spf?.status, domain).toBe('error');
      expect(spf?.evidence.failedQuery, domain).toMatchObject({
        question: `${domain}/TXT`,
        rcode: 'MALFORMED',
        detail: expect.stringMatching(reasons[domain] ?? /./),
      });
      expect(mine.find((r) => r.control === 'dmarc.record')?.status, domain).toBe('error');
    }
  });

  it('a server that never answers: the DNS phase deadline ends the run, every control error with TIMEOUT', async () => {
    // It answers only for answered.test, so the run got some answer and the source itself is ok
    // (a server that answers nothing at all fails the dns source: test/e2e/nothing-audited.test.ts).
    const server = await startFakeDnsServer((query) =>
      under(query.questions?.[0]?.name ?? '', 'answered.test') ? replyTo(query, [], 0, 3) : undefined,
    );
    servers.push(server);
    const dns = new DnsClient({
      servers: [{ kind: 'dns', host: server.address, port: server.port }],
      timeoutMs: 2000,
      retries: 2,
      phaseTimeoutMs: 1500,
    });
    const started = Date.now();
    const results = (await audit(dns, ['silent.test', 'silent2.test', 'answered.test'])).filter(
      (r) => r.target !== 'answered.test',
    );
    const elapsed = Date.now() - started;
    dns.close();
    // Without the deadline this would take 6 s per question (3 attempts of 2 s), several in
    // sequence per domain; the bound leaves room for a loaded machine.
    expect(elapsed).toBeLessThan(6000);
    expect(results.length).toBeGreaterThan(6);
    for (const result of results)
      expect(['error', 'not_evaluable'], `${result.control} ${result.target}`).toContain(result.status);
    const spf = results.find((r) => r.control === 'spf.record' && r.target === 'silent.test');
    expect(spf?.status).toBe('error');
    expect(spf?.evidence.failedQuery).toMatchObject({ question: 'silent.test/TXT', rcode: 'TIMEOUT' });
  });
});
