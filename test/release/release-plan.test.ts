import { describe, expect, it } from 'vitest';
import { ReleaseError } from '../../scripts/release/release-error.js';
import { planRelease, type ReleaseInputs } from '../../scripts/release/release-plan.js';
import { compareSemver, parseSemver } from '../../scripts/release/semver.js';

const CHANGELOG = (version: string, unreleased = ''): string =>
  `# Changelog\n\n## [Unreleased]\n${unreleased}\n## [${version}] - 2027-03-01\n\n### Fixed\n\n- something\n`;

function inputs(tag: string, existingTags: readonly string[] = [], unreleased = ''): ReleaseInputs {
  const version = tag.slice(1);
  return { tag, packageVersion: version, changelog: CHANGELOG(version, unreleased), existingTags };
}

function failure(action: () => unknown): string {
  try {
    action();
  } catch (error: unknown) {
    if (error instanceof ReleaseError) return error.message;
    throw error;
  }
  throw new Error('expected a ReleaseError');
}

describe('semantic versions (semver.org 2.0.0)', () => {
  it('parses versions and refuses leading zeros, build metadata and junk', () => {
    expect(parseSemver('1.2.3')).toEqual({ major: 1, minor: 2, patch: 3, prerelease: [] });
    expect(parseSemver('1.3.0-rc.1')).toEqual({ major: 1, minor: 3, patch: 0, prerelease: ['rc', '1'] });
    for (const bad of ['01.2.3', '1.2', '1.2.3+build.5', '1.2.3-', '1.2.3-01', 'v1.2.3', '1.2.3 ']) {
      expect(parseSemver(bad), bad).toBeUndefined();
    }
  });

  it('orders by precedence, pre-releases before their release (semver.org §11)', () => {
    const sorted = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.0.1',
      '1.10.0',
      '2.0.0',
    ];
    const shuffled = [...sorted].reverse();
    shuffled.sort((a, b) => compareSemver(parseSemver(a) ?? fail(a), parseSemver(b) ?? fail(b)));
    expect(shuffled).toEqual(sorted);
  });
});

function fail(text: string): never {
  throw new Error(`not a version: ${text}`);
}

describe('release plan', () => {
  it('a first release moves v1 and publishes as latest', () => {
    const plan = planRelease(inputs('v1.0.0'));
    expect(plan).toMatchObject({
      version: '1.0.0',
      majorTag: 'v1',
      prerelease: false,
      moveMajorTag: true,
      npmDistTag: 'latest',
    });
    expect(plan.notes).toBe('### Fixed\n\n- something\n');
  });

  it('a pre-release moves nothing and publishes as next', () => {
    expect(planRelease(inputs('v1.3.0-rc.1', ['v1.0.0', 'v1.2.0']))).toMatchObject({
      majorTag: 'v1',
      prerelease: true,
      moveMajorTag: false,
      npmDistTag: 'next',
    });
  });

  it('a backport to an older line neither drags v1 back nor takes latest', () => {
    expect(planRelease(inputs('v1.2.1', ['v1.0.0', 'v1.2.0', 'v1.3.0', 'v1.2.1']))).toMatchObject({
      moveMajorTag: false,
      npmDistTag: 'latest-1',
    });
    // The newest of the v1 line while v2 exists: v1 moves, npm's latest stays on 2.x.
    expect(planRelease(inputs('v1.4.0', ['v1.3.0', 'v2.0.0']))).toMatchObject({
      majorTag: 'v1',
      moveMajorTag: true,
      npmDistTag: 'latest-1',
    });
    // A pre-release of a later version does not hold back the release before it.
    expect(planRelease(inputs('v1.2.0', ['v1.1.0', 'v1.3.0-rc.1']))).toMatchObject({
      moveMajorTag: true,
      npmDistTag: 'latest',
    });
  });

  it('refuses a tag that is not v + a semantic version', () => {
    for (const tag of ['1.0.0', 'v1.0', 'v1.0.0+build', 'release-1']) {
      expect(failure(() => planRelease({ ...inputs('v1.0.0'), tag }))).toMatch(
        /^tag .*: a release tag is "v" and a semantic version/,
      );
    }
  });

  it('refuses a tag that package.json does not match', () => {
    expect(failure(() => planRelease({ ...inputs('v1.1.0'), packageVersion: '1.0.0' }))).toMatch(
      /^package\.json: "version" is 1\.0\.0 but the tag is v1\.1\.0/,
    );
  });

  it('refuses a release while Unreleased still lists changes, and a tag without notes', () => {
    expect(failure(() => planRelease(inputs('v1.1.0', [], '\n### Added\n\n- forgotten\n')))).toMatch(
      /^CHANGELOG\.md:3: "Unreleased" still lists changes/,
    );
    expect(failure(() => planRelease({ ...inputs('v1.1.0'), changelog: CHANGELOG('1.0.0') }))).toMatch(
      /^CHANGELOG\.md: no "## \[1\.1\.0\]/,
    );
  });
});
