import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { restoreState, saveState, stateCachePrefix } from '../../src/action/state-cache.js';
import { memoryLogger } from '../../src/logger.js';
import { type FakeActionsCache, startFakeActionsCache } from '../fakes/actions-cache-server.js';
import { tempDir } from '../helpers/temp.js';

const TENANT = '8d1f2c4e-5a6b-4c7d-9e0f-1a2b3c4d5e6f';
const ENV_NAMES = [
  'ACTIONS_CACHE_SERVICE_V2',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_RUNTIME_TOKEN',
  'RUNNER_TEMP',
  'GITHUB_SERVER_URL',
  'ACTIONS_CACHE_MODE',
  'ACTIONS_CACHE_URL',
] as const;
let saved: Record<string, string | undefined> = {};
let fake: FakeActionsCache | undefined;

beforeEach(() => {
  saved = Object.fromEntries(ENV_NAMES.map((n) => [n, process.env[n]]));
  for (const name of ENV_NAMES) delete process.env[name];
});
afterEach(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await fake?.close();
  fake = undefined;
});

/** The runner's environment for a Node action with the v2 cache service, pointed at the fake. */
async function runner(): Promise<{ readonly dir: string; readonly cache: FakeActionsCache }> {
  const cache = await startFakeActionsCache();
  fake = cache;
  const dir = await tempDir();
  process.env.ACTIONS_CACHE_SERVICE_V2 = 'true';
  process.env.ACTIONS_RESULTS_URL = cache.url;
  process.env.ACTIONS_RUNTIME_TOKEN = 'runtime-token';
  process.env.RUNNER_TEMP = dir;
  return { dir, cache };
}

describe('the incremental state in the Actions cache (state-cache.ts over @actions/cache)', () => {
  it('each run saves under its own key; the next run restores the newest under the tenant prefix', async () => {
    const { dir, cache } = await runner();
    const file = path.join(dir, 'state', 'sign-ins.state');
    const logger = memoryLogger();
    const run = (runId: string) => ({ file, tenant: TENANT, runId, runAttempt: '1', logger });

    await restoreState(run('100'));
    expect(logger.lines.join('\n')).toMatch(
      /no entry under mailwarden-sign-ins-v1-8d1f2c4e-5a6b-4c7d-9e0f-1a2b3c4d5e6f-/,
    );
    await saveState(run('100')); // no file yet: nothing to save
    expect(cache.entries.size).toBe(0);

    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, 'first state');
    await saveState(run('100'));
    await writeFile(file, 'second state');
    await saveState(run('101'));
    expect([...cache.entries.keys()]).toEqual([`${stateCachePrefix(TENANT)}100-1`, `${stateCachePrefix(TENANT)}101-1`]);

    await rm(file);
    await restoreState(run('102'));
    expect(await readFile(file, 'utf8')).toBe('second state');
    expect(logger.lines.join('\n')).toMatch(
      /restored mailwarden-sign-ins-v1-8d1f2c4e-5a6b-4c7d-9e0f-1a2b3c4d5e6f-101-1/,
    );
  }, 60_000);

  it('a key already taken is not kept, and says so; another tenant restores nothing of this one', async () => {
    const { dir, cache } = await runner();
    const file = path.join(dir, 'sign-ins.state');
    const logger = memoryLogger();
    await writeFile(file, 'state');
    await saveState({ file, tenant: TENANT, runId: '7', runAttempt: '1', logger });
    await saveState({ file, tenant: TENANT, runId: '7', runAttempt: '1', logger });
    expect(logger.lines.join('\n')).toMatch(
      /warning: Incremental state: the Actions cache did not keep mailwarden-sign-ins-v1-.*-7-1/,
    );
    expect(cache.entries.size).toBe(1);
    await rm(file);
    await restoreState({ file, tenant: 'contoso.onmicrosoft.com', runId: '8', runAttempt: '1', logger });
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
    expect(logger.lines.join('\n')).toMatch(/no entry under mailwarden-sign-ins-v1-contoso.onmicrosoft.com-/);
  }, 60_000);

  it('without the runner’s cache service the state file is used as it is, with a warning', async () => {
    const dir = await tempDir();
    const logger = memoryLogger();
    await restoreState({ file: path.join(dir, 's'), tenant: TENANT, runId: '1', runAttempt: '1', logger });
    expect(logger.lines).toEqual([
      `warning: Incremental state: the Actions cache is not available to this step; using ${path.join(dir, 's')} as it is on the runner`,
    ]);
  });
});
