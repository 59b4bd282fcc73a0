import { findControl } from '../controls/catalog.js';
import { errorMessage } from '../errors.js';
import type { Policy } from '../policy/policy.js';
import { expiringExceptions } from '../report/expiring-exceptions.js';
import { dayEntry, parseHistory, withDay, type History, type HistoryStatus } from '../report/history.js';
import type { PublicReport } from '../report/disclosure.js';
import { renderDashboardMarkdown, type OpenFinding } from '../report/summary-markdown.js';
import type { ExistingIssue } from './existing-issue.js';
import type { IssuesApi } from './github-api.js';
import { isDashboard, parseFingerprint, parseState } from './marker.js';
import { BODY_LIMIT, TOOL_LABEL } from './render.js';
import { tenantTitle } from './tenant-scope.js';

export const DASHBOARD_TITLE = '[mailwarden] Dashboard';
/** The dashboard lists exceptions that run out within this many days. */
export const DASHBOARD_EXPIRY_DAYS = 30;

export interface DashboardOutcome {
  readonly status: 'created' | 'updated' | 'unchanged' | 'dry-run' | 'failed';
  readonly number?: number;
  readonly htmlUrl?: string;
  readonly history: History;
  readonly historyStatus: HistoryStatus;
  readonly historyProblem?: string;
  /** Oldest days dropped to keep the body within GitHub's limit. */
  readonly trimmedDays: number;
  readonly error?: string;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** Median and 90th percentile of days from first seen to mailwarden's close, over closed finding issues. */
export function timeToFix(
  issues: readonly ExistingIssue[],
): { count: number; median: number; p90: number } | undefined {
  const days: number[] = [];
  for (const issue of issues) {
    if (issue.state !== 'closed' || parseFingerprint(issue.body) === undefined) continue;
    const state = parseState(issue.body);
    if (state?.status !== 'closed' || !state.closedOn) continue;
    days.push(Math.max(0, daysBetween(state.firstSeen, state.closedOn)));
  }
  if (days.length === 0) return undefined;
  days.sort((a, b) => a - b);
  const mid = Math.floor(days.length / 2);
  const median = days.length % 2 === 1 ? (days[mid] ?? 0) : ((days[mid - 1] ?? 0) + (days[mid] ?? 0)) / 2;
  return { count: days.length, median, p90: percentile(days, 90) };
}

/** Open finding issues with what the dashboard sorts them by (severity, then age). */
export function openFindings(issues: readonly ExistingIssue[]): OpenFinding[] {
  const out: OpenFinding[] = [];
  for (const issue of issues) {
    if (issue.state !== 'open' || parseFingerprint(issue.body) === undefined) continue;
    const state = parseState(issue.body);
    const area = state ? findControl(state.control)?.area : undefined;
    if (!state || !area) continue;
    out.push({
      number: issue.number,
      htmlUrl: issue.htmlUrl,
      title: issue.title,
      severity: state.severity,
      area,
      firstSeen: state.firstSeen,
    });
  }
  return out;
}

export interface DashboardInput {
  /** The report as it may be shown: the dashboard is public wherever the repository is. */
  readonly report: PublicReport;
  readonly policy: Pick<Policy, 'exceptions'>;
  /** Every labelled issue as it stands after this run's writes. */
  readonly issues: readonly ExistingIssue[];
  readonly opened: readonly number[];
  readonly closed: readonly number[];
  /** `tenant:<name>` when several tenants share the repository: one dashboard each. */
  readonly tenant?: string;
}

/**
 * The dashboard body and its history: today's entry replaces a same-day one, and the oldest days
 * are dropped until the body fits in 65,536 characters.
 */
export function planDashboard(input: DashboardInput, current: ExistingIssue | undefined) {
  const parsed = parseHistory(current?.body);
  const full = withDay(parsed.history, dayEntry(input.report, input.opened, input.closed));
  const today = input.report.snapshot.capturedAt.slice(0, 10);
  const byNumber = new Map(input.issues.map((i) => [i.number, i.htmlUrl]));
  const base = current?.htmlUrl.replace(/\/\d+$/, '') ?? input.issues[0]?.htmlUrl.replace(/\/\d+$/, '') ?? '';
  const todays = full.days.find((d) => d.d === today);
  const render = (history: History) =>
    renderDashboardMarkdown({
      report: input.report,
      history,
      openFindings: openFindings(input.issues),
      openedToday: todays?.o ?? [],
      closedToday: todays?.k ?? [],
      issueUrl: (n) => byNumber.get(n) ?? `${base}/${n}`,
      expiring: expiringExceptions(
        input.policy.exceptions,
        new Date(input.report.snapshot.capturedAt),
        DASHBOARD_EXPIRY_DAYS,
      ),
      expiringDays: DASHBOARD_EXPIRY_DAYS,
      timeToFix: timeToFix(input.issues),
    });
  let body = render(full);
  let kept = full.days.length;
  if (body.length > BODY_LIMIT) {
    // Binary search for the most days that still fit; the oldest go first.
    let lo = 1;
    let hi = full.days.length - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (render({ ...full, days: full.days.slice(-mid) }).length <= BODY_LIMIT) lo = mid;
      else hi = mid - 1;
    }
    kept = lo;
    body = render({ ...full, days: full.days.slice(-kept) });
  }
  const history: History = { ...full, days: full.days.slice(-kept) };
  return {
    body,
    history,
    historyStatus: parsed.status,
    ...(parsed.problem ? { historyProblem: parsed.problem } : {}),
    trimmedDays: full.days.length - kept,
  };
}

/** Creates or rewrites the dashboard issue, only when its body changed: at most one write a run. */
export async function syncDashboard(api: IssuesApi, input: DashboardInput, dryRun: boolean): Promise<DashboardOutcome> {
  const current = [...input.issues]
    .filter((i) => isDashboard(i.body))
    .sort((a, b) => (a.state === b.state ? a.number - b.number : a.state === 'open' ? -1 : 1))[0];
  const plan = planDashboard(input, current);
  const base = {
    history: plan.history,
    historyStatus: plan.historyStatus,
    trimmedDays: plan.trimmedDays,
    ...(plan.historyProblem ? { historyProblem: plan.historyProblem } : {}),
    ...(current ? { number: current.number, htmlUrl: current.htmlUrl } : {}),
  };
  if (current && current.body === plan.body && current.state === 'open') return { status: 'unchanged', ...base };
  if (dryRun) return { status: 'dry-run', ...base };
  try {
    if (current) {
      const { htmlUrl } = await api.updateIssue(current.number, {
        body: plan.body,
        ...(current.state === 'closed' ? { state: 'open' as const, stateReason: 'reopened' as const } : {}),
      });
      return { status: 'updated', ...base, htmlUrl };
    }
    const created = await api.createIssue({
      title: tenantTitle(DASHBOARD_TITLE, input.tenant),
      body: plan.body,
      labels: input.tenant ? [TOOL_LABEL, input.tenant] : [TOOL_LABEL],
    });
    return { status: 'created', ...base, number: created.number, htmlUrl: created.htmlUrl };
  } catch (error: unknown) {
    return { status: 'failed', ...base, error: errorMessage(error) };
  }
}
