/**
 * Detection latency of hourly incremental sign-in runs: `npm run bench:incremental`.
 *
 * 1. Generates ordinary sign-in activity for --users N (20 sign-ins per user per day) and plants
 *    three attacks that complete at a known time A, two minutes after an hourly run: a successful
 *    legacy-protocol (IMAP) sign-in, an impossible-travel hop (Boston, then Moscow 25 minutes
 *    later) and a password spray (12 users from one /24 in 11 minutes).
 * 2. Each event becomes readable --ingest-minutes after it happened (Entra's ingestion delay;
 *    Microsoft's withdrawn figure was 5 min at P99).
 * 3. Runs the hourly cadence (`--only sign-ins --incremental STATE`, at 23 minutes past each hour,
 *    --runs R of them) through the real pipeline (runAudit): each run serves the log as readable
 *    at its clock with the simulator over loopback, under Graph's documented throttling and a
 *    log-normal latency (median 80 ms), every window and delay divided by --time-scale K, as the
 *    whole-audit bench does; the production clients' limits are divided by K too. Issues go to
 *    the fake GitHub (test/fakes) with the production Octokit client.
 * 4. Reports, per attack, the time from A to the end of the run that opened its issue (run clock
 *    plus the run's wall time times K: unscaled minutes), the Graph requests of each hourly run
 *    and of one nightly (full look-back) run at N users, and the pages of 1,000 (Graph's largest
 *    sign-in page) an hourly and a nightly read need at --requests-users U (default 100,000),
 *    counted over a generated day of U users.
 * It prints figures; it asserts nothing.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { auditSettings } from '../src/cli/audit.js';
import { DEFAULT_BACKOFF } from '../src/collect/graph/backoff.js';
import { DEFAULT_FAMILY_LIMITS, type FamilyLimit } from '../src/collect/graph/rate-limiter.js';
import { liveCollector } from '../src/collect/live/live-collector.js';
import { createSimulatorClients } from '../src/entry/simulator-clients.js';
import { octokitIssuesClient } from '../src/entry/issues-client.js';
import { evaluate } from '../src/evaluate/evaluate.js';
import { silentLogger } from '../src/logger.js';
import { horizonOf, nextState } from '../src/run/incremental/plan-incremental.js';
import { sealState } from '../src/run/incremental/state-codec.js';
import { SNAPSHOT_FORMAT_VERSION, type Manifest } from '../src/snapshot/manifest.js';
import { memorySnapshot } from '../src/snapshot/snapshot.js';
import { allSignInControls, signInPolicy } from '../test/helpers/sign-in-evaluate.js';
import { runAudit } from '../src/run/run-audit.js';
import { DOCUMENTED_THROTTLING, type RealismConfig } from '../src/simulator/realism.js';
import type { EndpointFamily } from '../src/collect/graph/endpoint-family.js';
import { startSimulator } from '../src/simulator/start-simulator.js';
import type { SignIn } from '../src/snapshot/graph-types.js';
import { startFakeGitHub } from '../test/fakes/github-server.js';
import { backgroundPages, HOME_PLACES, PLACES, signIn, userName } from '../test/helpers/sign-in-generator.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const STATE_KEY = 'bench state key, long enough to be one';

const { values } = parseArgs({
  options: {
    users: { type: 'string' },
    runs: { type: 'string' },
    'time-scale': { type: 'string' },
    'ingest-minutes': { type: 'string' },
    'requests-users': { type: 'string' },
    'latency-ms': { type: 'string' },
    'state-users': { type: 'string' },
  },
  allowPositionals: true,
  strict: true,
});
const USERS = Number(values.users ?? 2000);
const RUNS = Number(values.runs ?? 4);
const SCALE = Number(values['time-scale'] ?? 60);
const INGEST = Number(values['ingest-minutes'] ?? 5) * MINUTE;
const REQUEST_USERS = Number(values['requests-users'] ?? 100_000);
const LATENCY_MS = Number(values['latency-ms'] ?? 80);
const STATE_USERS = Number(values['state-users'] ?? 100_000);
const PER_USER_PER_DAY = 20;
const TENANT = '00000000-0000-0000-0000-00000000beef';

/** The first hourly run's clock: 23 minutes past, as the README's workflow runs. */
const FIRST_RUN = Date.parse('2026-11-27T01:23:00Z');
const runAt = (k: number): number => FIRST_RUN + (k - 1) * HOUR;
/** Every attack completes two minutes after run 1: the worst case is just after a run. */
const ATTACK = runAt(1) + 2 * MINUTE;

function realism(): RealismConfig {
  const t = DOCUMENTED_THROTTLING;
  return {
    seed: 1,
    latency: { kind: 'lognormal', medianMs: LATENCY_MS / SCALE, sigma: 0.5 },
    throttling: {
      mode: 'enforce',
      reports: { limit: t.reports.limit, windowMs: t.reports.windowMs / SCALE },
      identityProtection: { limit: t.identityProtection.limit, windowMs: t.identityProtection.windowMs / SCALE },
      outlook: { concurrency: t.outlook.concurrency, limit: t.outlook.limit, windowMs: t.outlook.windowMs / SCALE },
      global: { limit: t.global.limit, windowMs: t.global.windowMs / SCALE },
    },
  };
}

function scaledLimits(): Record<EndpointFamily, FamilyLimit> {
  const out = {} as Record<EndpointFamily, FamilyLimit>;
  for (const [family, limit] of Object.entries(DEFAULT_FAMILY_LIMITS) as [EndpointFamily, FamilyLimit][]) {
    out[family] = {
      ...limit,
      ...(limit.window ? { window: { requests: limit.window.requests, windowMs: limit.window.windowMs / SCALE } } : {}),
    };
  }
  return out;
}

/** The planted attacks, each completing at ATTACK; their targets as the detectors name them. */
function attacks(): { readonly events: SignIn[]; readonly targets: Record<string, string> } {
  const events: SignIn[] = [];
  let n = 0;
  const add = (spec: Omit<Parameters<typeof signIn>[0], 'id'>) => events.push(signIn({ id: `attack-${n++}`, ...spec }));
  add({ time: ATTACK, user: 'legacy@contoso.test', ip: '198.51.100.20', client: 'IMAP4' });
  add({ time: ATTACK - 25 * MINUTE, user: 'traveller@contoso.test', ip: '198.51.100.40', place: PLACES.boston });
  add({ time: ATTACK, user: 'traveller@contoso.test', ip: '198.51.100.41', place: PLACES.moscow });
  for (let u = 0; u < 12; u++) {
    add({
      time: ATTACK - 11 * MINUTE + u * MINUTE,
      user: userName(u),
      ip: `203.0.113.${7 + (u % 3)}`,
      place: PLACES.moscow,
      errorCode: 50126,
    });
  }
  add({ time: ATTACK, user: userName(3), ip: '203.0.113.50', place: HOME_PLACES[3] });
  return {
    events,
    targets: {
      'legacy-auth.sign-ins': 'legacy@contoso.test',
      'sign-ins.impossible-travel': 'traveller@contoso.test',
      'sign-ins.password-spray': '203.0.113.0/24',
    },
  };
}

/** Ordinary activity from 26 h before the first run to the last run. */
async function background(): Promise<SignIn[]> {
  const end = runAt(RUNS);
  const spanMs = end - (runAt(1) - 26 * HOUR);
  const events = Math.round((USERS * PER_USER_PER_DAY * spanMs) / (24 * HOUR));
  const out: SignIn[] = [];
  for await (const page of backgroundPages({ users: USERS, events, end, spanMs, seed: 42 })) out.push(...page);
  return out;
}

/** A tenant folder holding the sign-ins readable at `at` (happened at least the ingestion delay before). */
async function tenantAt(dir: string, events: readonly SignIn[], at: number): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.join(dir, 'graph'), { recursive: true });
  const visible = events
    .filter((e) => Date.parse(e.createdDateTime ?? '') + INGEST <= at)
    .sort((a, b) => Date.parse(b.createdDateTime ?? '') - Date.parse(a.createdDateTime ?? ''));
  const lines: string[] = [];
  for (let i = 0; i < visible.length; i += 1000) lines.push(JSON.stringify({ value: visible.slice(i, i + 1000) }));
  await writeFile(path.join(dir, 'graph/signIns.jsonl'), `${lines.join('\n')}\n`);
  await writeFile(path.join(dir, 'graph/riskyUsers.json'), '{"value":[]}\n');
  await writeFile(path.join(dir, 'graph/riskDetections.json'), '{"value":[]}\n');
  const demo = JSON.parse(await readFile('demo/contoso-health/manifest.json', 'utf8')) as Record<string, unknown>;
  await writeFile(
    path.join(dir, 'manifest.json'),
    JSON.stringify({
      ...demo,
      capturedAt: new Date(at).toISOString(),
      sources: {
        'graph.signIns': { status: 'ok', count: visible.length },
        'graph.riskyUsers': { status: 'ok', count: 0 },
        'graph.riskDetections': { status: 'ok', count: 0 },
      },
    }),
  );
}

interface RunFigures {
  readonly clock: string;
  readonly wallSeconds: number;
  readonly unscaledMinutes: number;
  /** Every request the simulator answered (token, Graph), and those of the sign-in log (the `reports` family). */
  readonly graphRequests: number;
  readonly signInPageRequests: number;
  readonly throttled: number;
  readonly opened: readonly string[];
}

/** One run through runAudit at `at`: incremental with `state`, or a full (nightly-style) read without. */
async function run(
  dir: string,
  events: readonly SignIn[],
  at: number,
  github: { readonly apiUrl: string },
  state: string | undefined,
  policyPath: string,
): Promise<{ readonly figures: RunFigures }> {
  await tenantAt(dir, events, at);
  const sim = await startSimulator({ dir, realism: realism() });
  const created = createSimulatorClients(sim, {
    logger: silentLogger,
    graph: {
      limits: scaledLimits(),
      backoff: { ...DEFAULT_BACKOFF, baseMs: DEFAULT_BACKOFF.baseMs / SCALE, maxMs: DEFAULT_BACKOFF.maxMs / SCALE },
    },
  });
  const args = [
    '--demo',
    '--policy',
    policyPath,
    '--fail-on',
    'none',
    '--issues',
    state ? 'on' : 'off',
    '--max-new-issues',
    '100',
    '--repo',
    'contoso/it-audit',
    '--github-api-url',
    github.apiUrl,
    ...(state ? ['--incremental', state] : []),
  ];
  const settings = auditSettings(args, { GITHUB_TOKEN: 'test-token', MAILWARDEN_STATE_KEY: STATE_KEY });
  const started = performance.now();
  try {
    const outcome = await runAudit(settings, {
      logger: silentLogger,
      now: () => new Date(at),
      collector: liveCollector({
        mode: 'simulate',
        tenantId: sim.tenantId,
        clients: created.clients,
        extraDomains: [],
        now: () => new Date(at),
      }),
      issuesClient: octokitIssuesClient(silentLogger, { pacing: { writeMs: 0, notificationMs: 0, retryBaseMs: 1 } }),
    });
    const wall = (performance.now() - started) / 1000;
    if (outcome.issuesError) throw new Error(outcome.issuesError);
    const stats = sim.stats();
    const graphRequests = Object.values(stats.requests).reduce((a, b) => a + b, 0);
    const throttled = Object.values(stats.throttled).reduce((a, b) => a + b, 0);
    return {
      figures: {
        clock: new Date(at).toISOString(),
        wallSeconds: Math.round(wall * 100) / 100,
        unscaledMinutes: Math.round(((wall * SCALE) / 60) * 10) / 10,
        graphRequests,
        signInPageRequests: stats.requests.reports,
        throttled,
        opened: [],
      },
    };
  } finally {
    await created.close();
    await sim.close();
  }
}

/** The sign-in log detectors of the demo policy, and nothing else: what an hourly run judges. */
const STREAM_CONTROLS = [
  'legacy-auth.sign-ins',
  'sign-ins.countries',
  'sign-ins.impossible-travel',
  'sign-ins.password-spray',
  'sign-ins.mfa-fatigue',
];

async function benchPolicy(file: string): Promise<void> {
  const policy = JSON.parse(await readFile('demo/demo-policy.json', 'utf8')) as {
    controls: Record<string, { enabled: boolean }>;
  };
  for (const [id, control] of Object.entries(policy.controls)) control.enabled = STREAM_CONTROLS.includes(id);
  // The generated users live in the US and Canada.
  (policy.controls['sign-ins.countries'] as { allowedCountries?: string[] }).allowedCountries = ['US', 'CA'];
  await writeFile(file, JSON.stringify(policy, null, 2));
}

/** Pages of 1,000 that reading [from, to] of a generated day of `users` needs. */
async function pagesFor(users: number, windows: Readonly<Record<string, number>>): Promise<Record<string, number>> {
  const end = Date.parse('2026-11-27T06:00:00Z');
  const spanMs = 26 * HOUR;
  const counts = Object.fromEntries(Object.keys(windows).map((k) => [k, 0])) as Record<string, number>;
  const events = Math.round((users * PER_USER_PER_DAY * spanMs) / (24 * HOUR));
  for await (const page of backgroundPages({ users, events, end, spanMs, seed: 42 })) {
    for (const e of page) {
      const t = Date.parse(e.createdDateTime ?? '');
      for (const [name, ms] of Object.entries(windows)) if (t >= end - ms) counts[name] = (counts[name] ?? 0) + 1;
    }
  }
  return Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, Math.ceil(n / 1000)]));
}

/**
 * The sealed state one hourly run leaves at `users` users: a generated day (20 sign-ins per user,
 * ordinary activity, the same 1% failures and 0.3% missed MFA prompts as every generated tenant)
 * read in full through the five detectors, as a first incremental run reads it.
 */
async function stateSize(users: number): Promise<Record<string, number>> {
  const now = new Date('2026-11-27T06:23:00Z');
  const policy = signInPolicy(allSignInControls(), now);
  const events = users * PER_USER_PER_DAY * (25 / 24);
  const manifest: Manifest = {
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    tenantId: TENANT,
    capturedAt: now.toISOString(),
    tool: { name: 'mailwarden', version: 'bench' },
    licences: { 'entra-id-p1': true, 'entra-id-p2': true },
    sources: { 'graph.signIns': { status: 'ok' } },
  };
  const snapshot = memorySnapshot(manifest, {
    'graph.signIns': {
      pages: () =>
        backgroundPages({
          users,
          events: Math.round(events),
          end: now.getTime() - MINUTE,
          spanMs: 25 * HOUR,
          seed: 42,
        }),
    },
  });
  const started = performance.now();
  const evaluation = await evaluate(snapshot, policy, {
    now,
    domains: [],
    incremental: { horizon: horizonOf(now, policy) },
  });
  const next = nextState(evaluation, { now, policy, tenantId: TENANT });
  if (!('state' in next)) throw new Error(next.reason);
  const json = Buffer.byteLength(JSON.stringify(next.state));
  const sealed = sealState(next.state, STATE_KEY).length;
  const carried = Object.values(next.state.controls).reduce((n, c) => n + c.events.length, 0);
  return {
    users,
    events: Math.round(events),
    carriedEvents: carried,
    stateJsonBytes: json,
    sealedBytes: sealed,
    seconds: Math.round((performance.now() - started) / 10) / 100,
  };
}

async function main(): Promise<void> {
  const root = path.join(tmpdir(), `mailwarden-bench-incremental-${process.pid}`);
  const dir = path.join(root, 'tenant');
  const state = path.join(root, 'sign-ins.state');
  const policyPath = path.join(root, 'policy.json');
  await mkdir(root, { recursive: true });
  await benchPolicy(policyPath);
  const planted = attacks();
  const events = [...(await background()), ...planted.events];
  const github = await startFakeGitHub();
  const runs: RunFigures[] = [];
  const latency: Record<string, number | null> = Object.fromEntries(Object.keys(planted.targets).map((c) => [c, null]));
  try {
    const openedBefore = new Set<string>();
    for (let k = 1; k <= RUNS; k++) {
      const at = runAt(k);
      const { figures } = await run(dir, events, at, github, state, policyPath);
      // The issues the fake GitHub holds after this run: the ones it opened are new.
      const titles = [...github.issues.values()].map((i) => `${i.title}\n${i.body ?? ''}`);
      const opened: string[] = [];
      for (const [control, target] of Object.entries(planted.targets)) {
        const key = `${control} ${target}`;
        if (openedBefore.has(key)) continue;
        if (titles.some((t) => t.includes(control) && t.includes(target))) {
          openedBefore.add(key);
          opened.push(key);
          latency[control] = Math.round(((at - ATTACK) / MINUTE + figures.unscaledMinutes) * 10) / 10;
        }
      }
      runs.push({ ...figures, opened });
    }
    // One nightly run's reads at the same clock as the last hourly run: the whole look-back window.
    const nightly = (await run(dir, events, runAt(RUNS), github, undefined, policyPath)).figures;
    const hourlyRequests = runs.slice(1).map((r) => r.graphRequests);
    const pages = await pagesFor(REQUEST_USERS, { hourly: 2 * HOUR, nightly: 25 * HOUR });
    const stateFigures = await stateSize(STATE_USERS);
    console.log(
      JSON.stringify({
        bench: 'incremental-sign-ins',
        users: USERS,
        signInsPerUserPerDay: PER_USER_PER_DAY,
        timeScale: SCALE,
        ingestMinutes: INGEST / MINUTE,
        overlapMinutes: 60,
        attackAt: new Date(ATTACK).toISOString(),
        runs,
        detectionLatencyMinutes: latency,
        targetMinutes: 75,
        graphRequestsPerHourlyRun: hourlyRequests,
        graphRequestsNightlyRun: nightly.graphRequests,
        signInPageRequestsPerHourlyRun: runs.slice(1).map((r) => r.signInPageRequests),
        signInPageRequestsNightlyRun: nightly.signInPageRequests,
        nightlyWallSeconds: nightly.wallSeconds,
        pagesAt: {
          users: REQUEST_USERS,
          hourlyRead: pages.hourly,
          nightlyRead: pages.nightly,
          note: 'pages of 1,000 sign-ins (one Graph request each) for a 120-minute read (60 min + 60 min overlap) and a 25-hour read, counted over a generated day',
        },
        stateAt: stateFigures,
        loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
      }),
    );
  } finally {
    await github.close();
    await rm(root, { recursive: true, force: true });
  }
}

await main();
