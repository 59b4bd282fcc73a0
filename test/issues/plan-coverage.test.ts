import { describe, expect, it } from 'vitest';
import type { ControlOutcome } from '../../src/evaluate/evaluation.js';
import { fingerprint } from '../../src/evaluate/fingerprint.js';
import type { ExistingIssue } from '../../src/issues/existing-issue.js';
import { parseFingerprint } from '../../src/issues/marker.js';
import { planIssues } from '../../src/issues/plan.js';
import { renderFindingIssue } from '../../src/issues/render.js';
import type { Result } from '../../src/model/result.js';
import { demoPolicy, place, report, result, shown, shownResult, TENANT } from './report-fixture.js';

/*
 * Close only what was fully read: an issue closes when its finding passes, or when its target is
 * gone from a control that saw its whole target set, and in no other case.
 */

const OPTIONS = { policy: demoPolicy(), maxNewIssues: 20, extraLabels: [] };
const META = {
  firstSeen: '2026-11-20',
  lastSeen: '2026-11-26',
  runUrl: 'https://github.com/contoso/it-audit/actions/runs/1',
  status: 'open' as const,
  reopenedAfterManualClose: false,
};

function open(number: number, finding: Result): ExistingIssue {
  return {
    number,
    title: `t${number}`,
    body: renderFindingIssue(shownResult(finding), { ...OPTIONS.policy, place: place() }, META).body,
    state: 'open',
    stateReason: null,
    labels: ['mailwarden'],
    htmlUrl: `https://github.example/i/${number}`,
    createdAt: '2026-11-20T00:00:00Z',
    closedAt: null,
  };
}

const gone = result({ target: 'gone@contosohealth.example' });
const still = result({ target: 'still@contosohealth.example' });
const closes = (plan: ReturnType<typeof planIssues>) =>
  plan.operations.filter((o) => o.kind === 'close').map((o) => ('number' in o ? o.number : 0));

function outcome(extra: Partial<Extract<ControlOutcome, { status: 'evaluated' }>>): ControlOutcome[] {
  return [{ control: 'mfa.registration', status: 'evaluated', coverage: 'complete', ...extra }];
}

describe('issue sync after a partial read', () => {
  it('closes an issue whose target is gone only when the control saw its complete target set', () => {
    const existing = [open(1, gone), open(2, still)];
    expect(closes(planIssues(shown(report([still], { controls: outcome({}) })), existing, OPTIONS))).toEqual([1]);

    const partial = planIssues(
      shown(report([still], { controls: outcome({ coverage: 'partial', unread: ['graph.users'] }) })),
      existing,
      OPTIONS,
    );
    expect(closes(partial)).toEqual([]);
    expect(partial.notRechecked.map((n) => [n.number, n.why])).toEqual([
      [1, "not every source that lists this control's targets was read (graph.users)"],
    ]);

    const listed = planIssues(shown(report([still], { controls: outcome({ coverage: 'listed' }) })), existing, OPTIONS);
    expect(closes(listed)).toEqual([]);
    expect(listed.notRechecked.map((n) => n.number)).toEqual([1]);
  });

  it('closes a passing target of a listed run, but not of a partial one', () => {
    const passing = result({ target: gone.target, status: 'pass' });
    const existing = [open(1, gone)];
    expect(
      closes(planIssues(shown(report([passing], { controls: outcome({ coverage: 'listed' }) })), existing, OPTIONS)),
    ).toEqual([1]);
    expect(
      closes(
        planIssues(
          shown(report([passing], { controls: outcome({ coverage: 'partial', unread: ['exo.inboxRule'] }) })),
          existing,
          OPTIONS,
        ),
      ),
    ).toEqual([]);
  });

  it('keeps an issue whose finding is now error or not_evaluable open, listed as not re-checked', () => {
    for (const status of ['error', 'not_evaluable'] as const) {
      const plan = planIssues(shown(report([result({ target: gone.target, status })])), [open(1, gone)], OPTIONS);
      expect(closes(plan)).toEqual([]);
      expect(plan.notRechecked[0]?.why).toMatch(new RegExp(`^the finding could not be judged \\(${status}`));
    }
    const gated = planIssues(
      shown(
        report([], {
          controls: [{ control: 'mfa.registration', status: 'error', reason: 'Source graph.users could not be read' }],
        }),
      ),
      [open(1, gone)],
      OPTIONS,
    );
    expect(closes(gated)).toEqual([]);
    expect(gated.notRechecked[0]?.why).toContain('the control was not judged (error');
  });

  it('leaves the issues of a control the run did not run alone, and counts them', () => {
    const plan = planIssues(
      shown(report([], { controls: [{ control: 'dmarc.policy', status: 'evaluated', coverage: 'listed' }] })),
      [open(1, gone), open(2, still)],
      OPTIONS,
    );
    expect(plan.operations).toEqual([]);
    expect(plan.notCovered).toBe(2);
    expect(plan.notRechecked).toEqual([]);
  });

  it('finds an issue opened under the tenant-keyed fingerprint of a domain finding and rewrites its key', () => {
    const domain = 'contoso-clinic.example';
    const legacy = fingerprint('dmarc.policy', TENANT, domain);
    const current = fingerprint('dmarc.policy', null, domain);
    const dmarc = (fp: string, status: Result['status']): Result => ({
      ...result({ control: 'dmarc.policy', target: domain, status }),
      area: 'email-auth',
      fingerprint: fp,
    });
    const old = open(5, dmarc(legacy, 'fail'));
    const controls: ControlOutcome[] = [{ control: 'dmarc.policy', status: 'evaluated', coverage: 'complete' }];

    const failing = planIssues(shown(report([dmarc(current, 'fail')], { controls })), [old], OPTIONS);
    expect(failing.operations.map((o) => o.kind)).toEqual(['update']);
    const update = failing.operations[0];
    expect(update && 'body' in update ? parseFingerprint(update.body) : undefined).toBe(current);

    const passing = planIssues(shown(report([dmarc(current, 'pass')], { controls })), [old], OPTIONS);
    expect(closes(passing)).toEqual([5]);
  });

  it('a new domain finding without any issue opens one; an issue under the new key wins over one under the old key', () => {
    const domain = 'contoso-clinic.example';
    const legacy = fingerprint('dmarc.policy', TENANT, domain);
    const current = fingerprint('dmarc.policy', null, domain);
    const dmarc = (fp: string): Result => ({
      ...result({ control: 'dmarc.policy', target: domain }),
      area: 'email-auth',
      fingerprint: fp,
    });
    const controls: ControlOutcome[] = [{ control: 'dmarc.policy', status: 'evaluated', coverage: 'complete' }];
    const fresh = planIssues(shown(report([dmarc(current)], { controls })), [], OPTIONS);
    expect(fresh.operations.map((o) => o.kind)).toEqual(['create']);

    const both = planIssues(
      shown(report([dmarc(current)], { controls })),
      [open(5, dmarc(legacy)), open(6, dmarc(current))],
      OPTIONS,
    );
    // The one under the new key (number 6) is the finding's own and only gets its labels; the one
    // under the old key (number 5) keeps that key, which this complete run no longer reports, so it closes.
    expect(both.operations.map((o) => `${o.kind} ${'number' in o ? o.number : ''}`)).toEqual(['update 6', 'close 5']);
  });
});
