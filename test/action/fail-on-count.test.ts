import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_POLICY_PATH, DEMO_TENANT_DIR } from '../../src/paths.js';
import type { Report } from '../../src/report/report.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/github-server.js';
import { runActionOnce } from '../helpers/action-run.js';

/*
 * The fail-on message counts what fails the step: the findings at or above the threshold, not
 * every failure (the demo at `fail-on: critical` once printed "68 failed" for 14 critical ones).
 */

let fake: FakeGitHub | undefined;
afterAll(async () => {
  await fake?.close();
});

describe('the Action with fail-on: critical', () => {
  it('fails the step with the count of critical failures, and says how many failed in all', async () => {
    fake = await startFakeGitHub();
    const run = await runActionOnce(
      { snapshot: DEMO_TENANT_DIR, policy: DEMO_POLICY_PATH, 'fail-on': 'critical', issues: 'off' },
      fake,
    );
    expect(run.exitCode).toBe(1);
    const report = JSON.parse(await readFile(path.join(run.workspace, 'mailwarden-report.json'), 'utf8')) as Report;
    const failed = report.results.filter((r) => r.status === 'fail');
    const critical = failed.filter((r) => r.severity === 'critical');
    expect(critical.length).toBeGreaterThan(0);
    expect(critical.length).toBeLessThan(failed.length);
    expect(run.log).toContain(
      `::error::${critical.length} failing finding${critical.length === 1 ? '' : 's'} at or above critical (fail-on), listed above; ${failed.length} failed in all`,
    );
    expect(run.log).toMatch(
      new RegExp(`^${critical.length} failing findings? at or above critical \\(fail-on\\):$`, 'm'),
    );
  });
});
