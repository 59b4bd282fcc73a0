import { AREA_TITLES, AREAS } from '../model/area.js';
import type { Result } from '../model/result.js';
import { severityRank } from '../model/severity.js';
import type { Report } from './report.js';
import { escapeMarkdown } from './escape.js';

/** Extra lines the pipeline adds to the summary: issue links, warnings. */
export interface SummaryExtras {
  readonly warnings?: readonly string[];
  readonly sections?: readonly string[];
}

function failingFirst(a: Result, b: Result): number {
  return severityRank(b.severity) - severityRank(a.severity) || a.control.localeCompare(b.control) || a.target.localeCompare(b.target);
}

/**
 * The job summary in Markdown: counts per area, then the failing findings. Every string that
 * comes from the tenant goes through `escapeMarkdown`, because the summary renders raw HTML.
 */
export function renderSummaryMarkdown(report: Report, extras: SummaryExtras = {}): string {
  const lines: string[] = [];
  const { byStatus } = report.summary;
  lines.push(`## mailwarden: ${escapeMarkdown(report.policy.title)} (${escapeMarkdown(report.policy.id)} ${escapeMarkdown(report.policy.version)})`);
  lines.push('');
  lines.push(
    `Tenant \`${report.run.tenantId ?? 'DNS only'}\` · ${report.run.mode} · ${report.run.finishedAt} · ` +
      `**${byStatus.fail} failed**, ${byStatus.pass} passed, ${byStatus.excepted} excepted, ${byStatus.error} errors, ${byStatus.not_evaluable} not evaluable`,
  );
  lines.push('');
  lines.push('| Area | Passed | Failed | Excepted | Error | Not evaluable |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const area of AREAS) {
    const c = report.summary.byArea[area];
    if (c.pass + c.fail + c.excepted + c.error + c.not_evaluable === 0) continue;
    lines.push(`| ${AREA_TITLES[area]} | ${c.pass} | ${c.fail} | ${c.excepted} | ${c.error} | ${c.not_evaluable} |`);
  }
  const failing = report.results.filter((r) => r.status === 'fail').sort(failingFirst);
  if (failing.length > 0) {
    lines.push('', '### Failing', '', '| Severity | Control | Target | Finding |', '| --- | --- | --- | --- |');
    for (const r of failing) {
      const expired = r.exception?.expired ? ` (exception expired ${escapeMarkdown(r.exception.expires)})` : '';
      lines.push(`| ${r.severity} | \`${r.control}\` | ${escapeMarkdown(r.target)} | ${escapeMarkdown(r.message)}${expired} |`);
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
