import { readFile, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { releaseNotes } from './changelog.js';
import { ReleaseError } from './release-error.js';
import { planRelease } from './release-plan.js';

/*
 * The release workflow's decisions, as code a test can run (`node scripts/release.mjs …`):
 *   notes VERSION [--changelog FILE]        print the release notes of VERSION from CHANGELOG.md
 *   plan TAG [--notes-file FILE] [--existing-tags LIST] [--changelog FILE]
 *                                           check TAG against package.json and CHANGELOG.md; print
 *                                           `key=value` lines for $GITHUB_OUTPUT and write the notes
 * Without --existing-tags, plan reads `git tag --list 'v*'`. A wrong input exits 2 with one line.
 */

function option(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

async function run(args: readonly string[]): Promise<void> {
  const [command, subject] = args;
  if (command === 'notes' && subject) {
    const file = option(args, '--changelog') ?? 'CHANGELOG.md';
    process.stdout.write(releaseNotes(await readFile(file, 'utf8'), subject, file));
    return;
  }
  if (command === 'plan' && subject) {
    const listed = option(args, '--existing-tags');
    const existingTags = (listed ?? execFileSync('git', ['tag', '--list', 'v*'], { encoding: 'utf8' }))
      .split(/[\s,]+/)
      .filter((t) => t !== '');
    const packageJson = JSON.parse(await readFile('package.json', 'utf8')) as { version?: unknown };
    const plan = planRelease({
      tag: subject,
      packageVersion: String(packageJson.version),
      changelog: await readFile(option(args, '--changelog') ?? 'CHANGELOG.md', 'utf8'),
      existingTags,
    });
    const notesFile = option(args, '--notes-file');
    if (notesFile) await writeFile(notesFile, plan.notes);
    const outputs = {
      version: plan.version,
      'major-tag': plan.majorTag,
      prerelease: String(plan.prerelease),
      'move-major-tag': String(plan.moveMajorTag),
      'npm-dist-tag': plan.npmDistTag,
      // GitHub's "Latest release" badge follows npm's `latest`.
      latest: String(plan.npmDistTag === 'latest'),
    };
    for (const [key, value] of Object.entries(outputs)) process.stdout.write(`${key}=${value}\n`);
    return;
  }
  throw new ReleaseError(
    'usage: release.mjs notes VERSION [--changelog FILE] | plan TAG [--notes-file FILE] [--existing-tags LIST] [--changelog FILE]',
  );
}

try {
  await run(process.argv.slice(2));
} catch (error: unknown) {
  if (!(error instanceof ReleaseError)) throw error;
  process.stderr.write(`release: ${error.message}\n`);
  process.exitCode = 2;
}
