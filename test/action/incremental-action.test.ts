import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeActionsCache, startFakeActionsCache } from '../fakes/actions-cache-server.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/github-server.js';
import { runActionOnce } from '../helpers/action-run.js';
import { tempDir } from '../helpers/temp.js';

const ENV_NAMES = [
  'ACTIONS_CACHE_SERVICE_V2',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_RUNTIME_TOKEN',
  'RUNNER_TEMP',
  'ACTIONS_CACHE_MODE',
  'ACTIONS_CACHE_URL',
  'MAILWARDEN_STATE_KEY',
] as const;
let saved: Record<string, string | undefined> = {};
let cache: FakeActionsCache | undefined;
let github: FakeGitHub | undefined;

beforeEach(() => {
  saved = Object.fromEntries(ENV_NAMES.map((n) => [n, process.env[n]]));
});
afterEach(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await cache?.close();
  await github?.close();
  cache = undefined;
  github = undefined;
});

describe('the Action with only: sign-ins, incremental-state and incremental-cache', () => {
  it('the first run saves its sealed state to the Actions cache; the next restores it and continues, with the same verdicts', async () => {
    cache = await startFakeActionsCache();
    github = await startFakeGitHub();
    const runner = await tempDir();
    Object.assign(process.env, {
      ACTIONS_CACHE_SERVICE_V2: 'true',
      ACTIONS_RESULTS_URL: cache.url,
      ACTIONS_RUNTIME_TOKEN: 'runtime-token',
      RUNNER_TEMP: runner,
      MAILWARDEN_STATE_KEY: 'the state key of this repository, a secret',
    });
    const state = path.join(runner, 'state', 'sign-ins.state');
    const inputs = {
      snapshot: 'demo/contoso-health',
      policy: 'demo/demo-policy.json',
      only: 'sign-ins',
      'incremental-state': state,
      'incremental-cache': 'true',
      issues: 'off',
      'fail-on': 'none',
    };
    const first = await runActionOnce(inputs, github, { runId: '500' });
    expect(first.exitCode).toBe(0);
    expect(first.log).toMatch(/Incremental state: no entry under mailwarden-sign-ins-v1-tenant-/);
    expect(first.log).toMatch(/none yet; reading the full look-back window \(24 h\)/);
    expect(first.log).toMatch(/Incremental state: saved to the Actions cache as mailwarden-sign-ins-v1-tenant-500-1/);
    expect([...cache.entries.keys()]).toEqual(['mailwarden-sign-ins-v1-tenant-500-1']);
    // The key is never in the log, except in the command that masks it.
    const keyLines = first.log.split('\n').filter((l) => l.includes('the state key of this repository'));
    expect(keyLines).toEqual(['::add-mask::the state key of this repository, a secret']);

    // A fresh runner: nothing on disk, the state comes from the cache.
    await rm(state);
    const second = await runActionOnce(inputs, github, { runId: '501' });
    expect(second.exitCode).toBe(0);
    expect(second.log).toMatch(/restored mailwarden-sign-ins-v1-tenant-500-1 from the Actions cache/);
    expect(second.log).toMatch(/continuing; reading the sign-in log from 2026-11-27T05:00:00.000Z/);
    expect([...cache.entries.keys()]).toEqual([
      'mailwarden-sign-ins-v1-tenant-500-1',
      'mailwarden-sign-ins-v1-tenant-501-1',
    ]);
    const verdicts = async (workspace: string) => {
      const report = JSON.parse(await readFile(path.join(workspace, 'mailwarden-report.json'), 'utf8')) as {
        results: { control: string; target: string; status: string }[];
      };
      return report.results.map((r) => `${r.control} ${r.target} ${r.status}`).sort();
    };
    expect(await verdicts(second.workspace)).toEqual(await verdicts(first.workspace));
    expect(
      (await verdicts(second.workspace)).some((v) => v.startsWith('sign-ins.impossible-travel') && v.endsWith('fail')),
    ).toBe(true);
  }, 120_000);

  it('incremental-cache without incremental-state, or incremental-state without a key, is refused', async () => {
    github = await startFakeGitHub();
    delete process.env.MAILWARDEN_STATE_KEY;
    const base = { snapshot: 'demo/contoso-health', only: 'sign-ins', issues: 'off' };
    const noState = await runActionOnce({ ...base, 'incremental-cache': 'true' }, github);
    expect(noState.log).toMatch(
      /Input "incremental-cache" keeps the "incremental-state" file in the Actions cache; set "incremental-state" too/,
    );
    const noKey = await runActionOnce({ ...base, 'incremental-state': 'x.state' }, github);
    expect(noKey.log).toMatch(/Input "incremental-state" needs MAILWARDEN_STATE_KEY \(or MAILWARDEN_REDACT_KEY\)/);
    expect(noKey.outputs.result).toBe('error');
  }, 60_000);
});
