import { describe, expect, it } from 'vitest';
import { auditSettings } from '../../src/cli/audit.js';
import { simulatorCollector } from '../../src/entry/simulator-collector.js';
import { memoryLogger, silentLogger } from '../../src/logger.js';
import { DEMO_TENANT_DIR } from '../../src/paths.js';
import { runAudit } from '../../src/run/run-audit.js';
import type { RunningSimulator } from '../../src/simulator/start-simulator.js';
import { EXCHANGE_SOURCES } from '../../src/snapshot/source-id.js';

/*
 * Every loop is bounded: an Exchange admin API whose @odata.nextLink points back at a page it
 * already served (the fault that once ran 234,757 requests in 180 s and died out of memory)
 * ends that source as `failed` at the first repeat, and the run still writes its report.
 */

const NOW = new Date('2026-12-04T09:00:00Z');

describe('an Exchange @odata.nextLink loop', () => {
  it('fails the Exchange sources at the first repeated link, in a handful of requests, and the report is written', async () => {
    let sim: RunningSimulator | undefined;
    const collector = simulatorCollector({
      dir: DEMO_TENANT_DIR,
      logger: silentLogger,
      now: () => NOW,
      realism: { faults: [{ kind: 'loopingNextLink', family: 'exchange' }] },
      clients: { graph: { maxRetries: 0 }, exchange: { maxRetries: 0 } },
      onStarted: (s) => {
        sim = s;
      },
    });
    const settings = auditSettings(['--demo', '--fail-on', 'none'], {});
    const outcome = await runAudit(settings, { logger: memoryLogger(), now: () => NOW, collector }).finally(() =>
      collector.close?.(),
    );
    const stats = sim?.stats();
    // The first page's link points back at the page itself: one request per cmdlet, not 234,757.
    expect(stats?.faults.loopingNextLink).toBeGreaterThan(0);
    expect(stats?.requests.exchange).toBeLessThanOrEqual(EXCHANGE_SOURCES.length);
    const sources = outcome.report.snapshot.sources;
    const asked = EXCHANGE_SOURCES.filter((id) => sources[id] !== undefined);
    expect(asked.length).toBeGreaterThan(5);
    for (const id of asked) {
      const status = sources[id];
      expect(status?.status, id).toBe('failed');
      if (status?.status === 'failed')
        expect(status.reason, id).toMatch(/@odata\.nextLink repeats an earlier link after 1 pages; stopped/);
    }
    // The Exchange controls end in error; Graph's are judged as usual, and the report exists.
    const forwardingMailbox = outcome.report.results.filter((r) => r.control === 'forwarding.mailbox');
    expect(forwardingMailbox.length).toBeGreaterThan(0);
    expect(forwardingMailbox.every((r) => r.status === 'error')).toBe(true);
    expect(outcome.report.results.some((r) => r.control === 'mfa.registration' && r.status === 'fail')).toBe(true);
    expect(outcome.exitCode).toBe(0);
  });
});
