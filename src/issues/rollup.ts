import type { ShownResult } from '../report/disclosure.js';
import { codeSpan, escapeMarkdown } from '../report/escape.js';
import { ROLLUP_MARKER } from './marker.js';
import { fitBody } from './render.js';

export const ROLLUP_TITLE = '[mailwarden] Findings waiting for an issue';

/**
 * The one issue for the findings past `max-new-issues`: a capped burst of new issues keeps the
 * run within GitHub's content-creation limits (80 a minute), and nothing is lost from sight.
 * The body has no run link or date, so an unchanged overflow makes no write.
 */
export function renderRollup(overflow: readonly ShownResult[], cap: number): string {
  const head = [
    ROLLUP_MARKER,
    `More findings fail than \`max-new-issues\` (${cap}) allows to open in one run. These ${overflow.length} get their own issue in later runs, most severe first.`,
    '',
    '| Severity | Control | Target | Finding |',
    '| --- | --- | --- | --- |',
  ];
  const rows = overflow.map(
    (r) =>
      `| ${r.severity} | ${codeSpan(r.control, { cell: true })} | ${escapeMarkdown(r.target)} | ${escapeMarkdown(r.message)} |`,
  );
  return fitBody(head, rows, ['']);
}
