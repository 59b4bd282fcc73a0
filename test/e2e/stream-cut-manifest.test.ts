import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditSettings } from '../../src/cli/audit.js';
import { simulatorCollector } from '../../src/entry/simulator-collector.js';
import { silentLogger } from '../../src/logger.js';
import { DEMO_POLICY_PATH, DEMO_TENANT_DIR } from '../../src/paths.js';
import type { Report } from '../../src/report/report.js';
import { runAudit } from '../../src/run/run-audit.js';
import { tempDir } from '../helpers/temp.js';

/*
 * A sign-in log whose paging fails part-way (the second page of the demo's four is malformed):
 * the sign-in controls are `error` with the span they covered, and the report's manifest says
 * the same, `failed` with that span, instead of the `ok` the collector gave when the first page
 * arrived. Live (the folds read the stream as it is collected) and when the run saves a snapshot.
 */

const SIGN_IN_CONTROLS = [
  'legacy-auth.sign-ins',
  'sign-ins.countries',
  'sign-ins.impossible-travel',
  'sign-ins.password-spray',
  'sign-ins.mfa-fatigue',
];

async function cutAudit(saveSnapshot: boolean): Promise<{ report: Report; saved?: string }> {
  const dir = await tempDir();
  const reportPath = path.join(dir, 'report.json');
  const saved = path.join(dir, 'saved');
  if (saveSnapshot) await mkdir(saved);
  const now = () => new Date();
  const settings = auditSettings([
    '--demo',
    '--policy',
    DEMO_POLICY_PATH,
    '--fail-on',
    'none',
    '--report-json',
    reportPath,
    ...(saveSnapshot ? ['--save-snapshot', saved] : []),
  ]);
  const outcome = await runAudit(settings, {
    logger: silentLogger,
    now,
    collector: simulatorCollector({
      dir: DEMO_TENANT_DIR,
      logger: silentLogger,
      now,
      realism: { faults: [{ kind: 'malformedJson', path: '/auditLogs/signIns', after: 1 }] },
    }),
  });
  expect(outcome.exitCode).toBe(0);
  return { report: JSON.parse(await readFile(reportPath, 'utf8')) as Report, ...(saveSnapshot ? { saved } : {}) };
}

describe('a stream cut part-way is failed in the manifest, with the span covered', () => {
  it('live: the results and the manifest agree', { timeout: 60_000 }, async () => {
    const { report } = await cutAudit(false);
    const status = report.snapshot.sources['graph.signIns'];
    expect(status).toMatchObject({ status: 'failed', covered: { records: 1000, pages: 1 } });
    if (status?.status !== 'failed') throw new Error('not failed');
    expect(status.reason).toMatch(/\/auditLogs\/signIns/);
    expect(status.covered?.earliest).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(status.covered?.latest).toMatch(/^\d{4}-\d\d-\d\dT/);
    for (const control of SIGN_IN_CONTROLS) {
      const results = report.results.filter((r) => r.control === control);
      expect(
        results.map((r) => r.status),
        control,
      ).toEqual(['error']);
      expect(results[0]?.message).toBe(`Reading graph.signIns failed part-way: ${status.reason}`);
    }
  });

  it('saved: the folder and the report both say failed', { timeout: 60_000 }, async () => {
    const { report, saved } = await cutAudit(true);
    const status = report.snapshot.sources['graph.signIns'];
    expect(status).toMatchObject({ status: 'failed', covered: { records: 1000, pages: 1 } });
    const manifest = JSON.parse(await readFile(path.join(saved ?? '', 'manifest.json'), 'utf8')) as Report['snapshot'];
    expect(manifest.sources['graph.signIns']).toEqual(status);
    for (const control of SIGN_IN_CONTROLS) {
      expect(report.results.filter((r) => r.control === control).map((r) => r.status)).toEqual(['error']);
    }
  });
});
