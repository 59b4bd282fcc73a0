import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditSettings } from '../../src/cli/audit.js';
import { simulatorCollector } from '../../src/entry/simulator-collector.js';
import { parseFingerprint } from '../../src/issues/marker.js';
import { createOctokit, octokitIssuesApi } from '../../src/issues/octokit-issues-api.js';
import { memoryLogger, silentLogger } from '../../src/logger.js';
import { DEMO_TENANT_DIR } from '../../src/paths.js';
import type { IssuesClientFactory } from '../../src/run/publish-report.js';
import { runAudit, type RunOutcome } from '../../src/run/run-audit.js';
import type { RealismConfig } from '../../src/simulator/realism.js';
import type { SourceId } from '../../src/snapshot/source-id.js';
import type { SourceStatus } from '../../src/snapshot/source-status.js';
import { type FakeGitHub, startFakeGitHub } from '../fakes/github-server.js';

/*
 * Close only what was fully read: after a clean sync of the demo, a run that could not read a
 * source behind a control's targets must close none of its issues, however many findings it
 * no longer sees. Each case is a real fault served by the simulator over loopback.
 */

const NOW = new Date('2026-12-04T09:00:00Z');
const env = { GITHUB_TOKEN: 'test-token' };

let fake: FakeGitHub;

function issuesClient(): IssuesClientFactory {
  return (s) =>
    octokitIssuesApi(
      createOctokit({
        token: s.token,
        baseUrl: s.apiUrl,
        logger: silentLogger,
        pacing: { writeMs: 0, notificationMs: 0, retryBaseMs: 1 },
      }),
      s.repo,
    );
}

async function sync(realism?: RealismConfig): Promise<RunOutcome> {
  const settings = auditSettings(
    [
      '--demo',
      '--fail-on',
      'none',
      '--issues',
      'on',
      '--max-new-issues',
      '200',
      '--repo',
      'contoso/it-audit',
      '--github-api-url',
      fake.apiUrl,
    ],
    env,
  );
  const collector = simulatorCollector({
    dir: DEMO_TENANT_DIR,
    logger: silentLogger,
    now: () => NOW,
    ...(realism ? { realism } : {}),
    // Faults are permanent here: retrying them only slows the test down.
    clients: { graph: { maxRetries: 0 }, exchange: { maxRetries: 0 } },
  });
  try {
    return await runAudit(settings, {
      logger: memoryLogger(),
      now: () => NOW,
      collector,
      issuesClient: issuesClient(),
    });
  } finally {
    await collector.close?.();
  }
}

/** Open finding issues (not the dashboard) by control. */
function openByControl(): Map<string, number> {
  const out = new Map<string, number>();
  for (const issue of fake.issues.values()) {
    if (issue.state !== 'open' || parseFingerprint(issue.body) === undefined) continue;
    const control = /"control":"([^"]+)"/.exec(issue.body ?? '')?.[1] ?? '?';
    out.set(control, (out.get(control) ?? 0) + 1);
  }
  return out;
}

const closes = (since: number) =>
  fake.writes(since).filter((w) => w.method === 'PATCH' && (w.body as { state?: string } | null)?.state === 'closed');

describe('a clean sync of the demo, then a partial read, closes no issue', () => {
  let baseline: Map<string, number>;
  beforeAll(async () => {
    fake = await startFakeGitHub();
    const clean = await sync();
    expect(clean.issuesError).toBeUndefined();
    baseline = openByControl();
    expect(baseline.get('forwarding.inbox-rules')).toBeGreaterThan(0);
    expect(baseline.get('forwarding.concealment-rules')).toBeGreaterThan(0);
    expect(baseline.get('dmarc.policy')).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await fake.close();
  });

  const cases: readonly [string, RealismConfig, readonly string[], SourceId, SourceStatus['status']][] = [
    [
      'Exchange refused (no Exchange.ManageAsApp)',
      { missingPermissions: ['Exchange.ManageAsApp'] },
      // The hidden rule on lee@ is seen only through Exchange: its critical issue stays open.
      ['forwarding.inbox-rules', 'forwarding.mailbox', 'dkim.signing'],
      'exo.inboxRule',
      'not_permitted',
    ],
    [
      'Exchange answering 503',
      { faults: [{ kind: 'status503', family: 'exchange' }] },
      ['forwarding.inbox-rules', 'forwarding.mailbox', 'dkim.signing'],
      'exo.inboxRule',
      'failed',
    ],
    [
      '/domains answering 503',
      { faults: [{ kind: 'status503', path: '/domains' }] },
      // The tenant's own domains are unknown: the DMARC issues of those domains stay open.
      ['dmarc.policy', 'dmarc.record', 'dkim.keys', 'forwarding.inbox-rules'],
      'graph.domains',
      'failed',
    ],
    [
      'no Mail.ReadBasic.All',
      { missingPermissions: ['Mail.ReadBasic.All'] },
      ['forwarding.concealment-rules'],
      'graph.mailFolders',
      'not_permitted',
    ],
  ];

  for (const [name, realism, controls, source, status] of cases) {
    it(`${name}: closes nothing and lists the issues it could not re-check`, async () => {
      const since = fake.requests.length;
      const partial = await sync(realism);
      expect(partial.issuesError).toBeUndefined();
      // The gap is a source status in the report, never a silent one.
      expect(partial.report.snapshot.sources[source]?.status).toBe(status);
      expect(closes(since).map((w) => w.path)).toEqual([]);
      expect(openByControl()).toEqual(baseline);
      const notRechecked = new Set(partial.issues?.plan.notRechecked.map((n) => n.subject.control));
      for (const control of controls) expect(notRechecked.has(control), control).toBe(true);
      expect(partial.summaryMarkdown).toContain('**Not re-checked**');
    });
  }
});
