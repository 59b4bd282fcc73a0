import { spawnSync } from 'node:child_process';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';

/**
 * dist/cli.js checks the Node.js version before the CLI bundle is linked. The machine's own
 * Node.js (Debian's, version 20) is older than the minimum: it is what a user with an old Node
 * runs, and without the check it dies linking the bundle ("does not provide an export named
 * 'glob'"), even for --version.
 */
const SYSTEM_NODE = ['/usr/bin/node', '/usr/local/bin/node'].find(
  (candidate) => spawnSync(candidate, ['--version'], { encoding: 'utf8' }).status === 0,
);

async function build(): Promise<string> {
  const stage = await tempDir('mailwarden-gate-');
  const built = spawnSync(process.execPath, ['scripts/build.mjs', '--outdir', path.join(stage, 'dist')], {
    encoding: 'utf8',
  });
  expect(built.status, built.stderr).toBe(0);
  await cp('package.json', path.join(stage, 'package.json'));
  return stage;
}

describe('the Node.js version check of dist/cli.js', () => {
  it('on an old Node.js: one line naming the minimum and the version, exit 2; the bundle alone dies linking', async () => {
    const version = SYSTEM_NODE ? spawnSync(SYSTEM_NODE, ['--version'], { encoding: 'utf8' }).stdout.trim() : '';
    // CI machines carry Debian's Node 20 beside the project's Node 24; elsewhere there is nothing to run.
    if (!SYSTEM_NODE || Number(/^v(\d+)/.exec(version)?.[1]) >= 22) {
      console.info(`no Node.js older than 22 on this machine (found ${version || 'none'}): check not run`);
      return;
    }
    const stage = await build();
    const gated = spawnSync(SYSTEM_NODE, [path.join(stage, 'dist', 'cli.js'), '--version'], { encoding: 'utf8' });
    expect(gated.status).toBe(2);
    expect(gated.stdout).toBe('');
    expect(gated.stderr).toBe(`mailwarden needs Node ≥ 22.0.0; you have ${version}\n`);
    // What the check saves the user from: the bundle itself fails before any of its code runs.
    const bare = spawnSync(SYSTEM_NODE, [path.join(stage, 'dist', 'cli-main.js'), '--version'], { encoding: 'utf8' });
    expect(bare.status).not.toBe(0);
    expect(bare.stderr).toMatch(/SyntaxError: .*does not provide an export named 'glob'/);
  }, 120_000);

  it('on this Node.js: the CLI runs as before', async () => {
    const stage = await build();
    const run = spawnSync(process.execPath, [path.join(stage, 'dist', 'cli.js'), '--version'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^mailwarden \d+\.\d+\.\d+\n$/);
  }, 120_000);
});
