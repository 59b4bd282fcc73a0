import { describe, expect, it } from 'vitest';
import { liveCollector } from '../../src/collect/live/live-collector.js';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { silentLogger } from '../../src/logger.js';
import type { Result } from '../../src/model/result.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import { memorySnapshot } from '../../src/snapshot/snapshot.js';
import { memoryResolver, type MemoryZone } from '../helpers/memory-resolver.js';

/*
 * The DMARC controls in the words and evidence an auditor reads: an own record or an inherited
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
): Promise<Result> {
  const { policy } = parsePolicy(
    JSON.stringify({
      id: 'dmarc-words',
      title: `${control} only`,
      version: '1.0.0',
      description: 'one DMARC control',
      controls: { [control]: { enabled: true, ...params } },
      domains: { include: [], exclude: [], parked: [] },
      exceptions: [],
    }),
    'dmarc-words.json',
    NOW,
  );
  const collector = liveCollector({
    mode: 'dns-only',
    tenantId: null,
    clients: { dns: memoryResolver(zone) },
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
