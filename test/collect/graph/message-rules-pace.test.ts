import { afterEach, describe, expect, it } from 'vitest';
import { messageRulesCollector } from '../../../src/collect/graph/message-rules-collector.js';
import type { PaceLimit } from '../../../src/collect/graph/request-pacer.js';
import { createSimulatorClients } from '../../../src/entry/simulator-clients.js';
import { silentLogger } from '../../../src/logger.js';
import { parsePolicy } from '../../../src/policy/parse-policy.js';
import { startSimulator, type RunningSimulator } from '../../../src/simulator/start-simulator.js';
import type { MailboxMessageRules } from '../../../src/snapshot/graph-types.js';
import type { Manifest } from '../../../src/snapshot/manifest.js';
import { arrayPageStream, memorySnapshot } from '../../../src/snapshot/snapshot.js';
import { writeSnapshotFolder } from '../../../src/snapshot/write-folder.js';
import { tempDir } from '../../helpers/temp.js';

/**
 * The inbox-rule sweep against the simulator's global limit, scaled down (40 requests per
 * second instead of 2,000): every `$batch` item counts against it, so the transport's global
 * pace must count items, not envelopes.
 */
const MAILBOXES = 120;
const NOW = new Date('2026-11-27T06:00:00Z');

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function serve(): Promise<RunningSimulator> {
  const id = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
  const rules: MailboxMessageRules[] = Array.from({ length: MAILBOXES }, (_, i) => ({
    userId: id(i),
    userPrincipalName: `user${i}@pace.example`,
    status: 200,
    body: {
      value: [
        {
          id: `r${i}`,
          displayName: 'Newsletters',
          sequence: 1,
          isEnabled: true,
          conditions: {},
          actions: { markAsRead: true },
        },
      ],
    },
  }));
  const manifest: Manifest = {
    formatVersion: 1,
    tenantId: '6c1d0a2e-8f3b-4d5c-9e7a-1b2c3d4e5f60',
    capturedAt: NOW.toISOString(),
    tool: { name: 'mailwarden', version: 'test' },
    licences: { 'entra-id-p1': true, 'entra-id-p2': true },
    sources: { 'graph.users': { status: 'ok' }, 'graph.messageRules': { status: 'ok' } },
  };
  const dir = await tempDir();
  await writeSnapshotFolder(
    dir,
    memorySnapshot(manifest, {
      'graph.users': rules.map((r) => ({
        id: r.userId,
        userPrincipalName: r.userPrincipalName,
        accountEnabled: true,
        userType: 'Member',
      })),
      'graph.messageRules': arrayPageStream(rules, 50),
    }),
  );
  const sim = await startSimulator({
    dir,
    realism: {
      latency: { kind: 'fixed', ms: 5 },
      throttling: {
        mode: 'enforce',
        global: { limit: 40, windowMs: 1_000 },
        outlook: { concurrency: 4, limit: 10_000, windowMs: 600_000 },
      },
    },
  });
  cleanup.push(() => sim.close());
  return sim;
}

async function sweep(sim: RunningSimulator, globalPace: PaceLimit | null): Promise<MailboxMessageRules[]> {
  const created = createSimulatorClients(sim, {
    logger: silentLogger,
    graph: { globalPace, backoff: { baseMs: 20, maxMs: 200, random: () => 0.5 } },
  });
  cleanup.push(created.close);
  const policy = parsePolicy(
    JSON.stringify({
      id: 'p',
      title: 'p',
      version: '1',
      description: 'p',
      controls: { 'forwarding.inbox-rules': { enabled: true } },
      domains: { include: [], exclude: [], parked: [] },
      exceptions: [],
    }),
    'p.json',
    NOW,
  ).policy;
  // Production defaults otherwise: batches in flight, page size of /users.
  const collected = await messageRulesCollector()({
    logger: silentLogger,
    policy,
    clients: created.clients,
    sources: new Set(['graph.messageRules']),
    earlier: () => undefined,
    extraDomains: [],
    cloud: 'global',
    now: NOW,
  });
  if (!('data' in collected)) throw new Error(JSON.stringify(collected.status));
  const out: MailboxMessageRules[] = [];
  for await (const page of collected.data.pages()) out.push(...page);
  return out;
}

describe('inbox-rule sweep under the global request limit', () => {
  it('paces batch items under the limit: every mailbox read once, no 429', async () => {
    const sim = await serve();
    const read = await sweep(sim, { perSecond: 36, burst: 4 });
    expect(read.map((r) => r.status)).toEqual(Array.from({ length: MAILBOXES }, () => 200));
    expect(new Set(read.map((r) => r.userId)).size).toBe(MAILBOXES);
    const stats = sim.stats();
    expect(stats.throttled.outlook).toBe(0);
    expect(stats.requests.outlook).toBe(MAILBOXES);
  }, 30_000);

  it('without the pace runs into 429s, and still reads every mailbox by retrying the throttled items', async () => {
    const sim = await serve();
    const read = await sweep(sim, null);
    expect(read.map((r) => r.status)).toEqual(Array.from({ length: MAILBOXES }, () => 200));
    const stats = sim.stats();
    expect(stats.throttled.outlook).toBeGreaterThan(0);
    expect(stats.requests.outlook).toBe(MAILBOXES + stats.throttled.outlook);
  }, 30_000);
});
