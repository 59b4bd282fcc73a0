/**
 * Semantic Versioning 2.0.0 (https://semver.org/spec/v2.0.0.html): parsing and precedence, as
 * much as the release needs. Build metadata (`+…`) is refused: npm ignores it, so two tags that
 * differ only there would publish the same version.
 */

export interface Semver {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** Dot-separated pre-release identifiers (`rc.1` → `['rc', '1']`); empty for a release. */
  readonly prerelease: readonly string[];
}

// semver.org §2 (no leading zeros), §9 (pre-release identifiers); no build metadata.
const NUMBER = '0|[1-9]\\d*';
const IDENTIFIER = `(?:${NUMBER}|\\d*[A-Za-z-][0-9A-Za-z-]*)`;
const VERSION = new RegExp(`^(${NUMBER})\\.(${NUMBER})\\.(${NUMBER})(?:-(${IDENTIFIER}(?:\\.${IDENTIFIER})*))?$`);

export function parseSemver(text: string): Semver | undefined {
  const match = VERSION.exec(text);
  if (!match) return undefined;
  const [, major, minor, patch, prerelease] = match;
  const numbers = [major, minor, patch].map(Number);
  if (numbers.some((n) => !Number.isSafeInteger(n))) return undefined;
  return {
    major: numbers[0] ?? 0,
    minor: numbers[1] ?? 0,
    patch: numbers[2] ?? 0,
    prerelease: prerelease ? prerelease.split('.') : [],
  };
}

export function formatSemver(version: Semver): string {
  const core = `${version.major}.${version.minor}.${version.patch}`;
  return version.prerelease.length > 0 ? `${core}-${version.prerelease.join('.')}` : core;
}

function compareIdentifiers(a: string, b: string): number {
  const numericA = /^\d+$/.test(a);
  const numericB = /^\d+$/.test(b);
  // semver.org §11.4: numeric identifiers compare as numbers and sort before alphanumeric ones.
  if (numericA && numericB) return Math.sign(Number(a) - Number(b));
  if (numericA !== numericB) return numericA ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Precedence (semver.org §11): negative when `a` comes before `b`. */
export function compareSemver(a: Semver, b: Semver): number {
  const core = Math.sign(a.major - b.major) || Math.sign(a.minor - b.minor) || Math.sign(a.patch - b.patch);
  if (core !== 0) return core;
  // A pre-release comes before the release of the same version.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return Math.sign(b.prerelease.length - a.prerelease.length);
  }
  const length = Math.min(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < length; i++) {
    const order = compareIdentifiers(a.prerelease[i] ?? '', b.prerelease[i] ?? '');
    if (order !== 0) return order;
  }
  return Math.sign(a.prerelease.length - b.prerelease.length);
}
