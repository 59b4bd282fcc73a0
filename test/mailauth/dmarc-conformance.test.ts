import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { organizationalDomain, treeWalkNames } from '../../src/mailauth/dmarc-discovery.js';
import { parseDmarcRecord, selectDmarcRecord, type DmarcParse } from '../../src/mailauth/dmarc-record.js';
import { verifyDmarc } from '../../src/mailauth/dmarc-verify.js';
import { pslAligned, pslOrganizationalDomain } from '../../src/mailauth/org-domain.js';
import { memoryResolver, type MemoryZone } from '../helpers/memory-resolver.js';

const DIR = new URL('../fixtures/conformance/dmarc/', import.meta.url);
const load = <T>(file: string): T => JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as T;

interface ParsingCase {
  id: string;
  record?: string;
  txt_rrset?: string[][];
  expected: Record<string, unknown> & { valid: boolean | string; error?: string };
}
interface EvalCase {
  id: string;
  zone: Record<string, Record<string, unknown> | string>;
  input: { header_from: string; dkim_pass_domains: string[]; spf_pass_domains: string[] };
  expected: {
    result: string;
    policy?: string;
    policy_domain?: string;
    dkim_aligned?: boolean;
    spf_aligned?: boolean;
    dmarc_queries_rfc9989?: string[];
  };
  spec_basis: 'both' | 'rfc7489' | 'rfc9989';
}

const counts: Record<string, { passed: number; total: number }> = {};
const notes: string[] = [];
function count(set: string, ok: boolean): void {
  const c = counts[set] ?? { passed: 0, total: 0 };
  counts[set] = c;
  c.total++;
  if (ok) c.passed++;
}

/** The expectation fields our parsed record is compared on. */
function view(parsed: DmarcParse): Record<string, unknown> {
  if (!parsed.ok) return { valid: false, error: parsed.error };
  const r = parsed.record;
  return {
    valid: true,
    p: r.p,
    sp: r.sp,
    np: r.npExplicit ? r.np : undefined,
    adkim: r.adkim,
    aspf: r.aspf,
    fo: r.fo,
    pct: r.pct,
    rf: r.rf,
    ri: r.ri,
    rua: r.rua,
    ruf: r.ruf,
    psd: r.psd === 'u' ? undefined : r.psd,
    t: r.t ? 'y' : undefined,
    p_implied: r.pImplied || undefined,
  };
}

describe('DMARC record parsing (record-parsing.json)', () => {
  const file = load<{ cases: ParsingCase[] }>('record-parsing.json');
  for (const c of file.cases) {
    const defined = typeof c.expected.valid === 'boolean';
    it(defined ? c.id : `${c.id} (implementation-defined: records our verdict, asserts that parsing answers)`, () => {
      const parsed = c.txt_rrset
        ? selectDmarcRecord(c.txt_rrset.map((r) => r.join('')))
        : parseDmarcRecord(c.record ?? '');
      const got = view(parsed);
      if (!defined) {
        notes.push(`${c.id}: implementation-defined; we say ${parsed.ok ? 'valid' : `invalid (${parsed.error})`}`);
        expect(typeof got.valid).toBe('boolean');
        return;
      }
      const expected: Record<string, unknown> = { ...c.expected };
      delete expected.note_rua;
      const subset = Object.fromEntries(Object.keys(expected).map((k) => [k, got[k]]));
      count('record-parsing', JSON.stringify(subset) === JSON.stringify(expected));
      expect(subset).toEqual(expected);
    });
  }
});

function zoneOf(zone: EvalCase['zone']): MemoryZone {
  const out: MemoryZone = {};
  for (const [name, types] of Object.entries(zone)) {
    if (name === '*') continue;
    const t: MemoryZone[string] = {};
    for (const [type, records] of Object.entries(types as Record<string, unknown[]>)) {
      t[type] = records.map((r) => {
        if (type === 'TXT') return r as string[];
        if (type === 'MX') {
          const mx = r as { priority: number; exchange: string };
          return { preference: mx.priority, exchange: mx.exchange };
        }
        return String(r);
      });
    }
    out[name] = t;
  }
  return out;
}

describe('DMARC policy evaluation (policy-evaluation.json, RFC 9989)', () => {
  const file = load<{ cases: EvalCase[] }>('policy-evaluation.json');
  for (const c of file.cases) {
    it(`${c.id} [${c.spec_basis}]`, async () => {
      const log: string[] = [];
      const timeoutAll = c.zone['*'] === 'TIMEOUT';
      const base = memoryResolver(zoneOf(c.zone), log);
      const resolver = timeoutAll ? memoryResolver({}, log) : base;
      const wrapped = timeoutAll
        ? {
            resolve: async (n: string, t: string) => ({
              ...(await resolver.resolve(n, t)),
              rcode: 'TIMEOUT' as const,
              records: [],
            }),
          }
        : resolver;
      const from = c.input.header_from.slice(c.input.header_from.lastIndexOf('@') + 1);
      const got = await verifyDmarc(wrapped, {
        fromDomain: from,
        dkimPassDomains: c.input.dkim_pass_domains,
        spfPassDomains: c.input.spf_pass_domains,
      });
      const view: Record<string, unknown> = {
        result: got.result,
        policy: got.policy,
        policy_domain: got.policyDomain,
        dkim_aligned: got.dkimAligned,
        spf_aligned: got.spfAligned,
      };
      const expected: Record<string, unknown> = { ...c.expected };
      const queries = expected.dmarc_queries_rfc9989;
      delete expected.dmarc_queries_rfc9989;
      const subset = Object.fromEntries(Object.keys(expected).map((k) => [k, view[k]]));
      let ok = JSON.stringify(subset) === JSON.stringify(expected);
      if (Array.isArray(queries)) {
        // The distinct names asked, in order: what a caching resolver sends on the wire.
        const walk = [...new Set(log.filter((q) => q.startsWith('_dmarc.')).map((q) => q.replace(/\/TXT$/, '')))];
        const first = walk.slice(0, queries.length);
        ok = ok && JSON.stringify(first) === JSON.stringify(queries);
        expect(first).toEqual(queries);
      }
      count(`policy-evaluation (${c.spec_basis})`, ok);
      expect(subset).toEqual(expected);
    });
  }
});

describe('Organizational domain (org-domain.json)', () => {
  const file = load<{
    psl_cases: { input: string | null; registrable_domain: string | null }[];
    opendmarc_alignment: { domain: string; other: string; mode: 'r' | 's'; aligned: boolean }[];
    opendmarc_from_domain: { header_value: string; domain: string }[];
  }>('org-domain.json');
  for (const c of file.psl_cases) {
    it(`PSL ${String(c.input)}`, () => {
      const got = c.input === null ? null : (pslOrganizationalDomain(c.input) ?? null);
      count('org-domain psl', got === c.registrable_domain);
      expect(got).toBe(c.registrable_domain);
    });
  }
  for (const c of file.opendmarc_alignment) {
    it(`alignment ${c.domain} ~ ${c.other} (${c.mode})`, () => {
      const got = pslAligned(c.domain, c.other, c.mode);
      count('org-domain alignment', got === c.aligned);
      expect(got).toBe(c.aligned);
    });
  }
  it('tree walk names stop at 8 queries (RFC 9989 §4.10.1)', async () => {
    expect(treeWalkNames('a.b.c.d.e.f.g.h.i.j.k.example.com')).toHaveLength(8);
    const org = await organizationalDomain(
      memoryResolver({ '_dmarc.example.com': { TXT: [['v=DMARC1; p=none']] } }),
      'a.b.example.com',
    );
    expect(org).toEqual({ ok: true, domain: 'example.com' });
  });
  afterAll(() => {
    console.log(
      `DMARC: from-domain extraction cases (${file.opendmarc_from_domain.length}) are not run: mailwarden reads domains from DNS and policy, never From headers.`,
    );
  });
});

afterAll(() => {
  for (const [set, c] of Object.entries(counts)) console.log(`DMARC ${set}: ${c.passed}/${c.total} passed`);
  for (const n of notes) console.log(`  ${n}`);
});
