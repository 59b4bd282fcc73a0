import { describe, expect, it } from 'vitest';
import { checkHost } from '../../src/mailauth/spf-check.js';
import { memoryResolver, type MemoryZone } from '../helpers/memory-resolver.js';

/** Questions asked, and distinct questions, by one check_host() over an in-memory zone. */
async function asked(zone: MemoryZone, ip: string) {
  const log: string[] = [];
  const outcome = await checkHost(memoryResolver(zone, log), {
    ip,
    domain: 'example.test',
    sender: 'a@example.test',
    helo: 'example.test',
  });
  return { outcome, questions: new Set(log) };
}

describe('SPF lookups started ahead of the evaluation (spf-prefetch.ts)', () => {
  // 14 includes: more than the 10-term limit, so the evaluation itself stops with permerror.
  const zone: MemoryZone = {
    'example.test': {
      TXT: [
        `v=spf1 ip4:192.0.2.1 ${Array.from({ length: 14 }, (_, i) => `include:i${i}.example.test`).join(' ')} -all`,
      ],
    },
    ...Object.fromEntries(
      Array.from({ length: 14 }, (_, i) => [`i${i}.example.test`, { TXT: [`v=spf1 a:h${i}.example.test -all`] }]),
    ),
    ...Object.fromEntries(Array.from({ length: 14 }, (_, i) => [`h${i}.example.test`, { A: ['203.0.113.1'] }])),
  };

  it('an early match costs at most 10 unneeded questions (the RFC 7208 §4.6.4 term limit)', async () => {
    const { outcome, questions } = await asked(zone, '192.0.2.1');
    expect(outcome.result).toBe('pass');
    expect(outcome.lookups).toBe(0);
    // The evaluation needed only example.test/TXT; the prefetch asked for the first 10 include targets.
    expect(questions.size).toBe(1 + 10);
  });

  it("never asks beyond 10 prefetched terms per check, and verdicts, term and void counts are the evaluation's", async () => {
    const { outcome, questions } = await asked(zone, '198.51.100.7');
    expect(outcome.result).toBe('permerror');
    expect(outcome.lookups).toBe(11);
    expect(outcome.voidLookups).toBe(0);
    // Whatever the evaluation reached (at most i0..i9 and their a: targets), the rest were prefetched: at most 10.
    const evaluated = new Set(['example.test/TXT', ...Array.from({ length: 10 }, (_, i) => `i${i}.example.test/TXT`)]);
    const extra = [...questions].filter((q) => !evaluated.has(q) && !/^h\d+\.example\.test\/A$/.test(q));
    expect(extra.length).toBeLessThanOrEqual(10);
  });

  it('leaves macro targets and ptr to the evaluation', async () => {
    const macroZone: MemoryZone = {
      'example.test': { TXT: ['v=spf1 exists:%{i}.bl.example.test ptr include:%{d}.x.example.test -all'] },
    };
    const log: string[] = [];
    await checkHost(memoryResolver(macroZone, log), {
      ip: '192.0.2.9',
      domain: 'example.test',
      sender: 'a@example.test',
      helo: 'example.test',
    });
    expect(log.some((q) => q.includes('%'))).toBe(false);
  });
});

describe('SPF prefetch through a resolver that can prefetch', () => {
  it('uses prefetch() instead of resolve() for the lookups it starts ahead', async () => {
    const prefetched: string[] = [];
    const resolved: string[] = [];
    const base = memoryResolver({
      'example.test': { TXT: ['v=spf1 include:a.example.test mx a:h.example.test exists:e.example.test ptr -all'] },
    });
    const resolver = {
      resolve: (name: string, type: string) => {
        resolved.push(`${name}/${type}`);
        return base.resolve(name, type);
      },
      prefetch: (name: string, type: string) => {
        prefetched.push(`${name}/${type}`);
      },
    };
    await checkHost(resolver, { ip: '192.0.2.1', domain: 'example.test', sender: '', helo: 'example.test' });
    expect(prefetched).toEqual(['a.example.test/TXT', 'example.test/MX', 'h.example.test/A', 'e.example.test/A']);
    // The evaluation itself asks through resolve(): the record, then the include target, which has none.
    expect(resolved).toEqual(['example.test/TXT', 'a.example.test/TXT']);
  });

  it('a redirect is prefetched only within the budget of 10', async () => {
    const prefetched: string[] = [];
    const includes = Array.from({ length: 10 }, (_, i) => `include:i${i}.example.test`).join(' ');
    const base = memoryResolver({
      'example.test': { TXT: [`v=spf1 ${includes} redirect=r.example.test`] },
      ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`i${i}.example.test`, { TXT: ['v=spf1 -all'] }])),
    });
    const resolver = {
      resolve: base.resolve,
      prefetch: (name: string, type: string) => void prefetched.push(`${name}/${type}`),
    };
    const got = await checkHost(resolver, {
      ip: '192.0.2.1',
      domain: 'example.test',
      sender: '',
      helo: 'example.test',
    });
    expect(got.result).toBe('permerror');
    expect(prefetched).toHaveLength(10);
    expect(prefetched).not.toContain('r.example.test/TXT');
  });
});
