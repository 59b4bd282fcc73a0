import { describe, expect, it } from 'vitest';
import type { ExistingIssue } from '../../src/issues/existing-issue.js';
import { parseFingerprint, parseState, renderFingerprintMarker } from '../../src/issues/marker.js';
import { planIssues } from '../../src/issues/plan.js';
import { BODY_LIMIT, renderFindingIssue } from '../../src/issues/render.js';
import { demoPolicy, report, result, users, shown, shownResult, place } from './report-fixture.js';

const OPTIONS = { policy: demoPolicy(), maxNewIssues: 20, extraLabels: [] };

function issue(number: number, body: string | null, state: 'open' | 'closed' = 'open'): ExistingIssue {
  return {
    number,
    title: `t${number}`,
    body,
    state,
    stateReason: null,
    labels: ['mailwarden', 'severity:high', 'area:mfa'],
    htmlUrl: `https://github.example/i/${number}`,
    createdAt: '2026-11-01T00:00:00Z',
    closedAt: null,
  };
}

describe('planIssues', () => {
  it('ignores malformed, forged, duplicated and hand-edited markers without crashing', () => {
    const [a] = users(1);
    const fp = a!.fingerprint;
    const bodies = [
      null,
      '',
      '<!-- mailwarden:fingerprint=not-hex -->',
      `${renderFingerprintMarker(fp)}\n${renderFingerprintMarker('0'.repeat(32))}`,
      `text ${renderFingerprintMarker(fp)} inline, not on its own line`,
      '<!-- mailwarden:state={"v":1,"control":{}} -->\n<!-- mailwarden:state=not json -->',
    ];
    const plan = planIssues(
      shown(report([a!])),
      bodies.map((b, i) => issue(i + 1, b)),
      OPTIONS,
    );
    expect(plan.unmatched).toBe(bodies.length);
    expect(plan.operations.map((o) => o.kind)).toEqual(['create']);
    expect(parseState('<!-- mailwarden:state={"v":1,"control":"x","severity":"bogus"} -->')).toBeUndefined();
  });

  it('a matched issue with a corrupt state block is rewritten, not duplicated', () => {
    const [a] = users(1);
    const plan = planIssues(
      shown(report([a!])),
      [issue(7, `${renderFingerprintMarker(a!.fingerprint)}\nhand-edited\n<!-- mailwarden:state={broken -->`)],
      OPTIONS,
    );
    expect(plan.operations).toHaveLength(1);
    expect(plan.operations[0]).toMatchObject({ kind: 'update', number: 7 });
  });

  it('closes open duplicates of one fingerprint as duplicates of the oldest', () => {
    const [a] = users(1);
    const body = renderFindingIssue(
      shownResult(a!),
      { ...demoPolicy(), place: place() },
      {
        firstSeen: '2026-11-27',
        lastSeen: '2026-11-27',
        runUrl: 'https://github.com/contoso/it-audit/actions/runs/1',
        status: 'open',
        reopenedAfterManualClose: false,
      },
    ).body;
    const plan = planIssues(shown(report([a!])), [issue(3, body), issue(9, body)], OPTIONS);
    expect(plan.operations).toEqual([expect.objectContaining({ kind: 'close', number: 9, stateReason: 'duplicate' })]);
  });

  it('says in the body when the exception that covered a finding has expired', () => {
    const [a] = users(1);
    const meta = {
      firstSeen: '2026-11-27',
      lastSeen: '2026-11-27',
      runUrl: undefined,
      status: 'open' as const,
      reopenedAfterManualClose: false,
    };
    const expired = {
      ...a!,
      exception: { reason: 'migration <b>@team</b>', approvedBy: 'CISO', expires: '2026-11-01', expired: true },
    };
    const body = renderFindingIssue(shownResult(expired), { ...demoPolicy(), place: place() }, meta).body;
    expect(body).toContain('expired on 2026-11-01');
    expect(body).not.toContain('<b>');
    expect(renderFindingIssue(shownResult(a!), { ...demoPolicy(), place: place() }, meta).body).not.toContain(
      'expired on',
    );
  });

  it('refreshes "last seen" only after a week of no change', () => {
    const [a] = users(1);
    const first = planIssues(shown(report([a!])), [], OPTIONS).operations[0];
    if (first?.kind !== 'create') throw new Error('expected a create');
    const existing = [issue(1, first.body)];
    expect(
      planIssues(
        shown(report([a!], { capturedAt: '2026-12-03T06:00:00Z', runUrl: 'https://github.com/x/y/actions/runs/5' })),
        existing,
        OPTIONS,
      ).operations,
    ).toEqual([]);
    const week = planIssues(shown(report([a!], { capturedAt: '2026-12-04T06:00:00Z' })), existing, OPTIONS).operations;
    expect(week).toHaveLength(1);
    expect(week[0]?.kind === 'update' && parseState(week[0].body)?.lastSeen).toBe('2026-12-04');
  });

  it('keeps a huge body within 65,536 characters and says how much was cut', () => {
    const big = result({
      target: 'tenant',
      evidence: {
        unregistered: Array.from({ length: 3000 }, (_, i) => ({
          upn: `user${i}@contosohealth.example`,
          reason: 'x'.repeat(40),
        })),
      },
    });
    const rendered = renderFindingIssue(
      shownResult(big),
      { ...demoPolicy(), place: place() },
      {
        firstSeen: '2026-11-27',
        lastSeen: '2026-11-27',
        runUrl: undefined,
        status: 'open',
        reopenedAfterManualClose: false,
      },
    );
    expect(rendered.body.length).toBeLessThanOrEqual(BODY_LIMIT);
    expect(rendered.body).toMatch(/_\d+ evidence lines cut/);
    expect(parseFingerprint(rendered.body)).toBe(big.fingerprint);
    expect(parseState(rendered.body)?.control).toBe('mfa.registration');
  });

  it('proposes a DMARC record for a DMARC finding on a domain, and orders the body sections as specified', () => {
    const dmarc = result({ control: 'dmarc.policy', target: 'contosohealth.example', evidence: { record: null } });
    const body = renderFindingIssue(
      shownResult(dmarc),
      { ...demoPolicy(), place: place() },
      {
        firstSeen: '2026-11-27',
        lastSeen: '2026-11-27',
        runUrl: undefined,
        status: 'open',
        reopenedAfterManualClose: false,
      },
    ).body;
    expect(body).toContain('_dmarc.contosohealth.example. 3600 IN TXT "v=DMARC1; p=reject');
    const order = [
      '### What was found',
      '### Why it matters',
      '### How to fix it',
      '### How to accept the risk instead',
      '### References',
      '### History',
    ].map((h) => body.indexOf(h));
    expect(order.every((pos, i) => pos >= 0 && (i === 0 || pos > (order[i - 1] ?? 0)))).toBe(true);
  });
});
