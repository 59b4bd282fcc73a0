import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_POLICY_PATH } from '../../src/paths.js';
import type { Report } from '../../src/report/report.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const verdicts = (report: Report): string[] => report.results.map((r) => `${r.control} ${r.target} ${r.status}`).sort();

describe('a generated 2,000-user tenant, audited live, saved and replayed', () => {
  it('gives identical verdicts from --simulate and from --snapshot of what it saved', {
    timeout: 240_000,
  }, async () => {
    const dir = await tempDir();
    const tenant = path.join(dir, 'tenant');
    const saved = path.join(dir, 'saved');
    const generated = await runCli(['simulate', '--generate', '--users', '2000', '--seed', '4242', '--out', tenant]);
    expect(generated.code, generated.stderr).toBe(0);

    const liveReport = path.join(dir, 'live.json');
    const live = await runCli([
      'audit',
      '--simulate',
      tenant,
      '--policy',
      DEMO_POLICY_PATH,
      '--save-snapshot',
      saved,
      '--report-json',
      liveReport,
      '--fail-on',
      'none',
    ]);
    expect(live.code, live.stderr).toBe(0);
    const replayReport = path.join(dir, 'replay.json');
    const replay = await runCli([
      'audit',
      '--snapshot',
      saved,
      '--policy',
      DEMO_POLICY_PATH,
      '--report-json',
      replayReport,
      '--fail-on',
      'none',
    ]);
    expect(replay.code, replay.stderr).toBe(0);

    const first = JSON.parse(await readFile(liveReport, 'utf8')) as Report;
    const second = JSON.parse(await readFile(replayReport, 'utf8')) as Report;
    // Not a vacuous match: the live run judged thousands of users and found things to fail and pass.
    expect(first.results.length).toBeGreaterThan(100);
    expect(first.summary.byStatus.fail).toBeGreaterThan(0);
    expect(first.summary.byStatus.pass).toBeGreaterThan(0);
    expect(new Set(first.results.map((r) => r.control)).size).toBeGreaterThanOrEqual(25);
    expect(verdicts(second)).toEqual(verdicts(first));
  });
});
