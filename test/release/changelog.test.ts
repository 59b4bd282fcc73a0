import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { changelogAtRelease, parseChangelog, releaseNotes } from '../../scripts/release/changelog.js';
import { ReleaseError } from '../../scripts/release/release-error.js';

const SAMPLE = [
  '# Changelog',
  '',
  '## [Unreleased]',
  '',
  '## [1.1.0] - 2027-01-15',
  '',
  '### Added',
  '',
  '- `apps.mail-access` ([#41])',
  '',
  '### Fixed',
  '',
  '- DMARC `sp=none` no longer passes',
  '',
  '## [1.0.0] - 2026-12-04',
  '',
  '### Added',
  '',
  '- The first release',
  '',
  '[Unreleased]: https://example.test/compare/v1.1.0...HEAD',
  '[1.1.0]: https://example.test/compare/v1.0.0...v1.1.0',
  '[#41]: https://example.test/pull/41',
  '',
].join('\n');

function failure(action: () => unknown): string {
  try {
    action();
  } catch (error: unknown) {
    if (error instanceof ReleaseError) return error.message;
    throw error;
  }
  throw new Error('expected a ReleaseError');
}

describe('CHANGELOG.md release notes (Keep a Changelog)', () => {
  it('extracts exactly one version, with the link definitions its body uses', () => {
    const notes = releaseNotes(SAMPLE, '1.1.0');
    expect(notes.split('\n')).toEqual([
      '### Added',
      '',
      '- `apps.mail-access` ([#41])',
      '',
      '### Fixed',
      '',
      '- DMARC `sp=none` no longer passes',
      '',
      '[#41]: https://example.test/pull/41',
      '',
    ]);
    expect(releaseNotes(SAMPLE, '1.0.0')).toBe('### Added\n\n- The first release\n');
  });

  it('parses sections with their dates and lines, and the link definitions', () => {
    const changelog = parseChangelog(SAMPLE);
    expect(changelog.sections.map((s) => [s.label, s.date, s.line])).toEqual([
      ['Unreleased', undefined, 3],
      ['1.1.0', '2027-01-15', 5],
      ['1.0.0', '2026-12-04', 15],
    ]);
    expect(changelog.links.get('unreleased')).toBe('https://example.test/compare/v1.1.0...HEAD');
  });

  it('refuses a missing version, naming the versions it found', () => {
    expect(failure(() => releaseNotes(SAMPLE, '1.2.0'))).toBe(
      'CHANGELOG.md: no "## [1.2.0] - YYYY-MM-DD" section (sections found: Unreleased, 1.1.0, 1.0.0)',
    );
  });

  it('refuses an undated, misdated or empty section, and a malformed heading, by line', () => {
    expect(failure(() => releaseNotes(SAMPLE.replace('[1.1.0] - 2027-01-15', '[1.1.0]'), '1.1.0'))).toMatch(
      /^CHANGELOG\.md:5: .*no release date/,
    );
    expect(failure(() => releaseNotes(SAMPLE.replace('2027-01-15', '2027-02-30'), '1.1.0'))).toMatch(
      /^CHANGELOG\.md:5: 2027-02-30 is not a calendar date/,
    );
    const empty = SAMPLE.replace('- The first release', '');
    expect(failure(() => releaseNotes(empty, '1.0.0'))).toMatch(/^CHANGELOG\.md:15: .*lists no change/);
    expect(failure(() => parseChangelog(SAMPLE.replace('## [1.0.0] - 2026-12-04', '## 1.0.0 (2026-12-04)')))).toMatch(
      /^CHANGELOG\.md:15: a section heading must read/,
    );
  });

  it("the repository's own CHANGELOG.md has notes for the version in package.json", async () => {
    const packageJson = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    const notes = releaseNotes(await readFile('CHANGELOG.md', 'utf8'), packageJson.version);
    expect(notes).toMatch(/^### Added$/m);
  });

  it('changelogAtRelease drops the entries under Unreleased and keeps every released section', () => {
    const withPending = SAMPLE.replace('## [Unreleased]', '## [Unreleased]\n\n### Added\n\n- Not yet released');
    const atRelease = changelogAtRelease(withPending);
    expect(atRelease).not.toContain('Not yet released');
    expect(parseChangelog(atRelease).sections.map((s) => s.label)).toEqual(
      parseChangelog(SAMPLE).sections.map((s) => s.label),
    );
    expect(releaseNotes(atRelease, '1.0.0')).toBe(releaseNotes(SAMPLE, '1.0.0'));
  });
});
