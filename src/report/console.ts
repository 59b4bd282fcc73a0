import { AREA_TITLES, AREAS } from '../model/area.js';
import type { Result } from '../model/result.js';
import type { Status } from '../model/status.js';
import { severityRank } from '../model/severity.js';
import type { PublicReport } from './disclosure.js';

const COLOURS: Readonly<Record<Status, string>> = {
  pass: '\u001b[32m',
  fail: '\u001b[31m',
  error: '\u001b[35m',
  not_evaluable: '\u001b[33m',
  excepted: '\u001b[36m',
};
const RESET = '\u001b[0m';

/** Terminal control characters in tenant text could rewrite the screen; show them inert. */
function plain(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: tenant text is made inert by matching them
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

const ORDER: Readonly<Record<Status, number>> = { fail: 0, error: 1, not_evaluable: 2, excepted: 3, pass: 4 };

/** The CLI's readable table, of the report as it may be shown; colour only when writing to a terminal. */
export function renderConsole(report: PublicReport, colour: boolean): string {
  const paint = (status: Status, text: string): string => (colour ? `${COLOURS[status]}${text}${RESET}` : text);
  const lines: string[] = [];
  const { byStatus } = report.summary;
  lines.push(
    `mailwarden ${report.tool.version} · policy ${report.policy.id} ${report.policy.version} · tenant ${report.run.tenantId ?? '(DNS only)'} · ${report.run.mode}`,
  );
  lines.push('');
  const sorted = [...report.results].sort(
    (a: Result, b: Result) =>
      ORDER[a.status] - ORDER[b.status] ||
      severityRank(b.severity) - severityRank(a.severity) ||
      a.control.localeCompare(b.control) ||
      a.target.localeCompare(b.target),
  );
  const controlWidth = Math.max(7, ...sorted.map((r) => r.control.length));
  const targetWidth = Math.min(40, Math.max(6, ...sorted.map((r) => plain(r.target).length)));
  lines.push(
    `${pad('STATUS', 14)}${pad('SEVERITY', 10)}${pad('CONTROL', controlWidth + 2)}${pad('TARGET', targetWidth + 2)}MESSAGE`,
  );
  for (const r of sorted) {
    lines.push(
      paint(r.status, pad(r.status.toUpperCase(), 14)) +
        pad(r.severity, 10) +
        pad(r.control, controlWidth + 2) +
        pad(truncate(plain(r.target), targetWidth), targetWidth + 2) +
        truncate(plain(r.message), 160),
    );
  }
  lines.push('');
  for (const area of AREAS) {
    const c = report.summary.byArea[area];
    const total = c.pass + c.fail + c.excepted + c.error + c.not_evaluable;
    if (total === 0) continue;
    lines.push(
      `${pad(AREA_TITLES[area], 24)} ${c.pass} passed, ${c.fail} failed, ${c.excepted} excepted, ${c.error} errors, ${c.not_evaluable} not evaluable`,
    );
  }
  lines.push('');
  lines.push(
    `${paint('fail', `${byStatus.fail} failed`)}, ${paint('pass', `${byStatus.pass} passed`)}, ${byStatus.excepted} excepted, ${byStatus.error} errors, ${byStatus.not_evaluable} not evaluable (${report.summary.total} results)`,
  );
  return lines.join('\n');
}
