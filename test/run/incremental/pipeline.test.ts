import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../src/logger.js';
import { DEMO_POLICY_PATH } from '../../../src/paths.js';
import type { Report } from '../../../src/report/report.js';
import { runAudit } from '../../../src/run/run-audit.js';
import type { Settings } from '../../../src/run/settings.js';
import { startSimulator } from '../../../src/simulator/start-simulator.js';
import { simulatorClients, simulatorLiveCollector } from '../../helpers/simulator-clients.js';
import { tempDir } from '../../helpers/temp.js';

const CAPTURED = Date.parse('2026-11-27T06:00:00Z');
const KEY = 'a state key for the pipeline test, long enough';

/** The demo tenant served by the simulator over loopback, audited at `at` with `--only sign-ins`. */
async function audit(at: Date, statePath: string | undefined) {
  const sim = await startSimulator({ dir: 'demo/contoso-health' });
  const created = simulatorClients(sim);
  const logger = memoryLogger();
  try {
    const settings: Settings = {
      policyPath: DEMO_POLICY_PATH,
      target: { kind: 'demo' },
      saveSnapshotDir: undefined,
      only: ['sign-ins'],
      reportJsonPath: undefined,
      summaryMarkdownPath: undefined,
      failOn: 'none',
      debug: false,
      ...(statePath ? { incremental: { statePath, key: KEY } } : {}),
    };
    const outcome = await runAudit(settings, {
      logger,
      now: () => at,
      collector: simulatorLiveCollector(sim, created, at),
    });
    return { report: outcome.report, lines: logger.lines };
  } finally {
    await created.close();
    await sim.close();
  }
}

/** The sign-in detectors' results, without what says how the log was read. */
function verdicts(report: Report): unknown[] {
  return report.results
    .filter((r) =>
      ['sign-ins.countries', 'sign-ins.impossible-travel', 'sign-ins.password-spray', 'sign-ins.mfa-fatigue'].includes(
        r.control,
      ),
    )
    .map((r) =>
      JSON.parse(
        JSON.stringify(r, (key, value: unknown) =>
          key === 'eventsRead' || key === 'incremental' || key === 'outsideWindow' ? undefined : value,
        ),
      ),
    )
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

describe('audit --only sign-ins --incremental STATE (run-audit.ts over the simulator)', () => {
  it('the first run reads the full window and saves a sealed state; the next reads from it and judges as a full run', async () => {
    const state = path.join(await tempDir(), 'state', 'sign-ins.state');
    const first = await audit(new Date(CAPTURED + 5 * 60_000 + 12_000), state);
    expect(first.lines.join('\n')).toMatch(
      /Incremental state .*: none yet; reading the full look-back window \(24 h\)/,
    );
    expect(first.lines.join('\n')).toMatch(
      /Incremental state .*: saved \(\d+ bytes\); the next run reads from 2026-11-27T05:05:00.000Z/,
    );
    const sealed = await readFile(state);
    // Sealed: no user name of the demo tenant appears in it.
    expect(sealed.subarray(0, 8).toString('ascii')).toBe('MWSIGNIN');
    expect(sealed.includes(Buffer.from('contosohealth'))).toBe(false);

    const at = new Date(CAPTURED + 65 * 60_000 + 40_000);
    const second = await audit(at, state);
    expect(second.lines.join('\n')).toMatch(/continuing; reading the sign-in log from 2026-11-27T05:05:00.000Z/);
    // A full run at the incremental run's clock (its capture time made a whole minute).
    const full = await audit(new Date(CAPTURED + 65 * 60_000), undefined);
    expect(verdicts(second.report)).toEqual(verdicts(full.report));
    expect(second.report.results.some((r) => r.control.startsWith('sign-ins.') && r.status === 'fail')).toBe(true);
    // The incremental run read far fewer events than the full one.
    const read = (report: Report) =>
      report.results.find((r) => r.control === 'sign-ins.impossible-travel')?.evidence.scan as
        | { eventsRead: number }
        | undefined;
    expect(read(second.report)?.eventsRead ?? 0).toBeLessThan((read(full.report)?.eventsRead ?? 0) / 4);
  }, 60_000);

  it('a state that does not open (changed bytes) is a warning and a full read, with the full run’s verdicts', async () => {
    const state = path.join(await tempDir(), 'sign-ins.state');
    await audit(new Date(CAPTURED), state);
    const bytes = await readFile(state);
    bytes[bytes.length - 3] = (bytes[bytes.length - 3] ?? 0) ^ 0x40;
    await writeFile(state, bytes);
    const at = new Date(CAPTURED + 3_600_000);
    const run = await audit(at, state);
    expect(run.lines.join('\n')).toMatch(
      /warning: Incremental state .*: it does not open with this key \(another key, or the file was changed\); starting fresh from the full look-back window \(24 h\)/,
    );
    expect(verdicts(run.report)).toEqual(verdicts((await audit(at, undefined)).report));
    // And it replaced the bad state with a good one.
    const next = await audit(new Date(CAPTURED + 2 * 3_600_000), state);
    expect(next.lines.join('\n')).toMatch(/continuing/);
  }, 60_000);
});
