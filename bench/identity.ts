/**
 * Identity-collection benchmark: generate a tenant (default 50,000 users) with the simulator's
 * generator, serve it with realistic latency and Graph's documented throttling, and collect the
 * identity sources through the production Graph transport. Prints wall time, the lower bound the
 * documented limits imply for the requests made, their ratio, the request count and peak RSS.
 *
 *   npm run bench:identity -- [--users N] [--seed S] [--tenant DIR] [--latency-ms M]
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { EndpointFamily } from '../src/collect/graph/endpoint-family.js';
import { DEFAULT_FAMILY_LIMITS, lowerBoundMs, type FamilyLimit } from '../src/collect/graph/rate-limiter.js';
import { liveCollector } from '../src/collect/live/live-collector.js';
import { createSimulatorClients } from '../src/entry/simulator-clients.js';
import { silentLogger } from '../src/logger.js';
import { parsePolicy } from '../src/policy/parse-policy.js';
import { DOCUMENTED_THROTTLING } from '../src/simulator/realism.js';
import { startSimulator } from '../src/simulator/start-simulator.js';
import type { SourceId } from '../src/snapshot/source-id.js';

const { values } = parseArgs({
  // bench/run.mjs leaves the .ts entry in argv.
  args: process.argv.slice(2).filter((a) => !a.endsWith('.ts')),
  options: {
    users: { type: 'string', default: '50000' },
    seed: { type: 'string', default: '7' },
    tenant: { type: 'string' },
    'latency-ms': { type: 'string', default: '80' },
  },
});

const SOURCES: SourceId[] = [
  'graph.users',
  'graph.userRegistrationDetails',
  'graph.conditionalAccessPolicies',
  'graph.securityDefaults',
  'graph.authenticationStrengthPolicies',
  'graph.roleAssignments',
  'graph.domains',
  'graph.riskyUsers',
];

/** Graph's documented limits (not ours, which keep a margin): the bound is what Graph allows. */
const DOCUMENTED: Readonly<Record<EndpointFamily, FamilyLimit>> = {
  ...DEFAULT_FAMILY_LIMITS,
  'identity-reports': { window: { requests: 5, windowMs: 10_000 }, concurrency: 5 },
  'identity-protection': { window: { requests: 1, windowMs: 1_000 }, concurrency: 1 },
};

async function tenantDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  if (values.tenant) return { dir: values.tenant, cleanup: async () => undefined };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mailwarden-bench-'));
  const cli = path.resolve('dist/cli.js');
  const started = Date.now();
  try {
    execFileSync(
      process.execPath,
      [cli, 'simulate', '--generate', '--users', values.users!, '--seed', values.seed!, '--out', dir],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
  } catch (error: unknown) {
    await rm(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    throw new Error(
      `the tenant generator (mailwarden simulate --generate) is not available in dist/cli.js: ${stderr.split('\n')[0]}`,
    );
  }
  console.log(
    `generated ${values.users} users (seed ${values.seed}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

const { dir, cleanup } = await tenantDir();
if (!existsSync(path.join(dir, 'manifest.json'))) throw new Error(`${dir} is not a snapshot folder`);
const latency = Number(values['latency-ms']);
const sim = await startSimulator({
  dir,
  realism: {
    seed: 1,
    latency: { kind: 'lognormal', medianMs: latency, sigma: 0.5 },
    throttling: DOCUMENTED_THROTTLING,
  },
});
const attempts: Partial<Record<EndpointFamily, number>> = {};
const statuses: Record<string, number> = {};
const created = createSimulatorClients(sim, {
  logger: silentLogger,
  graph: {
    onAttempt: (family, status) => {
      attempts[family] = (attempts[family] ?? 0) + 1;
      statuses[String(status)] = (statuses[String(status)] ?? 0) + 1;
    },
  },
});
const policy = parsePolicy(
  JSON.stringify({
    id: 'bench',
    title: 'bench',
    version: '1',
    description: 'bench',
    controls: { 'mfa.registration': { enabled: true } },
    domains: { include: [], exclude: [], parked: [] },
    exceptions: [],
  }),
  'bench.json',
  new Date(),
).policy;
const started = performance.now();
const snapshot = await liveCollector({
  mode: 'simulate',
  tenantId: sim.tenantId,
  clients: created.clients,
  extraDomains: [],
  now: () => new Date(),
}).collect({
  sources: new Set(SOURCES),
  policy,
  logger: silentLogger,
});
const wallMs = performance.now() - started;
await created.close();
const simStats = sim.stats();
await sim.close();
await cleanup();

const requests = Object.values(attempts).reduce((a, b) => a + b, 0);
const bound = lowerBoundMs(attempts, DOCUMENTED);
console.log(
  `sources: ${SOURCES.map((s) => `${s}=${snapshot.status(s)?.status ?? '?'}(${(snapshot.status(s) as { count?: number } | undefined)?.count ?? '-'})`).join(' ')}`,
);
console.log(
  `requests: ${requests} (${Object.entries(attempts)
    .map(([f, n]) => `${f} ${n}`)
    .join(', ')}); statuses ${JSON.stringify(statuses)}`,
);
console.log(`simulator: throttled ${JSON.stringify(simStats.throttled)}, tokens issued ${simStats.tokens.issued}`);
console.log(`wall time: ${(wallMs / 1000).toFixed(2)} s`);
console.log(
  `lower bound from documented limits: ${(bound / 1000).toFixed(2)} s; ratio ${bound > 0 ? (wallMs / bound).toFixed(2) : 'n/a (no limit binds)'}`,
);
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
