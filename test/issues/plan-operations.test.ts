import { describe, expect, it } from 'vitest';
import type { ControlOutcome } from '../../src/evaluate/evaluation.js';
import type { ExistingIssue } from '../../src/issues/existing-issue.js';
import {
  isDashboard,
  isRollup,
  parseFingerprint,
  parseState,
  renderFingerprintMarker,
  renderStateMarker,
  ROLLUP_MARKER,
  withState,
  type IssueState,
} from '../../src/issues/marker.js';
import { type Operation, planIssues } from '../../src/issues/plan.js';
import { renderFindingIssue } from '../../src/issues/render.js';
import { renderRollup, ROLLUP_TITLE } from '../../src/issues/rollup.js';
import type { Result } from '../../src/model/result.js';
import { demoPolicy, place, report, result, shown, shownResult } from './report-fixture.js';

/*
 * Each operation the planner can propose, with the exact words and state it writes: the order of
 * new issues, labels merged with a person's, reopen after a regression or a manual close, the
 * comments on a change, a fix, an accepted risk and a duplicate, and the rollup's life cycle.
 */

const OPTIONS = { policy: demoPolicy(), maxNewIssues: 20, extraLabels: [] };
const RUN = 'https://github.com/contoso/it-audit/actions/runs/1';
const TODAY = '2026-11-27';

function existing(number: number, body: string | null, extra: Partial<ExistingIssue> = {}): ExistingIssue {
  return {
    number,
    title: `t${number}`,
    body,
    state: 'open',
    stateReason: null,
    labels: ['mailwarden', 'severity:high', 'area:mfa'],
    htmlUrl: `https://github.example/i/${number}`,
    createdAt: '2026-11-01T00:00:00Z',
    closedAt: null,
    ...extra,
  };
}

/** The body mailwarden wrote for a finding on an earlier day. */
function bodyOf(finding: Result, meta: Partial<Parameters<typeof renderFindingIssue>[2]> = {}): string {
  return renderFindingIssue(
    shownResult(finding),
    { ...OPTIONS.policy, place: place() },
    {
      firstSeen: '2026-11-20',
      lastSeen: '2026-11-25',
      runUrl: RUN,
      status: 'open',
      reopenedAfterManualClose: false,
      ...meta,
    },
  ).body;
}

function only<K extends Operation['kind']>(ops: readonly Operation[], kind: K): Extract<Operation, { kind: K }> {
  expect(ops.map((o) => o.kind)).toEqual([kind]);
  return ops[0] as Extract<Operation, { kind: K }>;
}

describe('new issues', () => {
  it('are created most severe first, then by control, then by target', () => {
    const results = [
      result({ target: 'b@x.example', severity: 'medium' }),
      result({ control: 'mfa.enforcement', target: 'tenant', severity: 'low' }),
      result({ target: 'z@x.example', severity: 'critical' }),
      result({ control: 'mfa.enforcement', target: 'a@x.example', severity: 'medium' }),
      result({ target: 'a@x.example', severity: 'medium' }),
    ];
    const plan = planIssues(shown(report(results)), [], OPTIONS);
    expect(plan.operations.map((o) => `${o.subject.control} ${o.kind === 'create' ? o.title : ''}`)).toEqual([
      'mfa.registration [mailwarden] MFA registration coverage: z@x.example',
      'mfa.enforcement [mailwarden] MFA registration coverage: a@x.example',
      'mfa.registration [mailwarden] MFA registration coverage: a@x.example',
      'mfa.registration [mailwarden] MFA registration coverage: b@x.example',
      'mfa.enforcement [mailwarden] MFA registration coverage: tenant',
    ]);
  });

  it('pass, error and excepted results open nothing', () => {
    const results = [
      result({ target: 'p@x.example', status: 'pass' }),
      result({ target: 'e@x.example', status: 'error' }),
      result({ target: 'n@x.example', status: 'not_evaluable' }),
    ];
    expect(planIssues(shown(report(results)), [], OPTIONS).operations).toEqual([]);
  });
});

describe('labels', () => {
  const finding = result({ target: 'u@x.example', severity: 'high' });

  it("replace mailwarden's severity and area labels and keep a person's", () => {
    const issue = existing(4, bodyOf(finding, { lastSeen: TODAY }), {
      labels: ['mailwarden', 'severity:low', 'area:forwarding', 'triaged'],
    });
    const op = only(planIssues(shown(report([finding])), [issue], OPTIONS).operations, 'update');
    expect(op.labels).toEqual(['mailwarden', 'triaged', 'severity:high', 'area:mfa']);
    expect(op.body).toBeUndefined();
  });

  it('are left alone when they already match, whatever their order', () => {
    const issue = existing(4, bodyOf(finding, { lastSeen: TODAY, runUrl: RUN }), {
      labels: ['area:mfa', 'triaged', 'severity:high', 'mailwarden'],
    });
    expect(planIssues(shown(report([finding])), [issue], OPTIONS).operations).toEqual([]);
  });

  it('a second severity label left by an earlier run is removed', () => {
    const issue = existing(4, bodyOf(finding, { lastSeen: TODAY }), {
      labels: ['mailwarden', 'severity:high', 'severity:low', 'area:mfa'],
    });
    const op = only(planIssues(shown(report([finding])), [issue], OPTIONS).operations, 'update');
    expect(op.labels).toEqual(['mailwarden', 'severity:high', 'area:mfa']);
  });

  it('a missing label of ours is added', () => {
    const issue = existing(4, bodyOf(finding, { lastSeen: TODAY }), { labels: ['mailwarden', 'severity:high'] });
    const op = only(planIssues(shown(report([finding])), [issue], OPTIONS).operations, 'update');
    expect(op.labels).toEqual(['mailwarden', 'severity:high', 'area:mfa']);
  });
});

describe('reopening', () => {
  const finding = result({ target: 'u@x.example' });

  it('an issue mailwarden closed reopens as a regression, its labels merged', () => {
    const body = withState(bodyOf(finding), {
      ...(parseState(bodyOf(finding)) as IssueState),
      status: 'closed',
      closedOn: '2026-11-24',
    });
    const issue = existing(5, body, { state: 'closed', labels: ['mailwarden', 'severity:low', 'area:mfa', 'keep'] });
    const op = only(planIssues(shown(report([finding])), [issue], OPTIONS).operations, 'reopen');
    expect(op).toMatchObject({ number: 5, why: 'regression' });
    expect(op.comment).toBe(`Reopened: this finding fails again as of [run of ${TODAY}](${RUN}) (regression).`);
    expect(op.labels).toEqual(['mailwarden', 'area:mfa', 'keep', 'severity:high']);
    const state = parseState(op.body);
    expect(state).toMatchObject({ status: 'open', reopenedAfterManualClose: false, firstSeen: '2026-11-20' });
    expect(state?.lastSeen).toBe(TODAY);
  });

  it('an issue a person closed reopens once, and the state says the reopen is spent', () => {
    const issue = existing(6, bodyOf(finding), { state: 'closed' });
    const op = only(planIssues(shown(report([finding])), [issue], OPTIONS).operations, 'reopen');
    expect(op.why).toBe('manual-close');
    expect(op.comment).toMatch(/^Reopened once: this finding still fails as of \[run of 2026-11-27\]/);
    expect(op.labels).toEqual(issue.labels);
    expect(parseState(op.body)?.reopenedAfterManualClose).toBe(true);

    // Closed by hand a second time: left closed, listed.
    const again = existing(6, op.body, { state: 'closed' });
    const second = planIssues(shown(report([finding])), [again], OPTIONS);
    expect(second.operations).toEqual([]);
    expect(second.keptClosed).toEqual([
      {
        number: 6,
        htmlUrl: again.htmlUrl,
        subject: { fingerprint: finding.fingerprint, control: 'mfa.registration', title: 't6' },
      },
    ]);
  });

  it('an issue mailwarden closed after the one reopen was spent keeps that flag when it reopens', () => {
    const spent = bodyOf(finding, { reopenedAfterManualClose: true });
    const body = withState(spent, { ...(parseState(spent) as IssueState), status: 'closed', closedOn: '2026-11-24' });
    const op = only(
      planIssues(shown(report([finding])), [existing(7, body, { state: 'closed' })], OPTIONS).operations,
      'reopen',
    );
    expect(op.why).toBe('regression');
    expect(parseState(op.body)?.reopenedAfterManualClose).toBe(true);
  });

  it('a closed issue without a state block reopens as a regression', () => {
    const body = renderFingerprintMarker(finding.fingerprint);
    const op = only(
      planIssues(shown(report([finding])), [existing(8, body, { state: 'closed' })], OPTIONS).operations,
      'reopen',
    );
    expect(op.why).toBe('regression');
    expect(parseState(op.body)).toMatchObject({ firstSeen: '2026-11-01', reopenedAfterManualClose: false });
  });
});

describe('updates of an open issue', () => {
  it('say how many objects are newly affected, and when the severity rose', () => {
    const before = result({ target: 'tenant', evidence: { users: ['a@x.example'] }, severity: 'medium' });
    const issue = existing(9, bodyOf(before, { lastSeen: TODAY }), {
      labels: ['mailwarden', 'severity:medium', 'area:mfa'],
    });
    const one = result({ target: 'tenant', evidence: { users: ['a@x.example', 'b@x.example'] }, severity: 'medium' });
    const op1 = only(planIssues(shown(report([one])), [issue], OPTIONS).operations, 'update');
    expect(op1.comment).toBe(
      `Changed as of [run of ${TODAY}](${RUN}): 1 newly affected object. The evidence table above is current.`,
    );
    expect(op1.labels).toBeUndefined();
    expect(op1.body).toBeDefined();

    const two = result({
      target: 'tenant',
      evidence: { users: ['a@x.example', 'b@x.example', 'c@x.example'] },
      severity: 'critical',
    });
    const op2 = only(planIssues(shown(report([two])), [issue], OPTIONS).operations, 'update');
    expect(op2.comment).toBe(
      `Changed as of [run of ${TODAY}](${RUN}): 2 newly affected objects; severity raised from medium to critical. The evidence table above is current.`,
    );
  });

  it('a changed body without new objects or a higher severity is rewritten without a comment', () => {
    const before = result({ target: 'tenant', evidence: { users: ['a@x.example', 'b@x.example'] } });
    const after = result({ target: 'tenant', evidence: { users: ['a@x.example'] }, severity: 'low' });
    const issue = existing(10, bodyOf(before, { lastSeen: TODAY }), {
      labels: ['mailwarden', 'severity:low', 'area:mfa'],
    });
    const op = only(planIssues(shown(report([after])), [issue], OPTIONS).operations, 'update');
    expect(op.comment).toBeUndefined();
    expect(op.body).toContain('<!-- mailwarden:state=');
  });

  it('a rewrite keeps whether the one reopen after a manual close was spent', () => {
    for (const spent of [true, false]) {
      const before = result({ target: 'tenant', evidence: { users: ['a@x.example'] } });
      const after = result({ target: 'tenant', evidence: { users: ['a@x.example', 'b@x.example'] } });
      const issue = existing(13, bodyOf(before, { lastSeen: TODAY, reopenedAfterManualClose: spent }));
      const op = only(planIssues(shown(report([after])), [issue], OPTIONS).operations, 'update');
      expect(parseState(op.body)?.reopenedAfterManualClose).toBe(spent);
    }
  });

  it('an open issue whose state says closed is rewritten as open', () => {
    const finding = result({ target: 'u@x.example' });
    const original = bodyOf(finding, { lastSeen: TODAY });
    const body = withState(original, { ...(parseState(original) as IssueState), status: 'closed' });
    const op = only(planIssues(shown(report([finding])), [existing(11, body)], OPTIONS).operations, 'update');
    expect(parseState(op.body)?.status).toBe('open');
  });

  it('an unchanged issue written by another run link is rewritten to the new link only after a week', () => {
    const finding = result({ target: 'u@x.example' });
    const body = bodyOf(finding, { lastSeen: TODAY, runUrl: 'https://github.com/contoso/it-audit/actions/runs/0' });
    expect(planIssues(shown(report([finding])), [existing(12, body)], OPTIONS).operations).toEqual([]);
  });
});

describe('closing', () => {
  const finding = result({ target: 'u@x.example' });

  it('a passing finding closes its issue as fixed, saying so, with the closed state in the body', () => {
    const pass = result({ target: 'u@x.example', status: 'pass' });
    const op = only(planIssues(shown(report([pass])), [existing(20, bodyOf(finding))], OPTIONS).operations, 'close');
    expect(op).toMatchObject({ number: 20, stateReason: 'completed', why: 'fixed' });
    expect(op.comment).toBe(`Resolved: \`mfa.registration\` passes for this target as of [run of ${TODAY}](${RUN}).`);
    expect(parseState(op.body)).toMatchObject({ status: 'closed', closedOn: TODAY, firstSeen: '2026-11-20' });
  });

  it('a finding no longer reported closes with other words, and without a run link says "the run of"', () => {
    const rep = report([], { runUrl: '' });
    const op = only(planIssues(shown(rep), [existing(21, bodyOf(finding))], OPTIONS).operations, 'close');
    expect(op.comment).toBe(`Resolved: \`mfa.registration\` no longer reports this target as of the run of ${TODAY}.`);
  });

  it('an issue without a state block gets one when it closes', () => {
    const pass = result({ target: 'u@x.example', status: 'pass', severity: 'low' });
    const body = `hand-written\n${renderFingerprintMarker(finding.fingerprint)}`;
    const op = only(planIssues(shown(report([pass])), [existing(22, body)], OPTIONS).operations, 'close');
    expect(
      op.body.startsWith(`hand-written\n${renderFingerprintMarker(finding.fingerprint)}\n\n<!-- mailwarden:state=`),
    ).toBe(true);
    expect(parseState(op.body)).toEqual({
      v: 2,
      control: 'mfa.registration',
      severity: 'low',
      firstSeen: '2026-11-01',
      lastSeen: TODAY,
      affected: [],
      status: 'closed',
      reopenedAfterManualClose: false,
      closedOn: TODAY,
    });
  });

  it('an accepted risk closes with the exception quoted, escaped', () => {
    const excepted = result({
      target: 'u@x.example',
      status: 'excepted',
      exception: {
        reason: 'pilot *group*',
        approvedBy: 'CISO <ciso>',
        expires: '2027-01-31',
        ticket: 'SEC-1',
        expired: false,
      },
    });
    const op = only(
      planIssues(shown(report([excepted])), [existing(23, bodyOf(finding))], OPTIONS).operations,
      'close',
    );
    expect(op.why).toBe('excepted');
    const lines = op.comment.split('\n');
    expect(lines[0]).toBe(`Closed: the risk is accepted in the policy file as of [run of ${TODAY}](${RUN}).`);
    expect(lines[1]).toBe('');
    expect(lines[2]).toBe('> **Reason:** pilot \\*group\\*');
    expect(lines[3]).toMatch(/^> \*\*Approved by:\*\* CISO .*ciso/);
    expect(lines[3]).not.toContain('<ciso>');
    expect(lines[4]).toBe('> **Expires:** 2027-01-31  ');
    expect(lines[5]).toBe('> **Ticket:** SEC-1');
    expect(lines.at(-2)).toBe('');
    expect(lines.at(-1)).toBe('The issue reopens when the exception expires and the finding still fails.');
  });

  it('names the policy by path, version, the first 12 hex of its sha256 and a 40-hex commit only', () => {
    const excepted = result({
      target: 'u@x.example',
      status: 'excepted',
      exception: { reason: 'r', approvedBy: 'a', expires: '2027-01-31', expired: false },
    });
    const sha = 'a'.repeat(40);
    const policyLine = (gitSha?: string) => {
      const rep = report([excepted], gitSha === undefined ? {} : { gitSha });
      const withSha = { ...rep, policy: { ...rep.policy, sha256: `${'0123456789ab'}${'f'.repeat(52)}` } };
      const op = only(planIssues(shown(withSha), [existing(29, bodyOf(finding))], OPTIONS).operations, 'close');
      return op.comment.split('\n').find((l) => l.startsWith('> **Policy:**'));
    };
    expect(policyLine(sha)).toBe(
      `> **Policy:** \`demo/demo-policy.json\` version 1\\.0.0, sha256 \`0123456789ab\`, at commit ${sha}`,
    );
    for (const bad of [undefined, '', `x${sha}`, `${sha}x`, 'abc'])
      expect(policyLine(bad)).toBe('> **Policy:** `demo/demo-policy.json` version 1\\.0.0, sha256 `0123456789ab`');
  });

  it('an expiry that is not a plain date is escaped, one that is one is not', () => {
    const excepted = (expires: string) =>
      result({
        target: 'u@x.example',
        status: 'excepted',
        exception: { reason: 'r', approvedBy: 'a', expires, expired: false },
      });
    const comment = (expires: string) =>
      only(planIssues(shown(report([excepted(expires)])), [existing(24, bodyOf(finding))], OPTIONS).operations, 'close')
        .comment;
    expect(comment('2027-01-31')).toContain('> **Expires:** 2027-01-31\n');
    expect(comment('_2027-01-31')).toContain('> **Expires:** \\_2027-01-31\n');
    expect(comment('2027-01-31_x')).toContain('> **Expires:** 2027-01-31\\_x\n');
    expect(comment('____-01-31')).toContain('> **Expires:** \\_\\_\\_\\_-01-31\n');
    expect(comment('2027-__-31')).toContain('> **Expires:** 2027-\\_\\_-31\n');
    expect(comment('2027-01-__')).toContain('> **Expires:** 2027-01-\\_\\_\n');
  });

  it('a closed issue whose finding passes is not touched', () => {
    const pass = result({ target: 'u@x.example', status: 'pass' });
    expect(
      planIssues(shown(report([pass])), [existing(25, bodyOf(finding), { state: 'closed' })], OPTIONS).operations,
    ).toEqual([]);
  });

  it('an issue without a state block whose finding is not reported cannot name its control: counted, not closed', () => {
    const body = `hand-written\n${renderFingerprintMarker(finding.fingerprint)}`;
    const plan = planIssues(shown(report([])), [existing(27, body)], OPTIONS);
    expect(plan.operations).toEqual([]);
    expect(plan.notCovered).toBe(1);
  });

  it('says why an issue was not re-checked: unread sources named, a report without coverage read as partial', () => {
    const pass = result({ target: 'u@x.example', status: 'pass' });
    const why = (controls: readonly ControlOutcome[], results: Result[] = [pass]) =>
      planIssues(shown(report(results, { controls })), [existing(28, bodyOf(finding))], OPTIONS).notRechecked.map(
        (n) => n.why,
      );
    expect(
      why([{ control: 'mfa.registration', status: 'evaluated', coverage: 'partial', unread: ['graph.users'] }]),
    ).toEqual(["not every source that lists this control's targets was read (graph.users)"]);
    expect(why([{ control: 'mfa.registration', status: 'evaluated', coverage: 'partial', unread: [] }])).toEqual([
      "not every source that lists this control's targets was read",
    ]);
    expect(why([{ control: 'mfa.registration', status: 'evaluated', coverage: 'partial' }])).toEqual([
      "not every source that lists this control's targets was read",
    ]);
    // A report written before coverage was recorded (JSON from an older version).
    const older = JSON.parse('{"control":"mfa.registration","status":"evaluated"}') as ControlOutcome;
    expect(why([older])).toEqual(["not every source that lists this control's targets was read"]);
    expect(why([{ control: 'mfa.registration', status: 'evaluated', coverage: 'listed' }], [])).toEqual([
      'the run judged only the targets it was given, and not this one',
    ]);
  });

  it('an issue of a control the run did not judge is counted, not closed', () => {
    const other = result({ control: 'mfa.enforcement', target: 'tenant' });
    const plan = planIssues(
      shown(report([], { controls: [{ control: 'mfa.registration', status: 'evaluated', coverage: 'complete' }] })),
      [existing(26, bodyOf(other))],
      OPTIONS,
    );
    expect(plan.operations).toEqual([]);
    expect(plan.notCovered).toBe(1);
  });
});

describe('duplicates', () => {
  const finding = result({ target: 'u@x.example' });

  it('the open issue is kept over an older closed one; the closed duplicate is left alone', () => {
    const body = bodyOf(finding, { lastSeen: TODAY });
    const plan = planIssues(
      shown(report([finding])),
      [existing(2, body, { state: 'closed' }), existing(30, body)],
      OPTIONS,
    );
    expect(plan.operations).toEqual([]);
  });

  it('of two open issues the older one is kept, the newer closed with its state closed and a comment', () => {
    const body = bodyOf(finding, { lastSeen: TODAY });
    const plan = planIssues(shown(report([finding])), [existing(31, body), existing(3, body)], OPTIONS);
    const op = only(plan.operations, 'close');
    expect(op).toMatchObject({
      number: 31,
      stateReason: 'duplicate',
      why: 'duplicate',
      subject: { fingerprint: finding.fingerprint, control: 'mfa.registration', title: 't31' },
      comment: 'Duplicate of #3: mailwarden keeps one issue per finding.',
    });
    expect(parseState(op.body)).toMatchObject({ status: 'closed', closedOn: TODAY });
    // The body is the duplicate's own, with only its state block rewritten.
    expect(op.body.replace(/^<!-- mailwarden:state=.*$/m, '')).toBe(body.replace(/^<!-- mailwarden:state=.*$/m, ''));
  });

  it('a duplicate without a state block is closed with its body unchanged', () => {
    const body = renderFingerprintMarker(finding.fingerprint);
    const kept = bodyOf(finding, { lastSeen: TODAY });
    const op = only(
      planIssues(shown(report([finding])), [existing(3, kept), existing(32, body)], OPTIONS).operations,
      'close',
    );
    expect(op.body).toBe(body);
    expect(op.subject).toEqual({ fingerprint: finding.fingerprint, control: '', title: 't32' });
  });

  it('the dashboard is neither matched nor counted as unmatched', () => {
    const plan = planIssues(shown(report([])), [existing(40, '<!-- mailwarden:dashboard -->\n# Dashboard')], OPTIONS);
    expect(plan.unmatched).toBe(0);
    expect(plan.operations).toEqual([]);
  });
});

describe('the rollup issue', () => {
  const many = ['a', 'b', 'c'].map((u) => result({ target: `${u}@x.example` }));
  const capped = { ...OPTIONS, maxNewIssues: 1, extraLabels: ['audit'] };
  const overflowBody = () => renderRollup(shown(report(many)).results.slice(1), 1);

  it('is created for the findings past max-new-issues, without severity or area labels', () => {
    const plan = planIssues(shown(report(many)), [], capped);
    expect(plan.overflow).toBe(2);
    expect(plan.operations.map((o) => o.kind)).toEqual(['create', 'create']);
    expect(plan.operations[1]).toEqual({
      kind: 'create',
      subject: { fingerprint: 'rollup', control: '', title: ROLLUP_TITLE },
      title: ROLLUP_TITLE,
      body: overflowBody(),
      labels: ['mailwarden', 'audit'],
    });
  });

  it('a closed rollup reopens with the new list; an open one is updated only when the list changed', () => {
    const closed = existing(50, `${ROLLUP_MARKER}\nold`, { state: 'closed', labels: ['mailwarden', 'x'] });
    const reopen = planIssues(shown(report(many)), [closed], capped).operations[1];
    expect(reopen).toEqual({
      kind: 'reopen',
      number: 50,
      subject: { fingerprint: 'rollup', control: '', title: ROLLUP_TITLE },
      body: overflowBody(),
      labels: ['mailwarden', 'x'],
      why: 'regression',
      comment: `Reopened: more failing findings than \`max-new-issues\` as of [run of ${TODAY}](${RUN}).`,
    });

    const stale = existing(51, `${ROLLUP_MARKER}\nold`);
    expect(planIssues(shown(report(many)), [stale], capped).operations[1]).toEqual({
      kind: 'update',
      number: 51,
      subject: { fingerprint: 'rollup', control: '', title: ROLLUP_TITLE },
      body: overflowBody(),
    });

    const current = existing(52, overflowBody());
    expect(planIssues(shown(report(many)), [current], capped).operations.map((o) => o.kind)).toEqual(['create']);
  });

  it('closes once every failing finding has its own issue; a closed one stays closed', () => {
    const open = existing(53, `${ROLLUP_MARKER}\nold`);
    const op = only(planIssues(shown(report([])), [open], capped).operations, 'close');
    expect(op).toEqual({
      kind: 'close',
      number: 53,
      subject: { fingerprint: 'rollup', control: '', title: ROLLUP_TITLE },
      body: `${ROLLUP_MARKER}\nold`,
      stateReason: 'completed',
      why: 'rollup-empty',
      comment: `Every failing finding has its own issue as of [run of ${TODAY}](${RUN}).`,
    });
    const closed = existing(54, `${ROLLUP_MARKER}\nold`, { state: 'closed' });
    expect(planIssues(shown(report([])), [closed], capped).operations).toEqual([]);
  });

  it('the first open rollup is the one used; a second is left alone', () => {
    const plan = planIssues(
      shown(report(many)),
      [
        existing(61, `${ROLLUP_MARKER}\nb`),
        existing(60, `${ROLLUP_MARKER}\na`, { state: 'closed' }),
        existing(59, overflowBody(), { state: 'closed' }),
      ],
      capped,
    );
    expect(plan.operations[1]).toMatchObject({ kind: 'update', number: 61 });
    expect(plan.operations).toHaveLength(2);
  });
});

describe('markers stand on their own line', () => {
  const fp = '0123456789abcdef0123456789abcdef';
  const state: IssueState = {
    v: 2,
    control: 'mfa.registration',
    severity: 'high',
    firstSeen: '2026-11-20',
    lastSeen: '2026-11-25',
    affected: ['abc'],
    status: 'open',
    reopenedAfterManualClose: false,
  };

  it('a fingerprint marker with text before or after it on its line is not one', () => {
    expect(parseFingerprint(renderFingerprintMarker(fp))).toBe(fp);
    expect(parseFingerprint(`x\n${renderFingerprintMarker(fp)}\ny`)).toBe(fp);
    expect(parseFingerprint(`say ${renderFingerprintMarker(fp)}`)).toBeUndefined();
    expect(parseFingerprint(`${renderFingerprintMarker(fp)} said`)).toBeUndefined();
    // The same fingerprint twice is still one fingerprint.
    expect(parseFingerprint(`${renderFingerprintMarker(fp)}\n${renderFingerprintMarker(fp)}`)).toBe(fp);
  });

  it('a state marker with text before or after it on its line is not one', () => {
    const marker = renderStateMarker(state);
    expect(parseState(marker)).toEqual(state);
    expect(parseState(`say ${marker}`)).toBeUndefined();
    expect(parseState(`${marker} said`)).toBeUndefined();
  });

  it('the rollup marker counts only on its own line, and the dashboard only at the start', () => {
    expect(isRollup(ROLLUP_MARKER)).toBe(true);
    expect(isRollup(`intro\n${ROLLUP_MARKER}\nrest`)).toBe(true);
    expect(isRollup(`quoting ${ROLLUP_MARKER}`)).toBe(false);
    expect(isRollup(`${ROLLUP_MARKER} quoted`)).toBe(false);
    expect(isRollup('')).toBe(false);
    expect(isRollup(null)).toBe(false);
    expect(isRollup(undefined)).toBe(false);
    expect(isDashboard('<!-- mailwarden:dashboard -->\nx')).toBe(true);
    expect(isDashboard('x\n<!-- mailwarden:dashboard -->')).toBe(false);
    expect(isDashboard(null)).toBe(false);
  });

  it('the state marker escapes "--" so the comment cannot end early, and round-trips', () => {
    const marker = renderStateMarker({ ...state, control: 'a--b' });
    expect(marker).toBe(
      '<!-- mailwarden:state={"v":2,"control":"a-\\u002db","severity":"high","firstSeen":"2026-11-20","lastSeen":"2026-11-25","affected":["abc"],"status":"open","reopenedAfterManualClose":false} -->',
    );
    expect(parseState(marker)?.control).toBe('a--b');
  });

  it('each malformed field makes the state invalid', () => {
    const bad: Record<string, unknown>[] = [
      { affected: ['ok', 3] },
      { affected: 'abc' },
      { status: 'gone' },
      { reopenedAfterManualClose: 'no' },
      { closedOn: '27/11/2026' },
      { run: 5 },
      { firstSeen: '2026-11' },
      { lastSeen: null },
      { severity: 'bogus' },
      { v: 3 },
      { target: '' },
      { target: 7 },
      { control: 5 },
      { firstSeen: 'x2026-11-20' },
      { firstSeen: '2026-11-20x' },
      { firstSeen: ['2026-11-20'] },
    ];
    for (const fields of bad) {
      const body = `<!-- mailwarden:state=${JSON.stringify({ ...state, ...fields })} -->`;
      expect(parseState(body), JSON.stringify(fields)).toBeUndefined();
    }
    expect(parseState('<!-- mailwarden:state=[1] -->')).toBeUndefined();
    expect(parseState('<!-- mailwarden:state={not json} -->')).toBeUndefined();
    expect(parseState(null)).toBeUndefined();
    expect(parseState(undefined)).toBeUndefined();
    expect(parseState('')).toBeUndefined();
    // Two state blocks, even identical: neither is trusted.
    const marker = renderStateMarker(state);
    expect(parseState(`${marker}\n${marker}`)).toBeUndefined();
  });

  it('the optional fields are kept when present and valid', () => {
    const full = { ...state, target: 'u@x.example', closedOn: '2026-11-26', run: RUN, status: 'closed' as const };
    expect(parseState(renderStateMarker(full))).toEqual(full);
    expect(parseState(renderStateMarker(state))).not.toHaveProperty('run');
    expect(parseState(renderStateMarker(state))).not.toHaveProperty('closedOn');
    expect(Object.keys(parseState(renderStateMarker(state)) ?? {})).toEqual([
      'v',
      'control',
      'severity',
      'firstSeen',
      'lastSeen',
      'affected',
      'status',
      'reopenedAfterManualClose',
    ]);
  });

  it('a version 1 state block keeps its version when rewritten, a version 2 block stays version 2', () => {
    const v1 = renderStateMarker(state).replace('"v":2', '"v":1');
    const closed = withState(v1, { ...(parseState(v1) as IssueState), status: 'closed', closedOn: TODAY });
    expect(closed).toContain('<!-- mailwarden:state={"v":1,');
    const v2 = withState(renderStateMarker(state), { ...state, status: 'closed', closedOn: TODAY });
    expect(v2).toContain('<!-- mailwarden:state={"v":2,');
  });

  it('withState replaces the one state block in place, or appends one after a blank line', () => {
    const marker = renderStateMarker(state);
    const next = { ...state, status: 'closed' as const };
    expect(withState(`a\n${marker}\nb`, next)).toBe(`a\n${renderStateMarker(next)}\nb`);
    expect(withState('a\n\n  ', next)).toBe(`a\n\n${renderStateMarker(next)}\n`);
    // Two blocks (forged or hand-copied): neither is trusted, a fresh one is appended.
    expect(withState(`${marker}\n${marker}`, next)).toBe(`${marker}\n${marker}\n\n${renderStateMarker(next)}\n`);
  });
});
