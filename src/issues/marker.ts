import type { Severity } from '../model/severity.js';
import { isSeverity } from '../model/severity.js';

/**
 * Hidden markers in issue bodies. Issues are matched by the fingerprint marker, never by title
 * (people edit titles). The state marker keeps what the next run needs to know, so no other
 * storage is required: first seen, the affected objects (as short hashes, never UPNs), the
 * severity, the state mailwarden last set, and whether the one reopen after a manual close was spent.
 */

export const FINGERPRINT_MARKER_PREFIX = '<!-- mailwarden:fingerprint=';
const FINGERPRINT_LINE = /^<!-- mailwarden:fingerprint=([0-9a-f]{32}) -->$/gm;
const STATE_LINE = /^<!-- mailwarden:state=(\{[^\n]*\}) -->$/gm;
export const ROLLUP_MARKER = '<!-- mailwarden:rollup -->';
const ROLLUP_LINE = /^<!-- mailwarden:rollup -->$/m;

/**
 * 2: the affected-object hashes are keyed (report/affected-objects.ts). A version 1 marker is still
 * read, but its unkeyed hashes are not compared with keyed ones (`affectedComparable: false`).
 */
export const STATE_VERSION = 2;

export interface IssueState {
  readonly v: typeof STATE_VERSION;
  readonly control: string;
  /**
   * The finding's target exactly as judged, for `/mailwarden accept`, which reads control and
   * target from here only. Left out when redaction changed it: a pseudonym names nobody, and the
   * real address must not reach a public repository.
   */
  readonly target?: string;
  readonly severity: Severity;
  /** `YYYY-MM-DD` (UTC) of the run that first found it. */
  readonly firstSeen: string;
  /** `YYYY-MM-DD` (UTC) of the last run that rewrote the body. */
  readonly lastSeen: string;
  /** Short keyed hashes of the affected objects, to tell when new ones appear. */
  readonly affected: readonly string[];
  /**
   * `false` when read from a version 1 marker, whose hashes were made another way: comparing them
   * would announce every object as new. Never rendered.
   */
  readonly affectedComparable?: false;
  /** The state mailwarden last set; a closed issue whose state says `open` was closed by a person. */
  readonly status: 'open' | 'closed';
  /** The one reopen after a person closed the issue while it still failed has been used. */
  readonly reopenedAfterManualClose: boolean;
  /** `YYYY-MM-DD` (UTC) of mailwarden's close, for time-to-fix figures. */
  readonly closedOn?: string;
  /** The run that last rewrote the body (linked in the body). */
  readonly run?: string;
}

export function renderFingerprintMarker(fingerprint: string): string {
  return `${FINGERPRINT_MARKER_PREFIX}${fingerprint} -->`;
}

export function renderStateMarker(full: IssueState): string {
  // Unkeyed hashes carried over (a close rewrites only the state) keep their version 1 label.
  const { affectedComparable, v: _version, ...rest } = full;
  const state = { v: affectedComparable === false ? 1 : STATE_VERSION, ...rest };
  // `--` would end the HTML comment early (and `--!>` in HTML5); the target is tenant text, so
  // every `-` that follows another is escaped, and so are `<` and `>` (the same JSON value).
  // JSON.stringify keeps the block on one line.
  const json = JSON.stringify(state)
    .replace(/--/g, '-\\u002d')
    .replace(/[<>]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `<!-- mailwarden:state=${json} -->`;
}

/**
 * The fingerprint of a body, or `undefined` when there is none or the body holds two different
 * ones (hand-edited or forged): such an issue is left alone rather than guessed at.
 */
export function parseFingerprint(body: string | null | undefined): string | undefined {
  if (!body) return undefined;
  const found = new Set<string>();
  for (const match of body.matchAll(FINGERPRINT_LINE)) if (match[1]) found.add(match[1]);
  return found.size === 1 ? [...found][0] : undefined;
}

function isDay(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
}

/** The state block, or `undefined` when missing, duplicated or malformed (never throws). */
export function parseState(body: string | null | undefined): IssueState | undefined {
  if (!body) return undefined;
  const matches = [...body.matchAll(STATE_LINE)];
  if (matches.length !== 1 || !matches[0]?.[1]) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(matches[0][1]);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  if (
    (v.v !== STATE_VERSION && v.v !== 1) ||
    typeof v.control !== 'string' ||
    typeof v.severity !== 'string' ||
    !isSeverity(v.severity) ||
    !isDay(v.firstSeen) ||
    !isDay(v.lastSeen) ||
    !Array.isArray(v.affected) ||
    !v.affected.every((a) => typeof a === 'string') ||
    (v.status !== 'open' && v.status !== 'closed') ||
    typeof v.reopenedAfterManualClose !== 'boolean' ||
    (v.closedOn !== undefined && !isDay(v.closedOn)) ||
    (v.run !== undefined && typeof v.run !== 'string') ||
    (v.target !== undefined && (typeof v.target !== 'string' || v.target === ''))
  ) {
    return undefined;
  }
  return {
    v: STATE_VERSION,
    control: v.control,
    ...(typeof v.target === 'string' ? { target: v.target } : {}),
    severity: v.severity,
    firstSeen: v.firstSeen,
    lastSeen: v.lastSeen,
    affected: v.affected as string[],
    ...(v.v === 1 ? { affectedComparable: false as const } : {}),
    status: v.status,
    reopenedAfterManualClose: v.reopenedAfterManualClose,
    ...(isDay(v.closedOn) ? { closedOn: v.closedOn } : {}),
    ...(typeof v.run === 'string' ? { run: v.run } : {}),
  };
}

/** The dashboard issue's body starts with its marker (report/summary-markdown.ts). */
export function isDashboard(body: string | null | undefined): boolean {
  return !!body && body.startsWith('<!-- mailwarden:dashboard -->');
}

export function isRollup(body: string | null | undefined): boolean {
  return !!body && ROLLUP_LINE.test(body);
}

/** The body with its state marker replaced (or appended when missing). */
export function withState(body: string, state: IssueState): string {
  const marker = renderStateMarker(state);
  const matches = [...body.matchAll(STATE_LINE)];
  if (matches.length === 1 && matches[0]) return body.replace(matches[0][0], () => marker);
  return `${body.trimEnd()}\n\n${marker}\n`;
}
