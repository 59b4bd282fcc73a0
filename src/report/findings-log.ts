import { type FailOn, severityRank } from '../model/severity.js';
import type { PublicReport, ShownResult } from './disclosure.js';

/** Findings listed in the step log; the job summary and the issues have them all. */
export const LOG_FINDINGS_CAP = 25;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters in tenant text could rewrite the log
const CONTROL = /[\u0000-\u001f\u007f-\u009f]+/g;

function cell(text: string, width: number): string {
  const plain = text.replace(CONTROL, ' ');
  const cut = plain.length <= width ? plain : `${plain.slice(0, width - 1)}…`;
  return cut.padEnd(width);
}

/** At or above the threshold: the failures that fail the step. */
export function failuresAtThreshold(report: PublicReport, failOn: FailOn): ShownResult[] {
  if (failOn === 'none') return [];
  return report.results
    .filter((r) => r.status === 'fail' && severityRank(r.severity) >= severityRank(failOn))
    .sort(
      (a, b) =>
        severityRank(b.severity) - severityRank(a.severity) ||
        a.control.localeCompare(b.control) ||
        a.target.localeCompare(b.target),
    );
}

/**
 * The short findings table of the step log: the counts, then the failures at or above `fail-on`
 * (the ones that fail the step), most severe first, capped. Rendered from the report as it may
 * be shown, so the (public) log holds no more than the job summary does.
 */
export function renderFindingsLog(report: PublicReport, failOn: FailOn): string[] {
  const { byStatus } = report.summary;
  const lines = [
    `mailwarden: ${byStatus.fail} failed, ${byStatus.pass} passed, ${byStatus.excepted} excepted, ${byStatus.error} errors, ${byStatus.not_evaluable} not evaluable (${report.summary.total} results)`,
  ];
  const failing = failuresAtThreshold(report, failOn);
  if (failOn === 'none') {
    lines.push('fail-on: none, so no finding fails the step.');
    return lines;
  }
  if (failing.length === 0) {
    lines.push(`No failing finding at or above ${failOn} (fail-on).`);
    return lines;
  }
  lines.push(`${failing.length} failing finding${failing.length === 1 ? '' : 's'} at or above ${failOn} (fail-on):`);
  const controlWidth = Math.min(32, Math.max(7, ...failing.map((r) => r.control.length)));
  lines.push(`  ${cell('SEVERITY', 9)} ${cell('CONTROL', controlWidth)} ${cell('TARGET', 44)} FINDING`);
  for (const r of failing.slice(0, LOG_FINDINGS_CAP)) {
    lines.push(
      `  ${cell(r.severity, 9)} ${cell(r.control, controlWidth)} ${cell(r.target, 44)} ${cell(r.message, 100).trimEnd()}`,
    );
  }
  if (failing.length > LOG_FINDINGS_CAP)
    lines.push(`  … and ${failing.length - LOG_FINDINGS_CAP} more: the job summary and the issues list them all.`);
  return lines;
}
