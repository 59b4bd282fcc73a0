import { ReleaseError } from './release-error.js';

/*
 * CHANGELOG.md in the Keep a Changelog 1.1.0 form (https://keepachangelog.com/en/1.1.0/):
 * `## [Unreleased]` first, then one `## [X.Y.Z] - YYYY-MM-DD` section per release, newest first,
 * each with `### Added` / `Changed` / `Deprecated` / `Removed` / `Fixed` / `Security` lists, and
 * link reference definitions (`[X.Y.Z]: https://…`) at the bottom.
 */

export interface ChangelogSection {
  /** `Unreleased`, or the version as written between the brackets. */
  readonly label: string;
  /** `YYYY-MM-DD` after the heading, when there is one. */
  readonly date?: string;
  /** 1-based line of the `## ` heading. */
  readonly line: number;
  /** The lines after the heading up to the next `## ` heading or the link definitions. */
  readonly body: readonly string[];
}

export interface Changelog {
  readonly sections: readonly ChangelogSection[];
  /** Link reference definitions, by lower-cased label (CommonMark matches labels case-insensitively). */
  readonly links: ReadonlyMap<string, string>;
}

const HEADING = /^## \[([^\]]+)\](?:\s+-\s+(\d{4}-\d{2}-\d{2}))?(?:\s+\[YANKED\])?\s*$/;
const LINK_DEFINITION = /^\[([^\]]+)\]:\s+(\S+)\s*$/;

export function parseChangelog(text: string, file = 'CHANGELOG.md'): Changelog {
  const lines = text.split(/\r?\n/);
  const sections: { label: string; date?: string; line: number; body: string[] }[] = [];
  const links = new Map<string, string>();
  lines.forEach((line, index) => {
    const link = LINK_DEFINITION.exec(line);
    if (link?.[1] && link[2]) {
      links.set(link[1].toLowerCase(), link[2]);
      return;
    }
    if (line.startsWith('## ')) {
      const heading = HEADING.exec(line);
      if (!heading?.[1]) {
        throw new ReleaseError(
          `${file}:${index + 1}: a section heading must read "## [Unreleased]" or "## [X.Y.Z] - YYYY-MM-DD", not "${line}"`,
        );
      }
      sections.push({ label: heading[1], ...(heading[2] ? { date: heading[2] } : {}), line: index + 1, body: [] });
      return;
    }
    sections.at(-1)?.body.push(line);
  });
  return { sections, links };
}

/** Whether the lines hold anything besides blank lines and `###` sub-headings. */
export function hasEntries(body: readonly string[]): boolean {
  return body.some((line) => line.trim() !== '' && !/^#{3,}\s/.test(line));
}

function isRealDate(date: string): boolean {
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date);
}

/**
 * The release notes of `version`: its section's body, trimmed, followed by the link reference
 * definitions the body uses (so links still resolve on the GitHub release page).
 */
export function releaseNotes(text: string, version: string, file = 'CHANGELOG.md'): string {
  const changelog = parseChangelog(text, file);
  const section = changelog.sections.find((s) => s.label === version);
  if (!section) {
    const found = changelog.sections.map((s) => s.label).join(', ') || 'none';
    throw new ReleaseError(`${file}: no "## [${version}] - YYYY-MM-DD" section (sections found: ${found})`);
  }
  if (!section.date) {
    throw new ReleaseError(`${file}:${section.line}: the section of ${version} has no release date ("- YYYY-MM-DD")`);
  }
  if (!isRealDate(section.date)) {
    throw new ReleaseError(`${file}:${section.line}: ${section.date} is not a calendar date`);
  }
  if (!hasEntries(section.body)) {
    throw new ReleaseError(`${file}:${section.line}: the section of ${version} lists no change`);
  }
  const body = section.body.join('\n').trim();
  const used = [...body.matchAll(/\[([^\]]+)\](?!\(|:)/g)]
    .map((match) => match[1]?.toLowerCase() ?? '')
    .filter((label, index, all) => changelog.links.has(label) && all.indexOf(label) === index);
  const definitions = used.map((label) => `[${label}]: ${changelog.links.get(label)}`);
  return definitions.length > 0 ? `${body}\n\n${definitions.join('\n')}\n` : `${body}\n`;
}

/**
 * The changelog as it stood when VERSION was tagged: entries under `Unreleased` belong to the next
 * release, so they are dropped. Lets a test dry-run the release of the current version while
 * development adds to `Unreleased`.
 */
export function changelogAtRelease(text: string): string {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((line) => /^## \[Unreleased\]\s*$/.test(line));
  if (start < 0) return text;
  const next = lines.findIndex(
    (line, index) => index > start && (line.startsWith('## ') || LINK_DEFINITION.test(line)),
  );
  const end = next < 0 ? lines.length : next;
  return [...lines.slice(0, start + 1), '', ...lines.slice(end)].join('\n');
}
