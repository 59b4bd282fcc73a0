import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { changelogAtRelease, releaseNotes } from '../../scripts/release/changelog.js';
import { CONTROLS } from '../../src/controls/catalog.js';
import { tempDir } from '../helpers/temp.js';

/*
 * The CLI package as a user gets it: a fresh build of dist/cli.js (never the committed dist/) is
 * staged with the repository's files, packed by npm, installed from the tarball into an empty
 * folder with npm offline and an empty cache (so any runtime dependency would fail the install),
 * and run. The demo audit runs in a network namespace with only loopback where the test may make
 * one (root, as in .ci/run), proving `--demo` fetches nothing.
 */

const REPO = process.cwd();
// Node 24 first: the package's bin starts with `#!/usr/bin/env node`.
const PATH_WITH_NODE = `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`;
// Nothing listens on port 9 (discard) of loopback: a request to the registry fails at once.
const NO_REGISTRY = 'http://127.0.0.1:9/';

interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly bin?: Record<string, string>;
  readonly files?: readonly string[];
  readonly engines?: Record<string, string>;
  readonly private?: boolean;
  readonly publishConfig?: Record<string, unknown>;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly bundleDependencies?: unknown;
}

interface PackResult {
  readonly name: string;
  readonly version: string;
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly { readonly path: string; readonly size: number }[];
}

function run(command: string, args: readonly string[], cwd: string, env: Record<string, string> = {}) {
  const result: SpawnSyncReturns<string> = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PATH: PATH_WITH_NODE, npm_config_update_notifier: 'false', ...env },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Whether this process may run a command in a new network namespace with only loopback. */
function canIsolateNetwork(): boolean {
  if (process.getuid?.() !== 0) return false;
  return spawnSync('unshare', ['--net', 'ip', 'link', 'set', 'lo', 'up'], { stdio: 'ignore' }).status === 0;
}

/** Runs `command` with no network but loopback when possible, else as is. */
function runOffline(command: string, args: readonly string[], cwd: string) {
  return canIsolateNetwork()
    ? run('unshare', ['--net', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', command, ...args], cwd)
    : run(command, args, cwd);
}

// Exactly what the package may ship: the CLI bundle, what it reads at run time (policies and
// schema, the demo tenant and its policy, package.json for the version) and the documents its
// output points to. npm adds README.md and LICENSE itself.
const SHIPPED =
  /^(package\.json|README\.md|LICENSE|CHANGELOG\.md|dist\/cli(-main)?\.js|policies\/[a-z0-9-]+(\.schema)?\.json|demo\/demo-policy\.json|demo\/contoso-health\/.+|docs\/(controls\.md|control-migrations\.md|report\.schema\.json|snapshot-format\.md))$/;
const REQUIRED = [
  'package.json',
  'README.md',
  'LICENSE',
  'CHANGELOG.md',
  'dist/cli.js',
  'dist/cli-main.js',
  'policies/baseline.json',
  'policies/policy.schema.json',
  'demo/demo-policy.json',
  'demo/contoso-health/manifest.json',
  'docs/controls.md',
  'docs/report.schema.json',
];

/** A folder laid out as the repository, with a fresh dist/ and the files `files` chooses from. */
async function stagePackage(): Promise<string> {
  const stage = await tempDir('mailwarden-stage-');
  const built = run(process.execPath, ['scripts/build.mjs', '--outdir', path.join(stage, 'dist')], REPO);
  expect(built.code, built.stderr).toBe(0);
  // Whole folders, so the test also proves what `files` leaves out (the curated demo, other docs).
  for (const entry of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'policies', 'demo', 'docs', 'src']) {
    await cp(path.join(REPO, entry), path.join(stage, entry), { recursive: true });
  }
  return stage;
}

describe('the npm package of the CLI', () => {
  it('packs only what the CLI needs, installs from the tarball offline, and runs controls and the demo', async () => {
    const manifest = JSON.parse(await readFile('package.json', 'utf8')) as PackageJson;
    // A bundle needs no runtime dependency: one here would be fetched at install time.
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.optionalDependencies ?? {}).toEqual({});
    expect(manifest.peerDependencies ?? {}).toEqual({});
    expect(manifest.bundleDependencies).toBeUndefined();
    expect(manifest.private).toBeUndefined();
    expect(manifest.bin).toEqual({ mailwarden: 'dist/cli.js' });
    expect(manifest.engines?.node).toMatch(/^>=24/);
    expect(manifest.publishConfig).toMatchObject({ access: 'public', provenance: true });

    const stage = await stagePackage();
    const out = await tempDir('mailwarden-tarball-');
    const cache = await tempDir('mailwarden-npm-cache-');
    const packed = run(
      'npm',
      ['pack', '--json', '--offline', '--pack-destination', out, '--cache', cache, '--registry', NO_REGISTRY],
      stage,
    );
    expect(packed.code, packed.stderr).toBe(0);
    const [pack] = JSON.parse(packed.stdout) as PackResult[];
    if (!pack) throw new Error('npm pack printed no result');
    const paths = pack.files.map((f) => f.path).sort();
    expect(paths.filter((p) => !SHIPPED.test(p))).toEqual([]);
    for (const required of REQUIRED) expect(paths).toContain(required);
    expect(paths.some((p) => p.startsWith('demo/contoso-health-curated/') || p.startsWith('src/'))).toBe(false);
    console.info(
      `npm pack: ${pack.filename}, ${pack.files.length} files, ${(pack.size / 1e6).toFixed(2)} MB packed, ${(pack.unpackedSize / 1e6).toFixed(2)} MB unpacked`,
    );

    // An empty folder, npm offline with an empty cache: the tarball must be all there is.
    const app = await tempDir('mailwarden-app-');
    await writeFile(path.join(app, 'package.json'), `${JSON.stringify({ name: 'app', private: true })}\n`);
    const emptyCache = await tempDir('mailwarden-npm-cache-');
    const installed = run(
      'npm',
      [
        'install',
        '--offline',
        '--no-audit',
        '--no-fund',
        '--cache',
        emptyCache,
        '--registry',
        NO_REGISTRY,
        path.join(out, pack.filename),
      ],
      app,
    );
    expect(installed.code, installed.stderr).toBe(0);
    const bin = path.join(app, 'node_modules', '.bin', 'mailwarden');

    const version = run(bin, ['--version'], app);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(`mailwarden ${manifest.version}`);

    const controls = runOffline(bin, ['controls', '--format', 'json'], app);
    expect(controls.code, controls.stderr).toBe(0);
    const listed = JSON.parse(controls.stdout) as { id: string }[];
    expect(listed.map((c) => c.id)).toEqual(CONTROLS.map((c) => c.id));

    const reportFile = path.join(app, 'report.json');
    const demo = runOffline(bin, ['audit', '--demo', '--fail-on', 'none', '--report-json', reportFile], app);
    expect(demo.code, demo.stderr).toBe(0);
    const report = JSON.parse(await readFile(reportFile, 'utf8')) as {
      tool: { name: string; version: string };
      snapshot: { sources: Record<string, { status: string }> };
      results: { control: string; status: string }[];
    };
    expect(report.tool).toEqual({ name: 'mailwarden', version: manifest.version });
    const sources = Object.entries(report.snapshot.sources);
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.filter(([, s]) => s.status !== 'ok')).toEqual([]);
    expect(report.results.some((r) => r.status === 'fail')).toBe(true);
    expect(report.results.some((r) => r.status === 'pass')).toBe(true);
    console.info(
      `installed package: ${listed.length} controls; demo ${report.results.length} results from ${sources.length} sources${canIsolateNetwork() ? ', in a network namespace with only loopback' : ' (no network namespace: not root)'}`,
    );
  }, 180_000);

  it('dry-runs the release: the notes of this version from CHANGELOG.md, the plan, and npm publish', async () => {
    const manifest = JSON.parse(await readFile('package.json', 'utf8')) as PackageJson;
    const notes = run(process.execPath, ['scripts/release.mjs', 'notes', manifest.version], REPO);
    expect(notes.code, notes.stderr).toBe(0);
    expect(notes.stdout).toBe(releaseNotes(await readFile('CHANGELOG.md', 'utf8'), manifest.version));

    const scratch = await tempDir('mailwarden-notes-');
    const notesFile = path.join(scratch, 'notes.md');
    // Entries under Unreleased are for the next version; plan this one as it stood when tagged.
    const changelogFile = path.join(scratch, 'CHANGELOG.md');
    await writeFile(changelogFile, changelogAtRelease(await readFile('CHANGELOG.md', 'utf8')));
    const plan = run(
      process.execPath,
      [
        'scripts/release.mjs',
        'plan',
        `v${manifest.version}`,
        '--existing-tags',
        '',
        '--notes-file',
        notesFile,
        '--changelog',
        changelogFile,
      ],
      REPO,
    );
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout.trim().split('\n')).toEqual([
      `version=${manifest.version}`,
      `major-tag=v${manifest.version.split('.')[0]}`,
      'prerelease=false',
      'move-major-tag=true',
      'npm-dist-tag=latest',
      'latest=true',
    ]);
    expect(await readFile(notesFile, 'utf8')).toBe(notes.stdout);

    const wrongTag = run(process.execPath, ['scripts/release.mjs', 'plan', 'v0.0.1', '--existing-tags', ''], REPO);
    expect(wrongTag.code).toBe(2);
    expect(wrongTag.stderr).toMatch(/^release: package\.json: "version" is \S+ but the tag is v0\.0\.1/);

    // `npm publish --dry-run` packs and reports what it would send. Without --offline it also asks
    // the registry whether we are logged in, retrying for about 70 s when there is none; --offline
    // skips only that question, and the dead registry proves nothing else is asked.
    const stage = await stagePackage();
    const cache = await tempDir('mailwarden-npm-cache-');
    const published = run(
      'npm',
      ['publish', '--dry-run', '--offline', '--json', '--cache', cache, '--registry', NO_REGISTRY, '--tag', 'latest'],
      stage,
    );
    expect(published.code, published.stderr).toBe(0);
    const result = JSON.parse(published.stdout) as Record<string, PackResult>;
    const entry = result[manifest.name];
    expect(entry).toMatchObject({ name: manifest.name, version: manifest.version });
    expect(entry?.files.map((f) => f.path)).toContain('dist/cli.js');
  }, 180_000);
});
