/**
 * Sign-in detector benchmark: 2,000,000 generated sign-ins from 100,000 users through
 * every sign-in detector, (1) straight from the generator, (2) from a snapshot folder (JSON
 * Lines) and (3) through the simulator over loopback HTTP. Each phase runs in its own process
 * so its RSS is its own; the simulator serves from a process of its own too, as Graph would,
 * so the audit's figures are the audit's. Prints events/s, CPU seconds, events per CPU second
 * (the machine is shared, so wall time depends on the load average, which is printed too),
 * time, peak RSS, and RSS and live heap at 0.5M, 1M and 2M events.
 *
 *   npm run bench:signins                 # all phases, 2M events (bench/run.mjs bundles it)
 *   npm run bench:signins -- --events 500000 --phases generator,snapshot
 *   npm run bench:signins -- --phases snapshot,simulator --dir /tmp/s --keep 1 --reuse 1
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { loadavg, tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_FAMILY_LIMITS } from '../src/collect/graph/rate-limiter.js';
import { createLiveClients } from '../src/collect/live/create-clients.js';
import { liveCollector } from '../src/collect/live/live-collector.js';
import { evaluate } from '../src/evaluate/evaluate.js';
import { silentLogger } from '../src/logger.js';
import type { Result } from '../src/model/result.js';
import type { SignIn } from '../src/snapshot/graph-types.js';
import { readSnapshotFolder } from '../src/snapshot/read-folder.js';
import { memorySnapshot, type PageStream, type Snapshot } from '../src/snapshot/snapshot.js';
import { type RunningSimulator, startSimulator } from '../src/simulator/start-simulator.js';
import { SNAPSHOT_FORMAT_VERSION, type Manifest } from '../src/snapshot/manifest.js';
import { allSignInControls, DEVICE_CODE_ON, signInPolicy } from '../test/helpers/sign-in-evaluate.js';
import { backgroundPages } from '../test/helpers/sign-in-generator.js';

const NOW = new Date('2026-11-27T06:00:00Z');
const USERS = 100_000;
const MARKS = [500_000, 1_000_000, 2_000_000];

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : (process.argv[at + 1] ?? fallback);
}

const events = Number(arg('events', '2000000'));
/**
 * `--log v1.0` writes records as the v1.0 log returns them (no flow fields), for comparing with
 * a checkout that predates the beta fields; the default is the beta log the device-code
 * detector reads.
 */
const beta = arg('log', 'beta') === 'beta';
const generator = () =>
  backgroundPages({ users: USERS, events, end: NOW.getTime() - 60_000, spanMs: 24 * 3_600_000, seed: 42, beta });

const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);

interface Probe {
  count: number;
  readonly rss: Record<string, number>;
  /** Live heap after a full GC at each mark: what the detectors actually hold. */
  readonly heap: Record<string, number>;
  /** CPU microseconds spent while the engine folds the pages (the detectors and their shared pass). */
  foldMicros: number;
}

/** Counts events as the engine pulls pages, and samples RSS at the marks. */
function probed(stream: PageStream<SignIn>, probe: Probe): PageStream<SignIn> {
  return {
    async *pages() {
      for await (const page of stream.pages()) {
        const before = probe.count;
        probe.count += page.length;
        for (const mark of MARKS) {
          if (before < mark && probe.count >= mark) {
            probe.rss[`${mark / 1e6}M`] = mb(process.memoryUsage().rss);
            (globalThis as { gc?: () => void }).gc?.();
            probe.heap[`${mark / 1e6}M`] = mb(process.memoryUsage().heapUsed);
          }
        }
        if (process.argv.includes('--heap') && before % 100_000 > probe.count % 100_000) {
          (globalThis as { gc?: () => void }).gc?.();
          console.error(
            `heap after gc at ${probe.count}: ${mb(process.memoryUsage().heapUsed)} MB, rss ${mb(process.memoryUsage().rss)} MB`,
          );
        }
        // Between handing a page over and being asked for the next, the engine folds it.
        const cpu = process.cpuUsage();
        yield page;
        const used = process.cpuUsage(cpu);
        probe.foldMicros += used.user + used.system;
      }
    },
  };
}

function manifest(): Manifest {
  return {
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    tenantId: '00000000-0000-0000-0000-00000000bench',
    capturedAt: NOW.toISOString(),
    tool: { name: 'mailwarden', version: 'bench' },
    licences: { 'entra-id-p1': true, 'entra-id-p2': true },
    sources: {
      'graph.signIns': beta ? { status: 'ok', count: events, graphApi: 'beta' } : { status: 'ok', count: events },
      'graph.riskyUsers': { status: 'ok', count: 0 },
      'graph.riskDetections': { status: 'ok', count: 0 },
    },
  };
}

/** Wraps a snapshot so its sign-in stream is probed. */
function withProbe(snapshot: Snapshot, probe: Probe): Snapshot {
  const stream = probed(snapshot.data('graph.signIns'), probe);
  return {
    manifest: snapshot.manifest,
    status: (id) => snapshot.status(id),
    data: ((id: Parameters<Snapshot['data']>[0]) =>
      id === 'graph.signIns' ? stream : snapshot.data(id)) as Snapshot['data'],
  };
}

/** `--controls a,b` limits the run to some detectors, to see what each costs. */
function benchControls() {
  // Over the v1.0 log the device-code detector is not evaluable at once, so it runs on beta only.
  const all = allSignInControls(beta ? DEVICE_CODE_ON : {});
  const only = arg('controls', '');
  return only === '' ? all : Object.fromEntries(Object.entries(all).filter(([id]) => only.split(',').includes(id)));
}

async function judge(snapshot: Snapshot): Promise<readonly Result[]> {
  const policy = signInPolicy(benchControls(), NOW);
  return (await evaluate(snapshot, policy, { now: NOW, domains: [] })).results;
}

function summary(results: readonly Result[]): string {
  const fails = results.filter((r) => r.status === 'fail').length;
  const errors = results.filter((r) => r.status === 'error').length;
  return `${fails} fail, ${errors} error`;
}

/** Runs one phase in this process and prints one JSON line. */
async function phase(name: string, dir: string): Promise<void> {
  const probe: Probe = { count: 0, rss: {}, heap: {}, foldMicros: 0 };
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  let results: readonly Result[] = [];
  let extra: Record<string, unknown> = {};
  if (name === 'generator-only') {
    for await (const page of generator()) probe.count += page.length;
  } else if (name === 'generator') {
    const stream: PageStream<SignIn> = { pages: generator };
    results = await judge(
      withProbe(
        memorySnapshot(manifest(), { 'graph.signIns': stream, 'graph.riskyUsers': [], 'graph.riskDetections': [] }),
        probe,
      ),
    );
  } else if (name === 'snapshot') {
    results = await judge(withProbe(await readSnapshotFolder(dir, { now: new Date() }), probe));
  } else if (name === 'simulator') {
    const sim = await servingChild(dir);
    const created = createLiveClients(
      {
        kind: 'tenant',
        tenantId: sim.tenantId,
        clientId: sim.clientId,
        credentials: { kind: 'client-secret', secret: sim.clientSecret },
        cloud: 'global',
        endpoints: {
          graph: sim.graphOrigin,
          authority: sim.authorityUrl,
          tokenExchangeAudience: 'api://AzureADTokenExchange',
          exchange: sim.exchangeOrigin,
        },
      },
      {
        logger: silentLogger,
        ca: sim.caCertificatePem,
        // Real Graph allows 5 sign-in pages per 10 s (about 500 events/s); the bench lifts that
        // limit to measure our transport, parsing and detectors rather than Microsoft's quota.
        graph: { limits: { ...DEFAULT_FAMILY_LIMITS, 'identity-reports': { concurrency: 1 } } },
      },
    );
    try {
      const collector = liveCollector({
        mode: 'simulate',
        tenantId: sim.tenantId,
        clients: created.clients,
        extraDomains: [],
        now: () => NOW,
      });
      const policy = signInPolicy(benchControls(), NOW);
      const snapshot = await collector.collect({
        sources: new Set(['graph.signIns', 'graph.riskyUsers', 'graph.riskDetections']),
        policy,
        logger: silentLogger,
      });
      results = await judge(withProbe(snapshot, probe));
    } finally {
      await created.close();
      extra = await sim.stop();
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const peak = mb(process.resourceUsage().maxRSS * 1024);
  console.log(
    JSON.stringify({
      phase: name,
      loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
      events: probe.count,
      seconds: Math.round(seconds * 100) / 100,
      eventsPerSecond: Math.round(probe.count / seconds),
      cpuSeconds: Math.round(cpuSeconds * 100) / 100,
      eventsPerCpuSecond: Math.round(probe.count / cpuSeconds),
      detectorCpuSeconds: Math.round(probe.foldMicros / 1e4) / 100,
      detectorEventsPerCpuSecond: Math.round(probe.count / (probe.foldMicros / 1e6)),
      peakRssMb: peak,
      rssMbAt: probe.rss,
      liveHeapMbAt: probe.heap,
      results: summary(results),
      ...extra,
    }),
  );
}

/** What the serving process tells the audit process, on its first line. */
interface Serving {
  readonly graphOrigin: string;
  readonly authorityUrl: string;
  readonly exchangeOrigin: string;
  readonly caCertificatePem: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** `--phase serve`: the simulator alone, until SIGTERM; then its requests and CPU seconds. */
async function serve(dir: string): Promise<void> {
  const sim: RunningSimulator = await startSimulator({ dir });
  const serving: Serving = {
    graphOrigin: new URL(sim.graphUrl).origin,
    authorityUrl: sim.authorityUrl,
    exchangeOrigin: new URL(sim.exchangeUrl).origin,
    caCertificatePem: sim.caCertificatePem,
    tenantId: sim.tenantId,
    clientId: sim.credentials.clientId,
    clientSecret: sim.credentials.clientSecret,
  };
  const cpuStart = process.cpuUsage();
  console.log(JSON.stringify(serving));
  await new Promise((resolve) => process.once('SIGTERM', resolve));
  const cpu = process.cpuUsage(cpuStart);
  const requests = sim.stats().requests.reports;
  await sim.close();
  console.log(
    JSON.stringify({
      requests,
      simulatorCpuSeconds: Math.round((cpu.user + cpu.system) / 1e4) / 100,
      simulatorPeakRssMb: mb(process.resourceUsage().maxRSS * 1024),
    }),
  );
}

/** Starts `--phase serve` in its own process and waits until it listens. */
async function servingChild(dir: string): Promise<Serving & { stop(): Promise<Record<string, unknown>> }> {
  const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), '--phase', 'serve', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: proc.stdout });
  const iterator = lines[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done === true) throw new Error('the simulator process ended before it was ready');
  const serving = JSON.parse(first.value) as Serving;
  return {
    ...serving,
    async stop() {
      proc.kill('SIGTERM');
      const last = await iterator.next();
      lines.close();
      return last.done === true ? {} : (JSON.parse(last.value) as Record<string, unknown>);
    },
  };
}

/** How many events a snapshot folder written by this bench holds, or -1. */
async function writtenEvents(dir: string): Promise<number> {
  try {
    const written = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
    return written.sources['graph.signIns']?.status === 'ok' ? (written.sources['graph.signIns'].count ?? -1) : -1;
  } catch {
    return -1;
  }
}

async function writeSnapshot(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.join(dir, 'graph'), { recursive: true });
  const out = createWriteStream(path.join(dir, 'graph/signIns.jsonl'));
  for await (const page of generator()) {
    if (!out.write(`${JSON.stringify({ value: page })}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
  await writeFile(path.join(dir, 'graph/riskyUsers.json'), '{"value":[]}\n');
  await writeFile(path.join(dir, 'graph/riskDetections.json'), '{"value":[]}\n');
  await writeFile(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest(), null, 2)}\n`);
}

function child(name: string, dir: string, only = arg('controls', '')): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const controls = only;
    const args = [
      '--expose-gc',
      fileURLToPath(import.meta.url),
      '--phase',
      name,
      '--dir',
      dir,
      '--events',
      String(events),
      ...(controls ? ['--controls', controls] : []),
      '--log',
      beta ? 'beta' : 'v1.0',
    ];
    const proc = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => {
      if (code !== 0) reject(new Error(`phase ${name} exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, unknown>);
    });
  });
}

async function main(): Promise<void> {
  const only = arg('phase', '');
  const dir = arg('dir', path.join(tmpdir(), 'mailwarden-bench-signins'));
  if (only === 'serve') return serve(dir);
  if (only !== '') return phase(only, dir);
  const phases = arg('phases', 'generator-only,generator,snapshot,simulator').split(',');
  console.log(
    `sign-in detectors: ${events.toLocaleString('en')} events, ${USERS.toLocaleString('en')} users, Node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  if (phases.includes('snapshot') || phases.includes('simulator')) {
    if (arg('reuse', '') !== '' && (await writtenEvents(dir)) === events) {
      console.log(`snapshot in ${dir} reused (--reuse)`);
    } else {
      const t = performance.now();
      await writeSnapshot(dir);
      console.log(`snapshot written to ${dir} in ${Math.round((performance.now() - t) / 1000)} s`);
    }
  }
  const rows: Record<string, unknown>[] = [];
  for (const name of phases) {
    const row = await child(name, dir);
    rows.push(row);
    console.log(JSON.stringify(row));
  }
  const gen = rows.find((r) => r.phase === 'generator-only');
  const det = rows.find((r) => r.phase === 'generator');
  if (gen && det && typeof gen.seconds === 'number' && typeof det.seconds === 'number') {
    const detectorSeconds = det.seconds - gen.seconds;
    console.log(
      `detectors alone (generator time subtracted): ${Math.round(events / detectorSeconds).toLocaleString('en')} events/s`,
    );
  }
  if (arg('compare-new', '') !== '') await compareNew(dir, Number(arg('compare-new', '3')));
  if (!arg('keep', '')) await rm(dir, { recursive: true, force: true });
}

/** The detectors that predate break-glass and device-code: the figure the new ones are compared with. */
const BEFORE_NEW_DETECTORS = Object.keys(allSignInControls()).filter((id) => id !== 'sign-ins.break-glass');

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * `--compare-new R`: R interleaved rounds of the generator phase, without and with the
 * break-glass and device-code detectors, over the same beta log; prints the median detector CPU
 * per event of each and the added share. Figures only: the machine may be shared.
 */
async function compareNew(dir: string, rounds: number): Promise<void> {
  const micros = { before: [] as number[], after: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    for (const side of ['before', 'after'] as const) {
      const row = await child('generator', dir, side === 'before' ? BEFORE_NEW_DETECTORS.join(',') : '');
      const cpu = typeof row.detectorCpuSeconds === 'number' ? row.detectorCpuSeconds : Number.NaN;
      micros[side].push((cpu * 1e6) / events);
      console.log(`compare-new round ${round + 1} ${side}: detector CPU ${cpu} s (${JSON.stringify(row.loadAverage)})`);
    }
  }
  const before = median(micros.before);
  const after = median(micros.after);
  console.log(
    `compare-new: median detector CPU per event ${before.toFixed(3)} µs before, ${after.toFixed(3)} µs with break-glass and device-code (${(((after - before) / before) * 100).toFixed(1)} % more), over ${rounds} rounds`,
  );
}

await main();
