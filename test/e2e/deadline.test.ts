import { describe, expect, it } from 'vitest';
import { auditSettings } from '../../src/cli/audit.js';
import { simulatorCollector } from '../../src/entry/simulator-collector.js';
import { memoryLogger, silentLogger } from '../../src/logger.js';
import { DEMO_TENANT_DIR } from '../../src/paths.js';
import { runAudit } from '../../src/run/run-audit.js';
import type { EndpointFamily } from '../../src/simulator/endpoint-family.js';
import type { SourceId } from '../../src/snapshot/source-id.js';

/*
 * One deadline for the whole collection: an endpoint family that stalls for good (headers sent,
 * the body never finished) holds the run only until the deadline, not for the transport's 100 s
 * timeout times its retries (once 12.4 minutes). What it cut ends `failed`, naming the deadline;
 * everything else is judged, and the report is written.
 */

const NOW = new Date('2026-12-04T09:00:00Z');
const DEADLINE_MS = 4000;

const FAMILIES: readonly [EndpointFamily, SourceId][] = [
  ['directory', 'graph.users'],
  ['reports', 'graph.userRegistrationDetails'],
  ['identityProtection', 'graph.riskyUsers'],
  ['conditionalAccess', 'graph.conditionalAccessPolicies'],
  ['outlook', 'graph.messageRules'],
  ['exchange', 'exo.mailbox'],
];

describe('a permanent stall on one endpoint family', () => {
  for (const [family, source] of FAMILIES) {
    it(`${family}: cut at the collection deadline, ${source} failed naming it, the report written`, async () => {
      const collector = simulatorCollector({
        dir: DEMO_TENANT_DIR,
        logger: silentLogger,
        now: () => NOW,
        realism: { faults: [{ kind: 'stall', family }] },
        deadlineMs: DEADLINE_MS,
      });
      const settings = auditSettings(['--demo', '--fail-on', 'none'], {});
      const logger = memoryLogger();
      const outcome = await runAudit(settings, { logger, now: () => NOW, collector }).finally(() =>
        collector.close?.(),
      );
      const status = outcome.report.snapshot.sources[source];
      expect(status?.status, source).toBe('failed');
      expect(status?.status === 'failed' ? status.reason : '').toMatch(/the collection deadline of 4 s passed/);
      // Printed once: one line for the cause, naming the sources it stopped, not one per request.
      const shown = logger.lines.filter((l) => /^(warning|error): /.test(l) && l.includes(source));
      expect(shown, shown.join('\n')).toHaveLength(1);
      // What the stall did not touch was read and judged: the run is not red, only partial.
      const ok = Object.values(outcome.report.snapshot.sources).filter((s) => s?.status === 'ok');
      expect(ok.length).toBeGreaterThan(3);
      expect(outcome.report.results.some((r) => r.status === 'fail')).toBe(true);
      expect(outcome.report.results.some((r) => r.status === 'error')).toBe(true);
      expect(outcome.exitCode).toBe(0);
    }, 60_000);
  }
});
