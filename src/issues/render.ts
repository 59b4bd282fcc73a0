import { findControl } from '../controls/catalog.js';
import type { ControlReferences } from '../controls/control.js';
import type { Json, JsonObject } from '../model/json.js';
import type { Result } from '../model/result.js';
import type { ShownResult } from '../report/disclosure.js';
import type { Policy } from '../policy/policy.js';
import { catalogMarkdown, codeSpan, escapeMarkdown, fencedBlock, fencedJson, plainTitle } from '../report/escape.js';
import { renderFingerprintMarker, renderStateMarker, STATE_VERSION, type IssueState } from './marker.js';

/** GitHub rejects issue and comment bodies over 65,536 characters. */
export const BODY_LIMIT = 65_536;
export const TOOL_LABEL = 'mailwarden';

export interface RenderedIssue {
  readonly title: string;
  readonly body: string;
  readonly labels: readonly string[];
  /** Short hashes of the affected objects in the evidence (never the objects themselves). */
  readonly affected: readonly string[];
}

/** What changes from run to run without the finding changing: kept in the body, refreshed rarely. */
export interface RenderMeta {
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly runUrl: string | undefined;
  readonly status: IssueState['status'];
  readonly reopenedAfterManualClose: boolean;
  readonly closedOn?: string;
}

export function findingLabels(result: Pick<Result, 'severity' | 'area'>, extra: readonly string[]): string[] {
  return [...new Set([TOOL_LABEL, `severity:${result.severity}`, `area:${result.area}`, ...extra])];
}

export function findingTitle(result: Pick<Result, 'title' | 'target'>): string {
  return plainTitle(`[mailwarden] ${result.title}: ${result.target}`);
}

/**
 * A nested value as words: `key: value` pairs and bracketed lists. JSON text would show its
 * backslash before every quote in tenant strings; the exact JSON is in the pasteable block.
 */
function plainWords(value: Json, nested: boolean): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) {
    const items = (value as readonly Json[]).map((v) => plainWords(v, true));
    return nested ? `[${items.join(', ')}]` : items.join('; ');
  }
  const pairs = Object.entries(value as JsonObject).map(([k, v]) => `${k}: ${plainWords(v, true)}`);
  return nested ? `{${pairs.join(', ')}}` : pairs.join(', ');
}

/** One table cell, escaped: tenant text is shown as text, never as markup. */
function scalar(value: Json): string {
  if (value === null) return '–';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const words = plainWords(value, false);
  return words === '' ? '–' : escapeMarkdown(words);
}

function isObjectArray(value: Json): value is readonly JsonObject[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))
  );
}

/** The evidence as tables: one row per scalar, one table per list of objects. */
function evidenceLines(evidence: JsonObject): string[] {
  const rows: string[] = [];
  const lists: string[][] = [];
  const flatten = (prefix: string, value: Json): void => {
    if (isObjectArray(value)) {
      const columns = [...new Set(value.flatMap((v) => Object.keys(v)))].slice(0, 8);
      const table = [
        '',
        `**${escapeMarkdown(prefix)}** (${value.length})`,
        '',
        `| ${columns.map(escapeMarkdown).join(' | ')} |`,
        `| ${columns.map(() => '---').join(' | ')} |`,
      ];
      for (const item of value)
        table.push(`| ${columns.map((c) => (item[c] === undefined ? '–' : scalar(item[c] as Json))).join(' | ')} |`);
      lists.push(table);
    } else if (Array.isArray(value)) {
      rows.push(
        `| ${escapeMarkdown(prefix)} | ${value.length === 0 ? 'none' : (value as readonly Json[]).map(scalar).join(', ')} |`,
      );
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value as JsonObject)) flatten(prefix === '' ? k : `${prefix}.${k}`, v);
    } else {
      rows.push(`| ${escapeMarkdown(prefix)} | ${scalar(value)} |`);
    }
  };
  flatten('', evidence);
  return [...(rows.length > 0 ? ['| Evidence | Value |', '| --- | --- |', ...rows] : []), ...lists.flat()];
}

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * A DNS record to publish, when the evidence allows one: the check's own proposal (an evidence
 * field named `proposed…`), or the control's remediation record on a domain target.
 */
function proposedRecords(result: Result, template: string | undefined): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(result.evidence)) {
    if (/^(proposed|suggested)/i.test(key) && typeof value === 'string') out.push(value);
  }
  const domain = result.target.toLowerCase();
  if (out.length === 0 && template !== undefined && DOMAIN.test(domain))
    out.push(template.replaceAll('{domain}', domain));
  // Shown in a fenced block (fencedBlock): one line each, and the fence outgrows any backticks.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point: tenant text is made inert
  return out.map((r) => r.replace(/[\u0000-\u001f\u007f]+/g, ' '));
}

function referenceLines(refs: ControlReferences): string[] {
  const line = (name: string, ids: readonly string[] | undefined): string[] =>
    ids && ids.length > 0 ? [`- ${name}: ${ids.map(escapeMarkdown).join(', ')}`] : [];
  return [
    ...line('CISA SCuBA', refs.scuba),
    ...line('CIS Microsoft 365 Foundations', refs.cis),
    ...line('HIPAA Security Rule (45 CFR)', refs.hipaa),
    ...line('NIST SP 800-53 rev. 5', refs.nist),
  ];
}

function mergeRefs(a: ControlReferences, b: ControlReferences): ControlReferences {
  const merge = (x?: readonly string[], y?: readonly string[]) => [...new Set([...(x ?? []), ...(y ?? [])])];
  return {
    scuba: merge(a.scuba, b.scuba),
    cis: merge(a.cis, b.cis),
    hipaa: merge(a.hipaa, b.hipaa),
    nist: merge(a.nist, b.nist),
  };
}

/** A run link only when it is a plain http(s) URL (it comes from the CI environment). */
export function safeUrl(url: string | undefined): string | undefined {
  return url && /^https?:\/\/[^\s<>()[\]`"']+$/.test(url) ? url : undefined;
}

/** Where the policy file is, as the issue names it: the repository's copy, or where the bundled one goes. */
export interface PolicyPlace {
  readonly path: string;
  readonly bundled: boolean;
}

/**
 * The issue for one failing finding, from a result as it may be shown (redacted by the one
 * redaction step when that applies). Every tenant string is escaped. Past 65,536 characters
 * the evidence rows are cut and counted.
 */
export function renderFindingIssue(
  result: ShownResult,
  policy: Pick<Policy, 'controls' | 'maxExceptionDays'> & { readonly place: PolicyPlace },
  meta: RenderMeta,
  extraLabels: readonly string[] = [],
): RenderedIssue {
  const control = findControl(result.control);
  const { evidence, target, affected } = result;
  const head = [
    renderFingerprintMarker(result.fingerprint),
    '### What was found',
    '',
    `**${result.severity}** · ${codeSpan(result.control)} · target ${codeSpan(target)}`,
    '',
    escapeMarkdown(result.message),
    '',
    // An expired exception no longer applies; say so, so nobody reads the reopened issue as noise.
    ...(result.exception?.expired
      ? [
          `> **The policy exception for this finding expired on ${escapeMarkdown(result.exception.expires)}**, so it fails again. It was approved by ${escapeMarkdown(result.exception.approvedBy)}: ${escapeMarkdown(result.exception.reason)}`,
          '',
        ]
      : []),
  ];
  const evidenceRows = evidenceLines(evidence);
  const records = proposedRecords(result, control?.remediationRecord);
  const exception = {
    control: result.control,
    target: result.targetInClear ? target : `<${target}: the real target is in the run's JSON evidence report>`,
    reason: '<why the risk is accepted>',
    approvedBy: '<who accepted it>',
    expires: `<YYYY-MM-DD, at most ${policy.maxExceptionDays} days ahead>`,
  };
  const runUrl = safeUrl(meta.runUrl);
  const tail = [
    '',
    '### Why it matters',
    '',
    `**${catalogMarkdown(control?.statement ?? result.title)}**`,
    '',
    catalogMarkdown(control?.rationale ?? ''),
    '',
    '### How to fix it',
    '',
    catalogMarkdown(control?.remediation ?? 'See the control catalog (docs/controls.md).'),
    ...(records.length > 0 ? ['', 'Proposed DNS record, from the evidence:', '', fencedBlock(records, 'text')] : []),
    '',
    '### How to accept the risk instead',
    '',
    ...(policy.place.bundled
      ? [
          `This run used mailwarden's bundled baseline policy. Put a copy in the repository first: \`mailwarden init\` writes it to ${codeSpan(policy.place.path)} (or copy \`policies/baseline.json\` of the release there), then give the workflow \`policy: ${policy.place.path}\`. Add this entry to \`exceptions\` in it; the issue is closed on the next run and reopens when the exception expires.`,
        ]
      : [
          `Add this entry to \`exceptions\` in the policy file ${codeSpan(policy.place.path)}; the issue is closed on the next run and reopens when the exception expires.`,
        ]),
    '',
    '```json',
    fencedJson(exception),
    '```',
    '',
    ...(result.targetInClear
      ? [
          'Where the repository runs the mailwarden accept workflow, a comment on this issue opens the pull request that adds it: `/mailwarden accept until YYYY-MM-DD because REASON; ticket TICKET` (the ticket is optional).',
          '',
        ]
      : []),
    '### References',
    '',
    ...referenceLines(mergeRefs(control?.references ?? {}, policy.controls.get(result.control)?.mappings ?? {})),
    '',
    '### History',
    '',
    `| First seen | Last seen | Run |`,
    `| --- | --- | --- |`,
    `| ${meta.firstSeen} | ${meta.lastSeen} | ${runUrl ? `[run](${runUrl})` : '–'} |`,
    '',
    renderStateMarker({
      v: STATE_VERSION,
      control: result.control,
      ...(result.targetInClear ? { target } : {}),
      severity: result.severity,
      firstSeen: meta.firstSeen,
      lastSeen: meta.lastSeen,
      affected,
      status: meta.status,
      reopenedAfterManualClose: meta.reopenedAfterManualClose,
      ...(meta.closedOn ? { closedOn: meta.closedOn } : {}),
      ...(runUrl ? { run: runUrl } : {}),
    }),
    '',
  ];
  const body = fitBody(head, evidenceRows, tail);
  return { title: findingTitle(result), body, labels: findingLabels(result, extraLabels), affected: [...affected] };
}

/** Joins head, middle and tail, cutting middle lines (and counting them) to stay within the limit. */
export function fitBody(head: readonly string[], middle: readonly string[], tail: readonly string[]): string {
  const fixed = head.join('\n').length + tail.join('\n').length + 2;
  const note = (n: number) =>
    `\n_${n} evidence lines cut to stay within GitHub's ${BODY_LIMIT.toLocaleString('en-US')}-character limit; the JSON evidence report has them all._\n`;
  let size = fixed;
  let kept = 0;
  for (const line of middle) {
    if (size + line.length + 1 + note(middle.length).length > BODY_LIMIT) break;
    size += line.length + 1;
    kept += 1;
  }
  const cut = middle.length - kept;
  const parts = [...head, ...middle.slice(0, kept), ...(cut > 0 ? [note(cut)] : []), ...tail];
  const body = parts.join('\n');
  return body.length > BODY_LIMIT ? body.slice(0, BODY_LIMIT) : body;
}
