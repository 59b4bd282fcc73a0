import { ConfigurationError, errorMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Policy } from '../policy/policy.js';
import { codeSpan, escapeMarkdown } from '../report/escape.js';
import type { PublicReport } from '../report/disclosure.js';
import { applyPlan, type ApplyOutcome, NOT_ATTEMPTED } from './apply.js';
import { syncDashboard, type DashboardOutcome } from './dashboard.js';
import type { ExistingIssue } from './existing-issue.js';
import { isRollup } from './marker.js';
import type { IssuesApi, RepoRef } from './github-api.js';
import { pinDashboard, pinWarning, type PinOutcome } from './pin-dashboard.js';
import { legacyFingerprints, planIssues, type Plan } from './plan.js';
import { tenantScope } from './tenant-scope.js';
import { TOOL_LABEL } from './render.js';

export interface SyncSettings {
  readonly mode: 'dry-run' | 'on';
  readonly repo: RepoRef;
  readonly labels: readonly string[];
  readonly maxNewIssues: number;
  /** Keep the `[mailwarden] Dashboard` issue; off in tests that count finding writes. */
  readonly dashboard?: boolean;
  /**
   * `tenant:<name>` (src/report/tenant-label.ts) when several tenants share the repository: put on
   * every issue of this run, which then plans over its own tenant's issues only.
   */
  readonly tenant?: string;
  /** The repository as already read (by the redaction decision), so it is not read twice. */
  readonly repository?: RepositoryInfo;
}

type RepositoryInfo = Awaited<ReturnType<IssuesApi['getRepository']>>;

export interface SyncOutcome {
  readonly plan: Plan;
  readonly outcome: ApplyOutcome;
  readonly redacted: boolean;
  readonly opened: number;
  readonly closed: number;
  readonly updated: number;
  readonly dashboard?: DashboardOutcome;
  /** Pinning the dashboard (GraphQL `pinIssue`), when there is one. */
  readonly pin?: PinOutcome;
}

/** The labelled issues as they stand after the writes that succeeded. */
function afterWrites(existing: readonly ExistingIssue[], outcome: ApplyOutcome, now: Date): ExistingIssue[] {
  const byNumber = new Map(existing.map((i) => [i.number, i]));
  for (const a of outcome.applied) {
    if (a.status !== 'done' || a.number === undefined) continue;
    const op = a.operation;
    const prior = byNumber.get(a.number);
    if (op.kind === 'create') {
      byNumber.set(a.number, {
        number: a.number,
        title: op.title,
        body: op.body,
        state: 'open',
        stateReason: null,
        labels: op.labels,
        htmlUrl: a.htmlUrl ?? '',
        createdAt: now.toISOString(),
        closedAt: null,
      });
    } else if (prior) {
      byNumber.set(a.number, {
        ...prior,
        ...(op.body !== undefined ? { body: op.body } : {}),
        ...(op.kind === 'close' ? { state: 'closed' as const, closedAt: now.toISOString() } : {}),
        ...(op.kind === 'reopen' ? { state: 'open' as const, closedAt: null } : {}),
        ...('labels' in op && op.labels ? { labels: op.labels } : {}),
      });
    }
  }
  return [...byNumber.values()];
}

/** Reading the repository failed: a wrong name, a missing permission or a bad token. */
export class RepositoryAccessError extends ConfigurationError {}

/**
 * The issues stage: list the labelled issues, plan, apply. A forbidden repository stops here with
 * a clear error before any write; a failed write later is reported and the sync carries on.
 */
export async function syncIssues(
  api: IssuesApi,
  report: PublicReport,
  policy: Policy,
  settings: SyncSettings,
  deps: { readonly logger: Logger; readonly now: () => Date },
): Promise<SyncOutcome> {
  const name = `${settings.repo.owner}/${settings.repo.repo}`;
  const shard = report.snapshot.shard;
  if (shard && shard.count > 1) {
    // A partial report lacks the other shards' findings: syncing it would close their issues.
    throw new ConfigurationError(
      `Shard ${shard.index}/${shard.count} holds a partial report; issues are synced once, from merge-reports.`,
      ['Set `issues: off` in the shard jobs (CLI: leave out --issues), and sync in the merge job.'],
    );
  }
  if (settings.repository === undefined) {
    try {
      await api.getRepository();
    } catch (error: unknown) {
      throw new RepositoryAccessError(`Cannot read the repository ${name} for issues: ${errorMessage(error)}`, [
        'Check the repository name, and that the token may read it and write issues (workflow `permissions: issues: write`).',
      ]);
    }
  }
  // Redaction was decided (and applied) before the report reached this stage.
  const redacted = report.shown.redacted;
  const listedAt = deps.now();
  // An unlabelled issue keyed by a finding of this run (or by its pre-domain-key fingerprint) is ours.
  const inScope = tenantScope(
    settings.tenant,
    new Set([...report.results.map((r) => r.fingerprint), ...legacyFingerprints(report).keys()]),
  );
  const labelled = await api.listIssues(TOOL_LABEL);
  const existing = labelled.filter(inScope);
  const plan = planIssues(report, existing, {
    policy,
    maxNewIssues: settings.maxNewIssues,
    extraLabels: settings.tenant ? [...settings.labels, settings.tenant] : settings.labels,
    ...(settings.tenant ? { tenant: settings.tenant } : {}),
  });
  const others = labelled.length - existing.length;
  const scope = settings.tenant
    ? `, ${existing.length} of ${settings.tenant}`
    : others > 0
      ? `, ${others} of other tenants left alone`
      : '';
  deps.logger.info(
    `Issues in ${name}: ${labelled.length} labelled${scope}, ${plan.operations.length} operations planned${plan.overflow > 0 ? `, ${plan.overflow} past max-new-issues` : ''}${redacted ? ', redacted' : ''}`,
  );
  const outcome = await applyPlan(api, plan, {
    dryRun: settings.mode === 'dry-run',
    logger: deps.logger,
    now: deps.now,
    listedAt,
    inScope,
  });
  const done = outcome.applied.filter((a) => a.status === 'done');
  const finding = (a: (typeof done)[number]) => a.number !== undefined && a.operation.subject.fingerprint !== 'rollup';
  let dashboard: DashboardOutcome | undefined;
  // A refused write stops the stage: the dashboard and its pin are writes too.
  if (settings.dashboard && outcome.refused === undefined) {
    const issues =
      settings.mode === 'on' ? afterWrites(existing, outcome, deps.now()) : existing.filter((i) => !isRollup(i.body));
    dashboard = await syncDashboard(
      api,
      {
        report,
        policy,
        issues,
        opened: done
          .filter((a) => finding(a) && (a.operation.kind === 'create' || a.operation.kind === 'reopen'))
          .map((a) => a.number ?? 0),
        closed: done
          .filter((a) => finding(a) && a.operation.kind === 'close' && a.operation.why !== 'duplicate')
          .map((a) => a.number ?? 0),
        ...(settings.tenant ? { tenant: settings.tenant } : {}),
      },
      settings.mode === 'dry-run',
    );
  }
  let pin: PinOutcome | undefined;
  if (dashboard && dashboard.status !== 'failed') {
    pin = await pinDashboard(api, dashboard.number, settings.mode === 'dry-run');
    const warning = pinWarning(pin);
    if (warning) deps.logger.warning(warning);
  }
  return {
    plan,
    outcome,
    ...(dashboard ? { dashboard } : {}),
    ...(pin ? { pin } : {}),
    redacted,
    opened: done.filter((a) => a.operation.kind === 'create' || a.operation.kind === 'reopen').length,
    closed: done.filter((a) => a.operation.kind === 'close').length,
    updated: done.filter((a) => a.operation.kind === 'update').length,
  };
}

const VERBS = { create: 'Opened', reopen: 'Reopened', update: 'Updated', close: 'Closed' } as const;

/** The job-summary section: a link to each issue opened, updated or closed, and what went wrong. */
export function renderSyncSummary(sync: SyncOutcome, mode: SyncSettings['mode']): string {
  const lines = [`### GitHub issues${mode === 'dry-run' ? ' (dry run: nothing written)' : ''}`, ''];
  const applied = sync.outcome.applied;
  if (applied.length === 0) lines.push('No change: every issue is up to date.');
  // After a refused write the rest was not tried: one line for them, not one each.
  const notAttempted = applied.filter((a) => a.status === 'skipped' && a.error === NOT_ATTEMPTED).length;
  if (notAttempted > 0)
    lines.push(
      `${notAttempted} planned write${notAttempted === 1 ? ' was' : 's were'} not attempted: GitHub refused an earlier one.`,
    );
  for (const a of applied) {
    if (a.status === 'skipped' && a.error === NOT_ATTEMPTED) continue;
    const verb =
      a.status === 'dry-run'
        ? `Would ${VERBS[a.operation.kind].toLowerCase().replace(/ed$/, '')}`
        : VERBS[a.operation.kind];
    const link =
      a.htmlUrl && /^https?:\/\//.test(a.htmlUrl)
        ? `[#${a.number}](${a.htmlUrl})`
        : a.number !== undefined
          ? `#${a.number}`
          : 'new issue';
    const state =
      a.status === 'failed'
        ? ` — **failed**: ${codeSpan(a.error ?? '')}`
        : a.status === 'skipped'
          ? ' — skipped (created by another run)'
          : '';
    lines.push(`- ${verb} ${link}: ${codeSpan(a.operation.subject.title)}${state}`);
  }
  if (sync.plan.keptClosed.length > 0) {
    lines.push(
      '',
      'Closed by hand twice while still failing (left closed; accept the risk in the policy file instead):',
      '',
    );
    for (const k of sync.plan.keptClosed) lines.push(`- [#${k.number}](${k.htmlUrl}): ${codeSpan(k.subject.title)}`);
  }
  if (sync.plan.notRechecked.length > 0) {
    lines.push(
      '',
      '**Not re-checked** (left open: this run could not judge them in full, so it neither closed nor changed them):',
      '',
    );
    for (const n of sync.plan.notRechecked)
      lines.push(`- [#${n.number}](${n.htmlUrl}): ${codeSpan(n.subject.title)} — ${escapeMarkdown(n.why)}`);
  }
  if (sync.plan.notCovered > 0)
    lines.push(
      '',
      `${sync.plan.notCovered} open issue${sync.plan.notCovered === 1 ? '' : 's'} of controls this run did not run (\`--only\`, DNS-only mode) left alone.`,
    );
  if (sync.plan.overflow > 0)
    lines.push('', `${sync.plan.overflow} findings past \`max-new-issues\` are listed in the rollup issue.`);
  const d = sync.dashboard;
  if (d) {
    const where = d.number !== undefined && d.htmlUrl ? `[#${d.number}](${d.htmlUrl})` : 'the dashboard issue';
    lines.push('', `Dashboard ${where}: ${d.status}${d.error ? ` (${codeSpan(d.error)})` : ''}.`);
    const pin = sync.pin;
    if (pin)
      lines.push(
        '',
        pin.status === 'would-pin'
          ? 'Would pin the dashboard.'
          : `Dashboard pin: ${pin.status}${pin.problem ? ` (${codeSpan(pin.problem)})` : ''}.`,
      );
    if (d.historyStatus === 'corrupt')
      lines.push(
        '',
        `**Dashboard history was corrupt** (${codeSpan(d.historyProblem ?? 'unreadable')}); it was started afresh.`,
      );
    if (d.trimmedDays > 0)
      lines.push(
        '',
        `${d.trimmedDays} oldest days of dashboard history were dropped to stay within GitHub's body limit.`,
      );
  }
  if (sync.plan.unmatched > 0)
    lines.push(
      '',
      `${sync.plan.unmatched} issues labelled \`${TOOL_LABEL}\` have no valid fingerprint marker and were left alone.`,
    );
  lines.push('');
  return lines.join('\n');
}
