import { AREA_TITLES, AREAS, type Area } from '../model/area.js';
import type { Result } from '../model/result.js';
import { severityRank, type Severity } from '../model/severity.js';
import { LICENCE_NAMES } from '../snapshot/source-status.js';
import { SOURCE_REQUIREMENTS } from '../snapshot/source-requirements.js';
import type { SourceId } from '../snapshot/source-id.js';
import type { PublicReport } from './disclosure.js';
import type { Report } from './report.js';
import { codeSpan, escapeMarkdown } from './escape.js';
import type { ExpiringException } from './expiring-exceptions.js';
import { coveredAreas, latestCounts, recentDays, renderHistoryBlock, type History } from './history.js';
import { failingSeries, mermaidCoverageTrend, mermaidFailingTrend, sparkline } from './trend.js';

/*
 * The one Markdown renderer of mailwarden: the job summary and the dashboard issue are built from
 * the same sections (headline table with sparklines, trend chart), so they never disagree.
 */

/** Extra lines the pipeline adds to the summary: issue links, warnings, the posture history. */
export interface SummaryExtras {
  readonly warnings?: readonly string[];
  readonly sections?: readonly string[];
  /** The dashboard's history including this run: adds sparklines and the trend chart. */
  readonly history?: History;
}

/** Days the trend covers. */
export const TREND_DAYS = 90;

/** The headline table: results per area, with a sparkline of failing findings when there is history. */
export function postureTable(report: Report, history: History | undefined): string[] {
  const today = report.snapshot.capturedAt.slice(0, 10);
  const days = history ? recentDays(history, today, TREND_DAYS) : [];
  const trend = days.length > 0;
  const lines = [
    `| Area | Passed | Failed | Excepted | Error | Not evaluable |${trend ? ` Failing, last ${TREND_DAYS} days |` : ''}`,
    `| --- | ---: | ---: | ---: | ---: | ---: |${trend ? ' --- |' : ''}`,
  ];
  const covered = coveredAreas(report);
  for (const area of AREAS) {
    const spark = trend ? ` ${sparkline(failingSeries(days, area))} |` : '';
    if (covered.has(area)) {
      const c = report.summary.byArea[area];
      lines.push(
        `| ${AREA_TITLES[area]} | ${c.pass} | ${c.fail} | ${c.excepted} | ${c.error} | ${c.not_evaluable} |${spark}`,
      );
      continue;
    }
    // Not audited by this run: the last counts a run that did audit it recorded, with their day.
    const latest = latestCounts(history, area, today);
    if (latest === undefined) continue;
    const [pass, fail, excepted, error, notEvaluable] = latest.counts;
    lines.push(
      `| ${AREA_TITLES[area]} (as of ${latest.day}, not audited by this run) | ${pass} | ${fail} | ${excepted} | ${error} | ${notEvaluable} |${spark}`,
    );
  }
  return lines;
}

/** The Mermaid trend charts in a collapsible section (GitHub and recent GHES draw them). */
export function trendDetails(history: History, today: string): string[] {
  const days = recentDays(history, today, TREND_DAYS);
  if (days.length === 0) return [];
  const coverage = mermaidCoverageTrend(days);
  return [
    '<details><summary>Trend charts (Mermaid)</summary>',
    '',
    '```mermaid',
    mermaidFailingTrend(days),
    '```',
    ...(coverage ? ['', '```mermaid', coverage, '```'] : []),
    '',
    '</details>',
  ];
}

function failingFirst(a: Result, b: Result): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    a.control.localeCompare(b.control) ||
    a.target.localeCompare(b.target)
  );
}

/**
 * The job summary in Markdown: counts per area, then the failing findings. It renders the report
 * as it may be shown (the one redaction step), and every string that comes from the tenant goes
 * through `escapeMarkdown`, because the summary renders raw HTML.
 */
export function renderSummaryMarkdown(report: PublicReport, extras: SummaryExtras = {}): string {
  const lines: string[] = [];
  const { byStatus } = report.summary;
  lines.push(
    `## mailwarden: ${escapeMarkdown(report.policy.title)} (${escapeMarkdown(report.policy.id)} ${escapeMarkdown(report.policy.version)})`,
  );
  lines.push('');
  lines.push(
    `Tenant ${codeSpan(report.run.tenantId ?? 'DNS only')} · ${report.run.mode} · ${report.run.finishedAt} · ` +
      `**${byStatus.fail} failed**, ${byStatus.pass} passed, ${byStatus.excepted} excepted, ${byStatus.error} errors, ${byStatus.not_evaluable} not evaluable`,
  );
  lines.push('');
  lines.push(...postureTable(report, extras.history));
  if (extras.history) {
    const details = trendDetails(extras.history, report.snapshot.capturedAt.slice(0, 10));
    if (details.length > 0) lines.push('', ...details);
  }
  const failing = report.results.filter((r) => r.status === 'fail').sort(failingFirst);
  if (failing.length > 0) {
    lines.push('', '### Failing', '', '| Severity | Control | Target | Finding |', '| --- | --- | --- | --- |');
    for (const r of failing) {
      const expired = r.exception?.expired ? ` (exception expired ${escapeMarkdown(r.exception.expires)})` : '';
      lines.push(
        `| ${r.severity} | \`${r.control}\` | ${escapeMarkdown(r.target)} | ${escapeMarkdown(r.message)}${expired} |`,
      );
    }
  }
  const unjudged = report.results.filter((r) => r.status === 'error' || r.status === 'not_evaluable');
  if (unjudged.length > 0) {
    lines.push('', '### Not judged', '', '| Status | Control | Target | Reason |', '| --- | --- | --- | --- |');
    for (const r of unjudged) {
      lines.push(`| ${r.status} | \`${r.control}\` | ${escapeMarkdown(r.target)} | ${escapeMarkdown(r.message)} |`);
    }
  }
  if (report.exceptions.unused.length > 0) {
    lines.push('', '### Exceptions that matched nothing', '');
    for (const e of report.exceptions.unused) {
      lines.push(`- \`${e.control}\` on ${escapeMarkdown(e.target)} (expires ${escapeMarkdown(e.expires)})`);
    }
  }
  if (extras.warnings && extras.warnings.length > 0) {
    lines.push('', '### Warnings', '');
    for (const w of extras.warnings) lines.push(`- ${escapeMarkdown(w)}`);
  }
  for (const section of extras.sections ?? []) lines.push('', section);
  lines.push('');
  return lines.join('\n');
}

/** An open finding issue, as the dashboard lists it. */
export interface OpenFinding {
  readonly number: number;
  readonly htmlUrl: string;
  readonly title: string;
  readonly severity: Severity;
  readonly area: Area;
  readonly firstSeen: string;
}

/** A source that could not be read for want of a licence or permission, with what it needs. */
export interface UnreadableSource {
  readonly source: SourceId;
  readonly status: 'not_licensed' | 'not_permitted';
  readonly needs: string;
}

/** Everything the dashboard shows; computed by the issues stage, rendered here. */
export interface DashboardView {
  readonly report: PublicReport;
  readonly history: History;
  readonly openFindings: readonly OpenFinding[];
  /** Issues opened and closed since the previous day's run (the day's history entry). */
  readonly openedToday: readonly number[];
  readonly closedToday: readonly number[];
  readonly issueUrl: (number: number) => string;
  readonly expiring: readonly ExpiringException[];
  readonly expiringDays: number;
  /** Days from first seen to mailwarden's close, over closed finding issues. */
  readonly timeToFix: { readonly count: number; readonly median: number; readonly p90: number } | undefined;
}

export const DASHBOARD_MARKER = '<!-- mailwarden:dashboard -->';

/** Sources whose status is `not_licensed` or `not_permitted`, with the licence or permission to get. */
export function unreadableSources(report: Report): UnreadableSource[] {
  const out: UnreadableSource[] = [];
  for (const [source, status] of Object.entries(report.snapshot.sources) as [
    SourceId,
    NonNullable<Report['snapshot']['sources'][SourceId]>,
  ][]) {
    const requirement = SOURCE_REQUIREMENTS[source];
    if (status.status === 'not_licensed') {
      out.push({
        source,
        status: 'not_licensed',
        needs: `${LICENCE_NAMES[status.licence]} licence${requirement ? `, and ${requirement.permission}` : ''}`,
      });
    } else if (status.status === 'not_permitted') {
      out.push({
        source,
        status: 'not_permitted',
        needs: `permission ${status.permission || requirement?.permission || 'unknown'}`,
      });
    }
  }
  return out.sort((a, b) => a.source.localeCompare(b.source));
}

function link(number: number, url: string): string {
  return /^https?:\/\/[^\s()<>]+$/.test(url) ? `[#${number}](${url})` : `#${number}`;
}

/**
 * The dashboard issue body. It holds no run link or clock time, only the capture day, so a rerun
 * on the same day with nothing changed renders the same body and makes no write.
 */
export function renderDashboardMarkdown(view: DashboardView): string {
  const { report } = view;
  const today = report.snapshot.capturedAt.slice(0, 10);
  const { byStatus } = report.summary;
  const lines: string[] = [
    DASHBOARD_MARKER,
    `## mailwarden dashboard: ${escapeMarkdown(report.policy.title)}`,
    '',
    `Tenant ${codeSpan(report.run.tenantId ?? 'DNS only')} · as of ${today} · **${byStatus.fail} failed**, ${byStatus.pass} passed, ${byStatus.excepted} excepted, ${byStatus.error} errors, ${byStatus.not_evaluable} not evaluable`,
    '',
    '### Posture',
    '',
    ...postureTable(report, view.history),
  ];
  const trend = trendDetails(view.history, today);
  if (trend.length > 0) lines.push('', ...trend);

  lines.push('', '### Open findings', '');
  if (view.openFindings.length === 0) lines.push('None.');
  for (const area of AREAS) {
    const open = view.openFindings
      .filter((f) => f.area === area)
      .sort(
        (a, b) =>
          severityRank(b.severity) - severityRank(a.severity) ||
          a.firstSeen.localeCompare(b.firstSeen) ||
          a.number - b.number,
      );
    if (open.length === 0) continue;
    lines.push(`**${AREA_TITLES[area]}** (${open.length})`, '');
    for (const f of open)
      lines.push(`- ${f.severity} · ${link(f.number, f.htmlUrl)} ${escapeMarkdown(f.title)} · since ${f.firstSeen}`);
    lines.push('');
  }

  lines.push('', '### Opened and closed since the previous day', '');
  const list = (ns: readonly number[]) =>
    ns.length === 0 ? 'none' : ns.map((n) => link(n, view.issueUrl(n))).join(', ');
  lines.push(`- Opened or reopened: ${list(view.openedToday)}`, `- Closed: ${list(view.closedToday)}`);

  lines.push('', `### Exceptions expiring within ${view.expiringDays} days`, '');
  if (view.expiring.length === 0) lines.push('None.');
  else {
    lines.push('| Control | Target | Expires | Days left | Approved by |', '| --- | --- | --- | ---: | --- |');
    for (const e of view.expiring) {
      lines.push(
        `| ${codeSpan(e.control, { cell: true })} | ${escapeMarkdown(e.target)} | ${e.expires} | ${e.daysLeft} | ${escapeMarkdown(e.approvedBy)} |`,
      );
    }
  }

  const unreadable = unreadableSources(report);
  lines.push('', '### Data sources not evaluable', '');
  if (unreadable.length === 0) lines.push('None: every source the policy needs was read.');
  else {
    lines.push('| Source | Status | Needs |', '| --- | --- | --- |');
    for (const u of unreadable)
      lines.push(`| ${codeSpan(u.source, { cell: true })} | ${u.status} | ${escapeMarkdown(u.needs)} |`);
  }

  const days = recentDays(view.history, today, TREND_DAYS);
  const coverage = days.map((d) => d.c);
  const latest = [...coverage].reverse().find((c) => c !== null);
  lines.push('', '### MFA registration coverage', '');
  lines.push(
    latest === undefined || latest === null
      ? 'Not measured.'
      : `${latest}% now · ${sparkline(coverage)} over ${days.length} day${days.length === 1 ? '' : 's'}`,
  );

  lines.push('', '### Time to fix', '');
  lines.push(
    view.timeToFix
      ? `${view.timeToFix.count} findings closed by mailwarden: median ${view.timeToFix.median} days, 90th percentile ${view.timeToFix.p90} days.`
      : 'No finding has been closed yet.',
  );
  lines.push('', renderHistoryBlock(view.history), '');
  return lines.join('\n');
}
