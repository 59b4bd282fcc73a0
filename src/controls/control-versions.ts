import { createHash } from 'node:crypto';
import type { ControlDefinition } from './control.js';

/**
 * docs/control-versions.json: for every control ID ever published, its version and the exact
 * normative statement of that version. A control ID never changes meaning: when a statement
 * changes, the version must go up and docs/control-migrations.md must record the old and the
 * new text with the reason. `npm run gen` refuses to update the lock otherwise, and a test
 * fails. Entries are never removed, so a retired ID cannot come back with another meaning.
 */
export const CONTROL_VERSIONS_FILE = 'docs/control-versions.json';
export const CONTROL_MIGRATIONS_FILE = 'docs/control-migrations.md';

export interface ControlVersionEntry {
  readonly version: number;
  readonly statementSha256: string;
  readonly statement: string;
}

export type ControlVersionLock = Readonly<Record<string, ControlVersionEntry>>;

export function statementSha256(statement: string): string {
  return createHash('sha256').update(statement).digest('hex');
}

function entryFor(control: ControlDefinition): ControlVersionEntry {
  return {
    version: control.version,
    statementSha256: statementSha256(control.statement),
    statement: control.statement,
  };
}

/** The heading a migration entry must use, e.g. `## mfa.registration v1 → v2`. */
export function migrationHeading(id: string, from: number, to: number): string {
  return `## ${id} v${from} → v${to}`;
}

/** The text of one migration section (up to the next `## ` heading), or undefined. */
function migrationSection(migrations: string, heading: string): string | undefined {
  const start = migrations.split('\n').findIndex((line) => line.trim() === heading);
  if (start < 0) return undefined;
  const lines = migrations.split('\n').slice(start + 1);
  const end = lines.findIndex((line) => line.startsWith('## '));
  return (end < 0 ? lines : lines.slice(0, end)).join('\n');
}

/** Whitespace-insensitive containment, so quoting may wrap lines. */
function mentions(section: string, text: string): boolean {
  const squash = (s: string) => s.replace(/^>\s?/gm, '').replace(/\s+/g, ' ');
  return squash(section).includes(squash(text));
}

export interface LockUpdate {
  /** The lock to commit; problematic entries keep their committed value. */
  readonly lock: ControlVersionLock;
  /** Each rule broken, naming the control and what to do. */
  readonly problems: readonly string[];
}

/**
 * Computes the next lock from the committed one, the catalog and the migrations file.
 */
export function updateControlLock(
  committed: ControlVersionLock,
  controls: readonly ControlDefinition[],
  migrations: string,
): LockUpdate {
  const lock: Record<string, ControlVersionEntry> = { ...committed };
  const problems: string[] = [];
  for (const control of controls) {
    const next = entryFor(control);
    const previous = committed[control.id];
    if (!previous) {
      lock[control.id] = next;
      continue;
    }
    if (control.version < previous.version) {
      problems.push(
        `${control.id}: version ${control.version} is lower than the published version ${previous.version}`,
      );
      continue;
    }
    if (control.version === previous.version) {
      if (next.statementSha256 !== previous.statementSha256) {
        problems.push(
          `${control.id}: the statement changed but the version is still ${previous.version}. Raise "version" to ${previous.version + 1} and add "${migrationHeading(control.id, previous.version, previous.version + 1)}" to ${CONTROL_MIGRATIONS_FILE} with the old text, the new text and the reason. (If this control was never delivered to main, delete its entry from ${CONTROL_VERSIONS_FILE} instead.)`,
        );
      }
      continue;
    }
    const heading = migrationHeading(control.id, previous.version, control.version);
    const section = migrationSection(migrations, heading);
    if (section === undefined) {
      problems.push(
        `${control.id}: version ${previous.version} → ${control.version} needs the section "${heading}" in ${CONTROL_MIGRATIONS_FILE}`,
      );
      continue;
    }
    const missing = [
      mentions(section, previous.statement) ? undefined : 'the old statement',
      mentions(section, control.statement) ? undefined : 'the new statement',
      /\*\*Reason\.\*\*\s*\S/.test(section) ? undefined : 'a "**Reason.**" line',
    ].filter((m) => m !== undefined);
    if (missing.length > 0) {
      problems.push(`${control.id}: "${heading}" in ${CONTROL_MIGRATIONS_FILE} lacks ${missing.join(', ')}`);
      continue;
    }
    lock[control.id] = next;
  }
  const sorted = Object.fromEntries(Object.entries(lock).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { lock: sorted, problems };
}

export function renderControlLock(lock: ControlVersionLock): string {
  return `${JSON.stringify(lock, null, 2)}\n`;
}

/** Reads the committed lock; a missing file is an empty lock (the first generation). */
export function parseControlLock(text: string | undefined): ControlVersionLock {
  if (text === undefined || text.trim() === '') return {};
  return JSON.parse(text) as ControlVersionLock;
}
