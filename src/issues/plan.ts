import { findControl } from '../controls/catalog.js';
import type { ControlOutcome } from '../evaluate/evaluation.js';
import { fingerprint } from '../evaluate/fingerprint.js';
import type { Result } from '../model/result.js';
import { severityRank } from '../model/severity.js';
import type { Policy } from '../policy/policy.js';
import { codeSpan, escapeMarkdown } from '../report/escape.js';
import type { PublicReport, ShownResult } from '../report/disclosure.js';
import type { Report } from '../report/report.js';
import type { ExistingIssue } from './existing-issue.js';
import {
  isDashboard,
  isRollup,
  parseFingerprint,
  parseState,
  STATE_VERSION,
  withState,
  type IssueState,
} from './marker.js';
import { findingLabels, renderFindingIssue, safeUrl, TOOL_LABEL, type RenderMeta } from './render.js';
import { renderRollup, ROLLUP_TITLE } from './rollup.js';
import { tenantTitle } from './tenant-scope.js';

/** An unchanged finding's "last seen" date is refreshed at most this often, to keep nightly writes near zero. */
export const LAST_SEEN_REFRESH_DAYS = 7;

/** What the plan knows of the finding an operation is about, for logs and the job summary. */
export interface OperationSubject {
  readonly fingerprint: string;
  readonly control: string;
  readonly title: string;
}

export type Operation =
  | {
      readonly kind: 'create';
      readonly subject: OperationSubject;
      readonly title: string;
      readonly body: string;
      readonly labels: readonly string[];
    }
  | {
      readonly kind: 'update';
      readonly number: number;
      readonly subject: OperationSubject;
      readonly body?: string;
      readonly labels?: readonly string[];
      /** Posted only on a material change: new affected objects or a higher severity. */
      readonly comment?: string;
    }
  | {
      readonly kind: 'close';
      readonly number: number;
      readonly subject: OperationSubject;
      readonly body: string;
      readonly stateReason: 'completed' | 'duplicate';
      readonly why: 'fixed' | 'excepted' | 'duplicate' | 'rollup-empty';
      readonly comment: string;
    }
  | {
      readonly kind: 'reopen';
      readonly number: number;
      readonly subject: OperationSubject;
      readonly body: string;
      readonly labels: readonly string[];
      readonly why: 'regression' | 'manual-close';
      readonly comment: string;
    };

export interface Plan {
  readonly operations: readonly Operation[];
  /** Issues a person closed twice while the finding still fails: left closed, listed in the summary. */
  readonly keptClosed: readonly {
    readonly number: number;
    readonly htmlUrl: string;
    readonly subject: OperationSubject;
  }[];
  /** Failing findings past `max-new-issues`, listed in the rollup issue instead. */
  readonly overflow: number;
  /** Labelled issues whose fingerprint marker is missing or malformed; left alone. */
  readonly unmatched: number;
  /**
   * Open issues of controls this run judged but could not re-check in full (a source that lists
   * the control's targets failed, the finding's result was `error` or `not_evaluable`, or its
   * target was not among those given): left open as they are, and listed in the job summary.
   */
  readonly notRechecked: readonly {
    readonly number: number;
    readonly htmlUrl: string;
    readonly subject: OperationSubject;
    readonly why: string;
  }[];
  /** Open issues of controls this run did not run at all (`--only`, DNS-only mode): left alone. */
  readonly notCovered: number;
}

export interface PlanOptions {
  readonly policy: Pick<Policy, 'controls' | 'maxExceptionDays'>;
  readonly maxNewIssues: number;
  readonly extraLabels: readonly string[];
  /** `tenant:<name>` when several tenants share the repository (names the rollup's title). */
  readonly tenant?: string;
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function bySeverityThenKey(a: ShownResult, b: ShownResult): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    a.control.localeCompare(b.control) ||
    a.target.localeCompare(b.target)
  );
}

/** The labels an issue should carry: ours replaced, anything a person added kept. */
function mergedLabels(current: readonly string[], wanted: readonly string[]): readonly string[] | undefined {
  const managed = (l: string) => l.startsWith('severity:') || l.startsWith('area:');
  const next = [...new Set([...current.filter((l) => !managed(l) || wanted.includes(l)), ...wanted])];
  const same = next.length === current.length && next.every((l) => current.includes(l));
  return same ? undefined : next;
}

function runLink(runUrl: string | undefined, today: string): string {
  const url = safeUrl(runUrl);
  return url ? `[run of ${today}](${url})` : `the run of ${today}`;
}

/**
 * Why an open issue whose finding does not fail this run may not close, or `undefined` when it
 * may: only a pass (or an accepted exception) on a control whose every target source was read,
 * or the target's absence from a control that saw its complete target set.
 */
function notClosableBecause(outcome: ControlOutcome, result: Result | undefined): string | undefined {
  if (outcome.status !== 'evaluated') return `the control was not judged (${outcome.status}: ${outcome.reason})`;
  if (result && result.status !== 'pass' && result.status !== 'excepted')
    return `the finding could not be judged (${result.status}: ${result.message})`;
  // Reports written before coverage was recorded are treated as partial.
  const coverage = outcome.coverage ?? 'partial';
  if (coverage === 'partial')
    return `not every source that lists this control's targets was read${outcome.unread && outcome.unread.length > 0 ? ` (${outcome.unread.join(', ')})` : ''}`;
  if (!result && coverage === 'listed') return 'the run judged only the targets it was given, and not this one';
  return undefined;
}

/**
 * Old and new keys of this report's domain findings. Domain fingerprints leave the tenant out (so
 * a DNS-only run and a tenant run agree); an issue a tenant run opened before that carries the
 * tenant-keyed fingerprint, and is matched under it once, then rewritten with the new marker.
 */
export function legacyFingerprints(report: Report): Map<string, string> {
  const out = new Map<string, string>();
  const tenantId = report.snapshot.tenantId;
  if (tenantId === null) return out;
  for (const r of report.results) {
    if (findControl(r.control)?.targets.kind !== 'domain') continue;
    out.set(fingerprint(r.control, tenantId, r.target), r.fingerprint);
  }
  return out;
}

/** Picks one issue per fingerprint (an open one first, then the oldest); the rest are duplicates. */
function indexIssues(issues: readonly ExistingIssue[]) {
  const byFingerprint = new Map<string, ExistingIssue>();
  const duplicates: { issue: ExistingIssue; of: ExistingIssue; state: IssueState | undefined }[] = [];
  let unmatched = 0;
  let rollup: ExistingIssue | undefined;
  const sorted = [...issues].sort((a, b) => (a.state === b.state ? a.number - b.number : a.state === 'open' ? -1 : 1));
  for (const issue of sorted) {
    if (isDashboard(issue.body)) continue;
    if (isRollup(issue.body)) {
      rollup ??= issue;
      continue;
    }
    const fp = parseFingerprint(issue.body);
    if (fp === undefined) {
      unmatched += 1;
      continue;
    }
    const kept = byFingerprint.get(fp);
    if (kept) duplicates.push({ issue, of: kept, state: parseState(issue.body) });
    else byFingerprint.set(fp, issue);
  }
  return { byFingerprint, duplicates, unmatched, rollup };
}

/**
 * The pure plan: failing findings and the labelled issues give create / update / close / reopen
 * operations. An unchanged finding gives no operation at all; an issue is never closed for a
 * control that was not judged (`error`, `not_evaluable`) or not selected in this run. It reads
 * the report as it may be shown (the one redaction step), so every body is public-safe.
 */
export function planIssues(report: PublicReport, existing: readonly ExistingIssue[], options: PlanOptions): Plan {
  const today = day(report.snapshot.capturedAt);
  const runUrl = report.run.runUrl;
  const gitSha = report.run.gitSha && /^[0-9a-f]{40}$/.test(report.run.gitSha) ? report.run.gitSha : undefined;
  const { byFingerprint, duplicates, unmatched, rollup } = indexIssues(existing);
  const resultsByFp = new Map(report.results.map((r) => [r.fingerprint, r]));
  const outcomes = new Map(report.controls.map((c) => [c.control, c]));
  // Issues opened before domain findings lost the tenant from their key, found under the old key.
  for (const [legacy, fp] of legacyFingerprints(report)) {
    const issue = byFingerprint.get(legacy);
    if (issue === undefined || byFingerprint.has(fp)) continue;
    byFingerprint.delete(legacy);
    byFingerprint.set(fp, issue);
  }
  const notRechecked: Plan['notRechecked'][number][] = [];
  let notCovered = 0;
  const operations: Operation[] = [];
  const keptClosed: Plan['keptClosed'][number][] = [];
  const toCreate: ShownResult[] = [];
  const subject = (fingerprint: string, control: string, title: string): OperationSubject => ({
    fingerprint,
    control,
    title,
  });

  const policy = { ...options.policy, place: report.policy };
  const render = (result: ShownResult, meta: RenderMeta) =>
    renderFindingIssue(result, policy, meta, options.extraLabels);

  for (const result of report.results.filter((r) => r.status === 'fail').sort(bySeverityThenKey)) {
    const issue = byFingerprint.get(result.fingerprint);
    if (!issue) {
      toCreate.push(result);
      continue;
    }
    const state = parseState(issue.body);
    const firstSeen = state?.firstSeen ?? day(issue.createdAt);
    const subj = subject(result.fingerprint, result.control, issue.title);
    const fresh = (status: 'open', reopened: boolean) =>
      render(result, { firstSeen, lastSeen: today, runUrl, status, reopenedAfterManualClose: reopened });

    if (issue.state === 'closed') {
      const closedByPerson = state?.status === 'open';
      if (closedByPerson && state.reopenedAfterManualClose) {
        keptClosed.push({ number: issue.number, htmlUrl: issue.htmlUrl, subject: subj });
        continue;
      }
      const next = fresh('open', state?.reopenedAfterManualClose === true || closedByPerson);
      operations.push({
        kind: 'reopen',
        number: issue.number,
        subject: subj,
        body: next.body,
        labels: mergedLabels(issue.labels, next.labels) ?? issue.labels,
        why: closedByPerson ? 'manual-close' : 'regression',
        comment: closedByPerson
          ? `Reopened once: this finding still fails as of ${runLink(runUrl, today)}. mailwarden keeps one issue per failing finding, so closing it by hand does not accept the risk. To accept it, add the exception shown under "How to accept the risk instead" to \`exceptions\` in the policy file; the next run then closes this issue. If it is closed by hand again, it stays closed and each run lists it in the job summary.`
          : `Reopened: this finding fails again as of ${runLink(runUrl, today)} (regression).`,
      });
      continue;
    }

    // Open: rewrite only when the rendered body differs with the old dates, or "last seen" is stale.
    const previous = state
      ? render(result, {
          firstSeen,
          lastSeen: state.lastSeen,
          runUrl: state.run,
          status: 'open',
          reopenedAfterManualClose: state.reopenedAfterManualClose,
        })
      : undefined;
    const stale = state === undefined || daysBetween(state.lastSeen, today) >= LAST_SEEN_REFRESH_DAYS;
    const changed = previous === undefined || previous.body !== issue.body || state?.status !== 'open';
    const next = fresh('open', state?.reopenedAfterManualClose === true);
    const labels = mergedLabels(issue.labels, next.labels);
    const notes: string[] = [];
    if (state && state.affectedComparable !== false) {
      const added = next.affected.filter((a) => !state.affected.includes(a)).length;
      if (added > 0) notes.push(`${added} newly affected object${added === 1 ? '' : 's'}`);
      if (severityRank(result.severity) > severityRank(state.severity))
        notes.push(`severity raised from ${state.severity} to ${result.severity}`);
    }
    if (changed || stale || labels) {
      operations.push({
        kind: 'update',
        number: issue.number,
        subject: subj,
        ...(changed || stale ? { body: next.body } : {}),
        ...(labels ? { labels } : {}),
        ...(notes.length > 0
          ? {
              comment: `Changed as of ${runLink(runUrl, today)}: ${notes.join('; ')}. The evidence table above is current.`,
            }
          : {}),
      });
    }
  }

  // Open issues whose finding no longer fails.
  for (const [fp, issue] of byFingerprint) {
    if (issue.state !== 'open') continue;
    const result = resultsByFp.get(fp);
    if (result?.status === 'fail') continue;
    const state = parseState(issue.body);
    const control = result?.control ?? state?.control;
    const outcome = control === undefined ? undefined : outcomes.get(control);
    // Fail closed: a control this run did not run never touches an issue.
    if (control === undefined || outcome === undefined) {
      notCovered += 1;
      continue;
    }
    // Nor does one it could not judge in full: the issue stays open, listed as not re-checked.
    const why = notClosableBecause(outcome, result);
    if (why !== undefined) {
      notRechecked.push({
        number: issue.number,
        htmlUrl: issue.htmlUrl,
        subject: subject(fp, control, issue.title),
        why,
      });
      continue;
    }
    const closedState: IssueState = {
      ...(state ?? {
        v: STATE_VERSION,
        control,
        severity: result?.severity ?? 'medium',
        firstSeen: day(issue.createdAt),
        lastSeen: today,
        affected: [],
        reopenedAfterManualClose: false,
      }),
      status: 'closed',
      closedOn: today,
    };
    const exception = result?.status === 'excepted' ? result.exception : undefined;
    operations.push({
      kind: 'close',
      number: issue.number,
      subject: subject(fp, control, issue.title),
      body: withState(issue.body ?? '', closedState),
      stateReason: 'completed',
      why: exception ? 'excepted' : 'fixed',
      comment: exception
        ? [
            `Closed: the risk is accepted in the policy file as of ${runLink(runUrl, today)}.`,
            '',
            `> **Reason:** ${escapeMarkdown(exception.reason)}`,
            `> **Approved by:** ${escapeMarkdown(exception.approvedBy)}`,
            `> **Expires:** ${/^\d{4}-\d{2}-\d{2}$/.test(exception.expires) ? exception.expires : escapeMarkdown(exception.expires)}${exception.ticket ? `  \n> **Ticket:** ${escapeMarkdown(exception.ticket)}` : ''}`,
            // The policy as this run read it: its commit (a bare SHA, which GitHub links) leads
            // to the pull request that added the exception, and its review.
            `> **Policy:** ${codeSpan(report.policy.path)} version ${escapeMarkdown(report.policy.version)}, sha256 ${codeSpan(report.policy.sha256.slice(0, 12))}${gitSha ? `, at commit ${gitSha}` : ''}`,
            '',
            'The issue reopens when the exception expires and the finding still fails.',
          ].join('\n')
        : `Resolved: ${codeSpan(control)} ${result ? 'passes for this target' : 'no longer reports this target'} as of ${runLink(runUrl, today)}.`,
    });
  }

  for (const { issue, of, state } of duplicates) {
    if (issue.state !== 'open') continue;
    const fp = parseFingerprint(issue.body) ?? '';
    operations.push({
      kind: 'close',
      number: issue.number,
      subject: subject(fp, state?.control ?? '', issue.title),
      body: state ? withState(issue.body ?? '', { ...state, status: 'closed', closedOn: today }) : (issue.body ?? ''),
      stateReason: 'duplicate',
      why: 'duplicate',
      comment: `Duplicate of #${of.number}: mailwarden keeps one issue per finding.`,
    });
  }

  const creates = toCreate.slice(0, Math.max(0, options.maxNewIssues));
  const overflow = toCreate.slice(creates.length);
  for (const result of creates) {
    const issue = render(result, {
      firstSeen: today,
      lastSeen: today,
      runUrl,
      status: 'open',
      reopenedAfterManualClose: false,
    });
    operations.push({
      kind: 'create',
      subject: subject(result.fingerprint, result.control, issue.title),
      title: issue.title,
      body: issue.body,
      labels: issue.labels,
    });
  }

  const rollupTitle = tenantTitle(ROLLUP_TITLE, options.tenant);
  const rollupSubject = subject('rollup', '', rollupTitle);
  if (overflow.length > 0) {
    const body = renderRollup(overflow, options.maxNewIssues);
    const labels = findingLabels(
      { severity: overflow[0]?.severity ?? 'medium', area: overflow[0]?.area ?? 'mfa' },
      options.extraLabels,
    ).filter((l) => !l.startsWith('area:') && !l.startsWith('severity:'));
    if (!rollup) operations.push({ kind: 'create', subject: rollupSubject, title: rollupTitle, body, labels });
    else if (rollup.state === 'closed') {
      operations.push({
        kind: 'reopen',
        number: rollup.number,
        subject: rollupSubject,
        body,
        labels: rollup.labels,
        why: 'regression',
        comment: `Reopened: more failing findings than \`max-new-issues\` as of ${runLink(runUrl, today)}.`,
      });
    } else if (rollup.body !== body)
      operations.push({ kind: 'update', number: rollup.number, subject: rollupSubject, body });
  } else if (rollup?.state === 'open') {
    operations.push({
      kind: 'close',
      number: rollup.number,
      subject: rollupSubject,
      body: rollup.body ?? '',
      stateReason: 'completed',
      why: 'rollup-empty',
      comment: `Every failing finding has its own issue as of ${runLink(runUrl, today)}.`,
    });
  }
  return { operations, keptClosed, overflow: overflow.length, unmatched, notRechecked, notCovered };
}

export { TOOL_LABEL };
