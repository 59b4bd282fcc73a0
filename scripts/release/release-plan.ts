import { hasEntries, parseChangelog, releaseNotes } from './changelog.js';
import { ReleaseError } from './release-error.js';
import { compareSemver, parseSemver, type Semver } from './semver.js';

/**
 * What the release workflow does for one pushed tag, decided before anything is published:
 * a tag that does not match package.json, or a changelog without its section, stops the release.
 */
export interface ReleasePlan {
  /** `1.2.3` (the tag without its `v`). */
  readonly version: string;
  readonly tag: string;
  /** The moving major tag, `v1`, that `uses: OWNER/mailwarden@v1` follows. */
  readonly majorTag: string;
  readonly prerelease: boolean;
  /**
   * Whether `majorTag` moves to this release: only for a release (not a pre-release) that is the
   * newest of its major line, so a backport to an older line never drags `v1` backwards.
   */
  readonly moveMajorTag: boolean;
  /** npm dist-tag: `latest` for the newest release, `next` for a pre-release, `latest-N` for a backport. */
  readonly npmDistTag: string;
  readonly notes: string;
}

export interface ReleaseInputs {
  /** The pushed tag, e.g. `v1.2.3` (`GITHUB_REF_NAME`). */
  readonly tag: string;
  /** The `version` field of package.json. */
  readonly packageVersion: string;
  readonly changelog: string;
  /** Every `v*` tag already in the repository (the pushed one may be among them). */
  readonly existingTags: readonly string[];
}

function versionOfTag(tag: string): Semver | undefined {
  return tag.startsWith('v') ? parseSemver(tag.slice(1)) : undefined;
}

export function planRelease(inputs: ReleaseInputs): ReleasePlan {
  const version = versionOfTag(inputs.tag);
  if (!version) {
    throw new ReleaseError(
      `tag ${inputs.tag}: a release tag is "v" and a semantic version, e.g. v1.2.3 or v1.3.0-rc.1`,
    );
  }
  const versionText = inputs.tag.slice(1);
  if (inputs.packageVersion !== versionText) {
    throw new ReleaseError(
      `package.json: "version" is ${inputs.packageVersion} but the tag is ${inputs.tag}; bump package.json (npm version ${versionText} --no-git-tag-version) and tag that commit`,
    );
  }
  const notes = releaseNotes(inputs.changelog, versionText);
  const unreleased = parseChangelog(inputs.changelog).sections.find((s) => s.label === 'Unreleased');
  if (unreleased && hasEntries(unreleased.body)) {
    throw new ReleaseError(
      `CHANGELOG.md:${unreleased.line}: "Unreleased" still lists changes, and they are in this commit; move them under [${versionText}]`,
    );
  }
  const prerelease = version.prerelease.length > 0;
  const releases = inputs.existingTags
    .map(versionOfTag)
    .filter((v): v is Semver => v !== undefined && v.prerelease.length === 0);
  const newerInLine = releases.some((v) => v.major === version.major && compareSemver(v, version) > 0);
  const newerAnywhere = releases.some((v) => compareSemver(v, version) > 0);
  return {
    version: versionText,
    tag: inputs.tag,
    majorTag: `v${version.major}`,
    prerelease,
    moveMajorTag: !prerelease && !newerInLine,
    // `v1` is a semver range to npm, which refuses it as a dist-tag; `latest-1` is the usual name.
    npmDistTag: prerelease ? 'next' : newerAnywhere ? `latest-${version.major}` : 'latest',
    notes,
  };
}
