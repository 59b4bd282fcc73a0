import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/result.js';
import { DOMAIN, findings, goldenTenant, judge, type ForwardingTenant } from './forwarding-tenant.js';

/*
 * dkim.signing in the words and evidence an auditor reads, for every branch: the initial domain,
 * a missing or disabled configuration, each selector's CNAME state, and where a wrong CNAME points.
 * The verdicts alone are pinned in forwarding.test.ts.
 */

const SEL = (s: string) => `${s}-contoso-example._domainkey.contoso.n-v1.dkim.mail.microsoft`;
const SELECTOR2 = `selector2._domainkey.${DOMAIN}`;

function resultFor(results: readonly Result[], target: string): Result {
  const r = results.find((x) => x.target === target);
  if (!r) throw new Error(`no result for ${target}: ${results.map((x) => x.target).join(', ')}`);
  return r;
}

/** The golden tenant with selector2's recorded CNAME answer replaced (undefined: not collected). */
function withSelector2(answer: unknown): ForwardingTenant {
  const t = goldenTenant();
  const answers = { ...t.dns.answers } as Record<string, unknown>;
  if (answer === undefined) delete answers[`${SELECTOR2}/CNAME`];
  else answers[`${SELECTOR2}/CNAME`] = answer;
  t.dns = { answers: answers as ForwardingTenant['dns']['answers'] };
  return t;
}

async function selector2Of(t: ForwardingTenant): Promise<{ result: Result; selector2: unknown }> {
  const result = resultFor(await judge('dkim.signing', t), DOMAIN);
  const selectors = result.evidence.selectors as unknown[];
  return { result, selector2: selectors[1] };
}

describe('dkim.signing in words', () => {
  it('passes a domain whose selectors both match, showing each', async () => {
    const rs = await judge('dkim.signing', goldenTenant());
    const r = resultFor(rs, DOMAIN);
    expect(r.message).toBe('DKIM signing is enabled and both selector CNAMEs match.');
    expect(r.evidence).toEqual({
      domain: DOMAIN,
      configured: true,
      enabled: true,
      status: 'Valid',
      selectors: [
        { selector: 'selector1', expected: SEL('selector1'), state: 'match', found: SEL('selector1') },
        { selector: 'selector2', expected: SEL('selector2'), state: 'match', found: SEL('selector2') },
      ],
    });
    const initial = resultFor(rs, 'contoso.onmicrosoft.com');
    expect(initial).toMatchObject({
      status: 'pass',
      message: 'DKIM signing is enabled (Microsoft-managed initial domain).',
      evidence: { domain: 'contoso.onmicrosoft.com', configured: true, enabled: true, status: null },
    });
  });

  it('passes the initial domain without a configuration as managed by Microsoft, and fails any other', async () => {
    const t = goldenTenant();
    t.dkim = [];
    const rs = await judge('dkim.signing', t);
    expect(resultFor(rs, 'contoso.onmicrosoft.com')).toMatchObject({
      status: 'pass',
      message: 'DKIM signing of the initial domain is managed by Microsoft.',
      evidence: { domain: 'contoso.onmicrosoft.com', configured: false, initial: true },
    });
    expect(resultFor(rs, DOMAIN)).toMatchObject({
      status: 'fail',
      message: 'No DKIM signing configuration: mail is signed with the onmicrosoft.com key, not this domain.',
      evidence: { domain: DOMAIN, configured: false },
    });
  });

  it('fails a configuration with signing off, saying so', async () => {
    const t = goldenTenant();
    t.dkim[0] = { ...t.dkim[0], Enabled: false };
    const r = resultFor(await judge('dkim.signing', t), DOMAIN);
    expect(r.message).toBe('DKIM signing is not enabled for this domain.');
    expect(r.evidence).toEqual({ domain: DOMAIN, configured: true, enabled: false, status: 'Valid' });
  });

  it('fails an initial domain whose configuration has signing off', async () => {
    const t = goldenTenant();
    t.dkim[1] = { ...t.dkim[1], Enabled: false };
    expect(resultFor(await judge('dkim.signing', t), 'contoso.onmicrosoft.com').status).toBe('fail');
  });

  it('finds a configuration named by Identity when Domain is blank', async () => {
    const t = goldenTenant();
    t.dkim[0] = { ...t.dkim[0], Domain: ' ', Identity: DOMAIN.toUpperCase() };
    expect(resultFor(await judge('dkim.signing', t), DOMAIN).status).toBe('pass');
  });

  it('errs when a selector was not looked up, saying which', async () => {
    const { result, selector2 } = await selector2Of(withSelector2(undefined));
    expect(result).toMatchObject({ status: 'error', message: 'The DKIM selector CNAMEs could not be looked up.' });
    expect(selector2).toEqual({
      selector: 'selector2',
      expected: SEL('selector2'),
      state: 'error',
      rcode: 'NOT_COLLECTED',
    });
  });

  it('errs on a failed lookup, naming its answer', async () => {
    const { result, selector2 } = await selector2Of(withSelector2({ rcode: 'SERVFAIL', records: [] }));
    expect(result.status).toBe('error');
    expect(selector2).toEqual({ selector: 'selector2', expected: SEL('selector2'), state: 'error', rcode: 'SERVFAIL' });
  });

  it('fails a selector with no CNAME of its own name, saying it is missing', async () => {
    for (const records of [
      [{ name: `other._domainkey.${DOMAIN}`, type: 'CNAME', ttl: 1, data: SEL('selector2') }],
      [{ name: SELECTOR2, type: 'TXT', ttl: 1, data: SEL('selector2') }],
      [{ name: SELECTOR2, type: 'CNAME', ttl: 1, data: ['not', 'a', 'name'] }],
    ]) {
      const { result, selector2 } = await selector2Of(withSelector2({ rcode: 'NOERROR', records }));
      expect(result.message, JSON.stringify(records)).toBe('A DKIM selector CNAME is missing or points elsewhere.');
      expect(selector2).toEqual({
        selector: 'selector2',
        expected: SEL('selector2'),
        state: 'missing',
        found: null,
        rcode: 'NOERROR',
      });
    }
  });

  it('reads a CNAME record type in any case', async () => {
    const records = [{ name: SELECTOR2, type: 'cname', ttl: 1, data: SEL('selector2') }];
    const { result } = await selector2Of(withSelector2({ rcode: 'NOERROR', records }));
    expect(result.status).toBe('pass');
  });

  it('fails a selector Exchange gives no target for, before any lookup', async () => {
    const t = goldenTenant();
    t.dkim[0] = { ...t.dkim[0], Selector2CNAME: '  ' };
    const { result, selector2 } = await selector2Of(t);
    expect(result.status).toBe('fail');
    expect(selector2).toEqual({
      selector: 'selector2',
      expected: '',
      state: 'missing',
      found: null,
      rcode: 'NO_TARGET',
    });
  });

  it('says where a wrong CNAME points: another tenant of this cloud, another cloud, or no Microsoft target', async () => {
    const cases: [string, string][] = [
      ['selector2-fabrikam-example._domainkey.fabrikam.n-v1.dkim.mail.microsoft', 'a Microsoft 365 global DKIM target'],
      [
        'selector2-contoso-example._domainkey.contoso.onmicrosoft.us',
        'a Microsoft 365 usgov DKIM target (format not documented by Microsoft for that cloud)',
      ],
      ['selector2-evil._domainkey.other.test', 'no Microsoft 365 DKIM target'],
    ];
    for (const [data, looksLike] of cases) {
      const records = [{ name: SELECTOR2, type: 'CNAME', ttl: 1, data }];
      const { result, selector2 } = await selector2Of(withSelector2({ rcode: 'NOERROR', records }));
      expect(result.status).toBe('fail');
      expect(selector2).toEqual({
        selector: 'selector2',
        expected: SEL('selector2'),
        state: 'mismatch',
        found: data,
        rcode: 'NOERROR',
        foundLooksLike: looksLike,
      });
    }
  });

  it('errs, never passes, when no email domain was listed', async () => {
    const t = goldenTenant();
    t.domains = t.domains.map((d) => ({ ...d, supportedServices: [] }));
    const rs = await judge('dkim.signing', t);
    expect(rs).toHaveLength(1);
    expect(rs[0]?.status).toBe('error');
    expect(rs[0]?.message).toMatch(
      /^graph\.domains listed no email domain to sign for, but every tenant has at least its initial \*\.onmicrosoft\.com domain: /,
    );
  });

  it('leaves out a domain the policy excludes, whatever its case', async () => {
    const t = goldenTenant();
    t.dkim = [];
    const rs = await judge('dkim.signing', t, {}, { exclude: [DOMAIN.toUpperCase()] });
    expect(findings(rs)).toEqual([]);
    expect(rs.map((r) => r.target)).toEqual(['contoso.onmicrosoft.com']);
  });
});
