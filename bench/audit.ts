/**
 * The whole-audit benchmark: `npm run bench -- --users N`.
 *
 * 1. Generates a tenant from a seed with `mailwarden simulate --generate` (cached by users,
 *    sign-ins and seed under node_modules/.cache/mailwarden-bench/ or --cache DIR).
 * 2. Serves it with `mailwarden simulate` in a separate process, with Graph's documented limits
 *    and a log-normal latency, all divided by --time-scale (BENCHMARKS.md and bench/README.md say why).
 * 3. Runs a full audit (every control of the demo policy) in another process over live HTTP with
 *    real auth: the production Graph transport, Exchange client and DNS client, whose own
 *    per-family limits are divided by the same factor.
 * 4. With --naive (the default; --no-naive skips it), runs the same audit again sequentially and
 *    without batching, for a side-by-side speed-up.
 * 5. Prints one JSON line with the figures. It prints figures; it asserts nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DOCUMENTED_THROTTLING, type RealismConfig } from '../src/simulator/realism.js';
import type { SimulatorStats } from '../src/simulator/stats.js';
import { ENDPOINT_FAMILIES, type EndpointFamily } from '../src/simulator/endpoint-family.js';
import { runWorker, type WorkerConfig, type WorkerResult } from './audit-worker.js';

const CLI = path.resolve('dist/cli.js');

interface Options {
  readonly users: number;
  readonly seed: number;
  readonly signIns: number | undefined;
  readonly timeScale: number;
  readonly latencyMs: number;
  readonly naive: boolean;
  readonly cache: string;
  readonly policy: string;
  /** An existing tenant folder instead of a generated one. */
  readonly tenant: string | undefined;
  readonly verbose: boolean;
  /** Node options for the audit process only (e.g. `--max-semi-space-size=16`), to measure heap settings. */
  readonly auditNodeOptions: readonly string[];
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      users: { type: 'string' },
      seed: { type: 'string' },
      'sign-ins': { type: 'string' },
      'time-scale': { type: 'string' },
      'latency-ms': { type: 'string' },
      naive: { type: 'boolean' },
      'no-naive': { type: 'boolean' },
      cache: { type: 'string' },
      policy: { type: 'string' },
      tenant: { type: 'string' },
      worker: { type: 'string' },
      verbose: { type: 'boolean' },
      'audit-node-options': { type: 'string' },
    },
    // bench/run.mjs passes the entry file first.
    allowPositionals: true,
    strict: true,
  });
  const number = (name: string, value: string | undefined, fallback: number): number => {
    const n = value === undefined ? fallback : Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name}: expected a positive number, got "${value}"`);
    return n;
  };
  return {
    users: number('users', values.users, 1000),
    seed: number('seed', values.seed, 42),
    signIns: values['sign-ins'] === undefined ? undefined : number('sign-ins', values['sign-ins'], 0),
    timeScale: number('time-scale', values['time-scale'], 10),
    latencyMs: number('latency-ms', values['latency-ms'], 80),
    naive: values['no-naive'] !== true,
    cache: values.cache ?? path.resolve('node_modules/.cache/mailwarden-bench'),
    policy: values.policy ?? path.resolve('demo/demo-policy.json'),
    tenant: values.tenant,
    verbose: values.verbose === true,
    auditNodeOptions: (values['audit-node-options'] ?? '').split(/\s+/).filter((o) => o !== ''),
  };
}

interface TenantSummary {
  readonly users: number;
  readonly mailboxes: number;
  readonly inboxRules: number;
  readonly signIns: number;
  readonly generateSeconds: number;
}

function runToEnd(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${args.slice(0, 2).join(' ')} exited ${code}`)),
    );
  });
}

/** The generated tenant for (users, sign-ins, seed), generated once and cached. */
async function tenant(o: Options): Promise<{ dir: string; summary: TenantSummary }> {
  if (o.tenant !== undefined) {
    const manifest = JSON.parse(await readFile(path.join(o.tenant, 'manifest.json'), 'utf8')) as {
      sources: Record<string, { count?: number }>;
    };
    const count = (id: string): number => manifest.sources[id]?.count ?? 0;
    return {
      dir: o.tenant,
      summary: {
        users: count('graph.users'),
        mailboxes: count('exo.mailbox'),
        inboxRules: 0,
        signIns: count('graph.signIns'),
        generateSeconds: 0,
      },
    };
  }
  const key = `tenant-u${o.users}-s${o.signIns ?? 'default'}-seed${o.seed}`;
  const dir = path.join(o.cache, key);
  const summaryFile = path.join(o.cache, `${key}.json`);
  if (existsSync(summaryFile) && existsSync(dir))
    return { dir, summary: JSON.parse(await readFile(summaryFile, 'utf8')) as TenantSummary };
  await mkdir(o.cache, { recursive: true });
  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  const started = performance.now();
  const out = await runToEnd(process.execPath, [
    CLI,
    'simulate',
    '--generate',
    '--users',
    String(o.users),
    '--seed',
    String(o.seed),
    '--out',
    partial,
    ...(o.signIns !== undefined ? ['--sign-ins', String(o.signIns)] : []),
  ]);
  const match = /(\d+) users, (\d+) mailboxes, (\d+) inbox rules, (\d+) sign-ins/.exec(out);
  if (!match) throw new Error(`cannot read the generator's summary: ${out}`);
  const summary: TenantSummary = {
    users: Number(match[1]),
    mailboxes: Number(match[2]),
    inboxRules: Number(match[3]),
    signIns: Number(match[4]),
    generateSeconds: (performance.now() - started) / 1000,
  };
  await rm(dir, { recursive: true, force: true });
  await rename(partial, dir);
  await writeFile(summaryFile, JSON.stringify(summary));
  return { dir, summary };
}

/** Graph's documented limits and latency, every window and delay divided by `scale`. */
export function scaledRealism(scale: number, latencyMs: number): RealismConfig {
  const t = DOCUMENTED_THROTTLING;
  return {
    seed: 1,
    latency: { kind: 'lognormal', medianMs: latencyMs / scale, sigma: 0.5 },
    throttling: {
      mode: 'enforce',
      reports: { limit: t.reports.limit, windowMs: t.reports.windowMs / scale },
      identityProtection: { limit: t.identityProtection.limit, windowMs: t.identityProtection.windowMs / scale },
      outlook: { concurrency: t.outlook.concurrency, limit: t.outlook.limit, windowMs: t.outlook.windowMs / scale },
      global: { limit: t.global.limit, windowMs: t.global.windowMs / scale },
    },
  };
}

/**
 * The least time the requests made need under the simulated limits: requests of a family
 * limited to L per window W can start no faster than one window per L (sliding window), so
 * n requests take at least floor((n-1)/L)·W; families run in parallel, so the bound is the
 * slowest family (Identity Protection and Conditional Access share one limit; the global
 * limit covers every Graph request). Latency is left out, so this is a true lower bound.
 */
export function lowerBoundSeconds(
  requests: Readonly<Record<EndpointFamily, number>>,
  realism: RealismConfig,
): Record<string, number> {
  const t = realism.throttling;
  const bound = (n: number, limit: { limit: number; windowMs: number } | undefined): number =>
    limit === undefined || n <= 0 ? 0 : (Math.floor((n - 1) / limit.limit) * limit.windowMs) / 1000;
  const graph =
    requests.directory +
    requests.reports +
    requests.identityProtection +
    requests.conditionalAccess +
    requests.outlook +
    requests.batch;
  return {
    reports: bound(requests.reports, t?.reports),
    identityProtection: bound(requests.identityProtection + requests.conditionalAccess, t?.identityProtection),
    global: bound(graph, t?.global),
  };
}

interface Simulator {
  readonly child: ChildProcess;
  readonly graphUrl: string;
  readonly authorityUrl: string;
  readonly exchangeUrl: string;
  readonly dns: string;
  /** Port of the simulator's MTA-STS policy hosts (HTTPS, same certificate). */
  readonly policyHttpsPort: number;
  readonly tenantId: string;
  readonly caFile: string;
  stats(): Promise<SimulatorStats>;
  stop(): Promise<void>;
}

async function startSimulator(dir: string, realism: RealismConfig, work: string): Promise<Simulator> {
  const realismFile = path.join(work, 'realism.json');
  const caFile = path.join(work, 'simulator-ca.pem');
  await writeFile(realismFile, JSON.stringify(realism));
  const child = spawn(
    process.execPath,
    [CLI, 'simulate', '--tenant', dir, '--realism', realismFile, '--ca-cert-out', caFile],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const seen: string[] = [];
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`simulator exited ${code} before it was ready: ${seen.join(' | ')}`)),
    );
    lines.on('line', (line) => {
      seen.push(line);
      if (line.startsWith('Stop with')) resolve();
    });
  });
  const field = (pattern: RegExp): string => {
    for (const line of seen) {
      const match = pattern.exec(line);
      if (match?.[1]) return match[1];
    }
    throw new Error(`simulator output lacks ${pattern}: ${seen.join(' | ')}`);
  };
  const graphUrl = field(/Graph:\s+(\S+)/);
  const origin = new URL(graphUrl).origin;
  return {
    child,
    graphUrl: origin,
    authorityUrl: field(/Authority:\s+(\S+)/),
    exchangeUrl: new URL(field(/Exchange:\s+(\S+)/)).origin,
    dns: field(/DNS:\s+(\S+)/),
    policyHttpsPort: Number(new URL(field(/MTA-STS:\s+(\S+)/)).port),
    tenantId: field(/Simulated tenant (\S+)/),
    caFile,
    async stats() {
      const response = await fetch(`${origin}/_stats`);
      return (await response.json()) as SimulatorStats;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function diff(
  after: Readonly<Record<EndpointFamily, number>>,
  before: Readonly<Record<EndpointFamily, number>>,
): Record<EndpointFamily, number> {
  return Object.fromEntries(ENDPOINT_FAMILIES.map((f) => [f, after[f] - before[f]])) as Record<EndpointFamily, number>;
}

const sum = (counts: Readonly<Record<string, number>>): number => Object.values(counts).reduce((a, b) => a + b, 0);
const round = (n: number, digits = 2): number => Number(n.toFixed(digits));

/** Runs one audit in its own process (so its peak RSS is its own) and reads its result. */
async function audit(config: WorkerConfig, nodeOptions: readonly string[]): Promise<WorkerResult> {
  const out = await runToEnd(process.execPath, [
    ...nodeOptions,
    fileURLToPath(import.meta.url),
    '--worker',
    JSON.stringify(config),
  ]);
  const last = out.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as WorkerResult;
}

async function measured(sim: Simulator, config: WorkerConfig, realism: RealismConfig, nodeOptions: readonly string[]) {
  // Let every throttling window of an earlier run expire, so runs do not pay for each other.
  await new Promise((resolve) =>
    setTimeout(resolve, 1_100 * Math.max(1, (realism.throttling?.reports?.windowMs ?? 0) / 1000)),
  );
  const before = await sim.stats();
  // Poll the counters to see when each family went quiet: it shows which sweep set the wall time.
  const started = performance.now();
  const lastBusy: Partial<Record<EndpointFamily, number>> = {};
  let previous = before;
  const poll = setInterval(() => {
    void sim.stats().then(
      (now) => {
        for (const family of ENDPOINT_FAMILIES) {
          if (now.requests[family] !== previous.requests[family])
            lastBusy[family] = round((performance.now() - started) / 1000, 0);
        }
        previous = now;
      },
      () => undefined,
    );
  }, 2_000);
  const result = await audit(config, nodeOptions).finally(() => clearInterval(poll));
  const after = await sim.stats();
  const requests = diff(after.requests, before.requests);
  const throttled = diff(after.throttled, before.throttled);
  const overAllowance = diff(after.overAllowance, before.overAllowance);
  const bounds = lowerBoundSeconds(requests, realism);
  const lowerBound = Math.max(...Object.values(bounds));
  const wall = result.wallMs / 1000;
  return {
    wallSeconds: round(wall),
    lowerBoundSeconds: round(lowerBound),
    boundBy: Object.entries(bounds).sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'none',
    ratio: lowerBound > 0 ? round(wall / lowerBound) : null,
    peakRssMb: round(result.peakRssMb, 0),
    peakHeapMb: result.peakHeapMb,
    cpuSeconds: round(result.cpuSeconds, 1),
    requests: Object.fromEntries(Object.entries(requests).filter(([, n]) => n > 0)),
    requestsTotal: sum(requests),
    batchItems: after.batchItems - before.batchItems,
    throttled429: sum(throttled),
    throttledByFamily: Object.fromEntries(Object.entries(throttled).filter(([, n]) => n > 0)),
    overAllowance: sum(overAllowance),
    /** Seconds after the audit started when each family last saw a request (2 s resolution). */
    lastBusySeconds: lastBusy,
    results: result.results,
    sources: result.sources,
  };
}

async function main(): Promise<void> {
  const o = options();
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  const { dir, summary } = await tenant(o);
  const realism = scaledRealism(o.timeScale, o.latencyMs);
  const work = path.join(o.cache, `run-${process.pid}`);
  await mkdir(work, { recursive: true });
  const sim = await startSimulator(dir, realism, work);
  try {
    const ca = await readFile(sim.caFile, 'utf8');
    const base: Omit<WorkerConfig, 'naive'> = {
      verbose: o.verbose,
      tenantId: sim.tenantId,
      tenantDir: dir,
      graphUrl: sim.graphUrl,
      authorityUrl: sim.authorityUrl,
      exchangeUrl: sim.exchangeUrl,
      dnsServer: sim.dns,
      policyHttpsPort: sim.policyHttpsPort,
      ca,
      policy: o.policy,
      timeScale: o.timeScale,
    };
    const full = await measured(sim, { ...base, naive: false }, realism, o.auditNodeOptions);
    const naive = o.naive ? await measured(sim, { ...base, naive: true }, realism, o.auditNodeOptions) : undefined;
    const line = {
      users: summary.users,
      mailboxes: summary.mailboxes,
      signIns: summary.signIns,
      inboxRules: summary.inboxRules,
      seed: o.seed,
      timeScale: o.timeScale,
      medianLatencyMs: o.latencyMs / o.timeScale,
      generateSeconds: round(summary.generateSeconds, 1),
      ...full,
      lowerBoundUnscaledSeconds: round(full.lowerBoundSeconds * o.timeScale, 0),
      naive: naive
        ? {
            wallSeconds: naive.wallSeconds,
            cpuSeconds: naive.cpuSeconds,
            requestsTotal: naive.requestsTotal,
            throttled429: naive.throttled429,
            overAllowance: naive.overAllowance,
            peakRssMb: naive.peakRssMb,
          }
        : null,
      speedup: naive ? round(naive.wallSeconds / full.wallSeconds, 1) : null,
      node: process.version,
      auditNodeOptions: o.auditNodeOptions.join(' '),
      date: new Date().toISOString(),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  } finally {
    await sim.stop();
    await rm(work, { recursive: true, force: true });
  }
}

const workerIndex = process.argv.indexOf('--worker');
if (workerIndex >= 0) {
  const config = JSON.parse(process.argv[workerIndex + 1] ?? '{}') as WorkerConfig;
  runWorker(config).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (error: unknown) => {
      process.stderr.write(
        `bench worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
} else {
  main().catch((error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
