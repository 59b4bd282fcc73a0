import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTROLS } from '../../src/controls/catalog.js';
import type { Report } from '../../src/report/report.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

/** `capturedAt` of demo/contoso-health/manifest.json. */
const DEMO_CAPTURED_AT = '2026-11-27T06:00:00.000Z';

describe('audit --demo, end to end', () => {
  it('runs every stage and writes a report with failures, a summary and a replayable snapshot', async () => {
    const dir = await tempDir();
    const reportPath = path.join(dir, 'report.json');
    const summaryPath = path.join(dir, 'summary.md');
    const snapshotDir = path.join(dir, 'snapshot');
    const live = await runCli([
      'audit',
      '--demo',
      '--report-json',
      reportPath,
      '--summary-md',
      summaryPath,
      '--save-snapshot',
      snapshotDir,
      '--fail-on',
      'high',
    ]);
    expect(live.stderr).not.toContain('internal error');
    expect(live.code).toBe(1);
    const report = JSON.parse(await readFile(reportPath, 'utf8')) as Report;
    expect(report.summary.byStatus.fail).toBeGreaterThan(0);
    expect(report.results.every((r) => /^[0-9a-f]{32}$/.test(r.fingerprint))).toBe(true);
    expect(await readFile(summaryPath, 'utf8')).toContain('### Failing');

    const replayPath = path.join(dir, 'replay.json');
    const replay = await runCli([
      'audit',
      '--snapshot',
      snapshotDir,
      '--policy',
      'demo/demo-policy.json',
      '--report-json',
      replayPath,
    ]);
    expect(replay.code).toBe(1);
    const replayed = JSON.parse(await readFile(replayPath, 'utf8')) as Report;
    const verdicts = (r: Report) => r.results.map((x) => [x.control, x.target, x.status, x.fingerprint]);
    expect(verdicts(replayed)).toEqual(verdicts(report));
  });

  // The demo is served as of the run's clock, so it must hold on any day: at the real clock (the
  // day the suite runs) and at a pinned clock long after the folder was captured.
  it.each([
    ['the real clock', () => new Date()],
    ['a clock 400 days after capture', () => new Date(Date.parse(DEMO_CAPTURED_AT) + 400 * 86_400_000)],
  ])(
    'at %s: fails every control of the catalog somewhere, passes every DNS control somewhere, and errs only by design',
    async (_name, clock) => {
      const dir = await tempDir();
      const reportPath = path.join(dir, 'report.json');
      const now = clock();
      const live = await runCli(['audit', '--demo', '--report-json', reportPath, '--fail-on', 'none'], { now });
      expect(live.code, live.stderr).toBe(0);
      const report = JSON.parse(await readFile(reportPath, 'utf8')) as Report;
      // Audited as of the clock, not of the folder's capture time.
      expect(report.snapshot.capturedAt).toBe(now.toISOString());
      const statuses = (control: string) =>
        new Set(report.results.filter((r) => r.control === control).map((r) => r.status));
      const neverFailing = CONTROLS.map((c) => c.id).filter((id) => !statuses(id).has('fail'));
      expect(neverFailing).toEqual([]);
      const neverPassing = CONTROLS.filter((c) => c.dns !== undefined)
        .map((c) => c.id)
        .filter((id) => !statuses(id).has('pass'));
      expect(neverPassing).toEqual([]);
      // The one error is the curated inbox rule with an action Graph may add later: it cannot be
      // judged, so both rule controls fail closed on it (demo/contoso-health-curated).
      const errors = report.results.filter((r) => r.status === 'error').map((r) => [r.control, r.target]);
      expect(errors.sort()).toEqual([
        ['forwarding.concealment-rules', 'johanna@contosohealth.example/AQAAAJ5dZqY='],
        ['forwarding.inbox-rules', 'johanna@contosohealth.example/AQAAAJ5dZqY='],
      ]);
      // MTA-STS went over TLS to the simulator's policy host, not to a recording; the initial
      // domain passes as managed by Microsoft, without a read.
      const mtaSts = report.results
        .filter((r) => r.control === 'mta-sts.policy')
        .map((r) => [r.target, r.status, r.evidence.managedBy ?? null]);
      expect(mtaSts.sort()).toEqual([
        ['contoso-clinic.example', 'fail', null],
        ['contosohealth.example', 'pass', null],
        ['contosohealth.onmicrosoft.com', 'pass', 'Microsoft'],
      ]);

      // The checked-in folder itself replays to the same verdicts: no question the live run asks is missing from it.
      const folderPath = path.join(dir, 'folder.json');
      const folder = await runCli([
        'audit',
        '--snapshot',
        'demo/contoso-health',
        '--policy',
        'demo/demo-policy.json',
        '--report-json',
        folderPath,
        '--fail-on',
        'none',
      ]);
      expect(folder.code, folder.stderr).toBe(0);
      const replayed = JSON.parse(await readFile(folderPath, 'utf8')) as Report;
      const verdicts = (r: Report) => r.results.map((x) => `${x.control} ${x.target} ${x.status}`).sort();
      expect(verdicts(replayed)).toEqual(verdicts(report));
    },
  );

  it('--as-captured serves the demo verbatim and audits it as of its capture time', async () => {
    const dir = await tempDir();
    const reportPath = path.join(dir, 'report.json');
    const run = await runCli(['audit', '--demo', '--as-captured', '--report-json', reportPath, '--fail-on', 'none'], {
      now: new Date(Date.parse(DEMO_CAPTURED_AT) + 30 * 86_400_000),
    });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(await readFile(reportPath, 'utf8')) as Report;
    expect(report.snapshot.capturedAt).toBe(DEMO_CAPTURED_AT);
    const spray = report.results.filter((r) => r.control === 'sign-ins.password-spray').map((r) => r.status);
    expect(spray).toContain('fail');
    const misuse = await runCli(['audit', '--snapshot', 'demo/contoso-health', '--as-captured']);
    expect(misuse.code).toBe(2);
    expect(misuse.stderr).toContain('--as-captured applies to --demo and --simulate');
  });

  it('exits 0 with --fail-on none', async () => {
    expect((await runCli(['audit', '--demo', '--fail-on', 'none'])).code).toBe(0);
  });
});
