/**
 * One audit of the benchmark, in its own process: the production clients (Graph transport,
 * Exchange admin API client, DNS client, @azure/identity client-secret credential) against the
 * simulator, through the same pipeline as `mailwarden audit --tenant-id`. The transport's own
 * per-family limits are divided by the time scale, as the simulator's are.
 *
 * `naive` is the baseline: one request at a time across the whole audit and no `$batch` (each
 * batch item is sent as its own GET), the way a straightforward script would read the tenant.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { getHeapSpaceStatistics } from 'node:v8';
import { createDnsClient } from '../src/collect/dns/create-dns-client.js';
import { createHttpsGetter } from '../src/collect/dns/https-getter.js';
import type { ExchangeApi } from '../src/collect/exchange/exchange-api.js';
import { DEFAULT_BACKOFF } from '../src/collect/graph/backoff.js';
import type { EndpointFamily } from '../src/collect/graph/endpoint-family.js';
import { type BatchItemResponse, type GraphApi, GraphRequestError } from '../src/collect/graph/graph-api.js';
import { DEFAULT_FAMILY_LIMITS, type FamilyLimit } from '../src/collect/graph/rate-limiter.js';
import { createLiveClients } from '../src/collect/live/create-clients.js';
import { liveCollector } from '../src/collect/live/live-collector.js';
import { type Logger, silentLogger } from '../src/logger.js';
import { runAudit } from '../src/run/run-audit.js';
import type { Settings } from '../src/run/settings.js';
import { SIMULATOR_CLIENT_ID, SIMULATOR_CLIENT_SECRET } from '../src/simulator/credentials.js';

export interface WorkerConfig {
  readonly tenantId: string;
  /** The tenant folder, for its capture time (the audit's "now", so the sign-in window holds its sign-ins). */
  readonly tenantDir: string;
  readonly graphUrl: string;
  readonly authorityUrl: string;
  readonly exchangeUrl: string;
  readonly dnsServer: string;
  /** Port of the simulator's MTA-STS policy hosts (their names resolve to loopback in its DNS). */
  readonly policyHttpsPort: number;
  readonly ca: string;
  readonly policy: string;
  readonly timeScale: number;
  readonly naive: boolean;
  readonly verbose: boolean;
}

export interface WorkerResult {
  readonly wallMs: number;
  readonly peakRssMb: number;
  /** Peak `heapUsed` sampled every 250 ms (live objects plus garbage not yet collected). */
  readonly peakHeapMb: number;
  /** CPU the audit process used (user + system): far below the wall time means it waited on the limits. */
  readonly cpuSeconds: number;
  readonly results: Readonly<Record<string, number>>;
  readonly sources: Readonly<Record<string, string>>;
}

/** Our limits with every window divided by `scale`; in naive mode, one request at a time. */
function limits(scale: number, naive: boolean): Record<EndpointFamily, FamilyLimit> {
  const out = {} as Record<EndpointFamily, FamilyLimit>;
  for (const [family, limit] of Object.entries(DEFAULT_FAMILY_LIMITS) as [EndpointFamily, FamilyLimit][]) {
    out[family] = {
      ...limit,
      ...(limit.window ? { window: { requests: limit.window.requests, windowMs: limit.window.windowMs / scale } } : {}),
      ...(naive ? { concurrency: 1, ...(limit.concurrencyPerKey !== undefined ? { concurrencyPerKey: 1 } : {}) } : {}),
    };
  }
  return out;
}

/** One lock for the whole audit: the naive baseline sends one request at a time. */
class Lock {
  private tail: Promise<void> = Promise.resolve();
  async run<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release = (): void => undefined;
    this.tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    try {
      return await work();
    } finally {
      release();
    }
  }
}

/** The Graph client of the naive baseline: sequential, and `$batch` items sent one by one. */
function naiveGraph(graph: GraphApi, lock: Lock): GraphApi {
  const get = (url: string) => lock.run(() => graph.get(url));
  return {
    get,
    pages(url: string): AsyncIterable<readonly unknown[]> {
      return {
        [Symbol.asyncIterator]() {
          const inner = graph.pages(url)[Symbol.asyncIterator]();
          return { next: () => lock.run(() => inner.next()) };
        },
      };
    },
    async batch(requests): Promise<readonly BatchItemResponse[]> {
      const out: BatchItemResponse[] = [];
      for (const request of requests) {
        try {
          out.push({ id: request.id, status: 200, body: await get(request.url) });
        } catch (error: unknown) {
          if (!(error instanceof GraphRequestError)) throw error;
          out.push({
            id: request.id,
            status: error.status,
            body: { error: { code: error.code, message: error.message } },
          });
        }
      }
      return out;
    },
  };
}

function naiveExchange(exchange: ExchangeApi, lock: Lock): ExchangeApi {
  return {
    ...exchange,
    invoke: (cmdlet, parameters, invokeOptions) => lock.run(() => exchange.invoke(cmdlet, parameters, invokeOptions)),
  };
}

const mb = (bytes: number): number => Math.round(bytes / 1048576);

/** `rss/heap` now, for the verbose log: where in the run memory grows. */
function memoryNow(): string {
  const m = process.memoryUsage();
  const space = (name: string): number =>
    mb(getHeapSpaceStatistics().find((s) => s.space_name === name)?.space_size ?? 0);
  return `rss ${mb(m.rss)} MB, heap ${mb(m.heapUsed)}/${mb(m.heapTotal)} MB (new ${space('new_space')}, old ${space('old_space')}, large ${space('large_object_space')}), external ${mb(m.external)} MB`;
}

/** `--verbose` on the harness: the audit's own log (per-source timings, memory) on stderr. */
const stderrLogger: Logger = {
  ...silentLogger,
  info: (m) => process.stderr.write(`  audit ${(performance.now() / 1000).toFixed(2)}s [${memoryNow()}]: ${m}\n`),
  warning: (m) => process.stderr.write(`  audit warning: ${m}\n`),
};

/** Samples the heap in use, for the peak live-plus-garbage heap next to peak RSS. */
function heapSampler(verbose: boolean): { stop(): number } {
  let peak = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    // Every 10 s in verbose mode: the memory curve between log lines.
    if (verbose && ++ticks % 40 === 0)
      process.stderr.write(`  audit ${(performance.now() / 1000).toFixed(2)}s [${memoryNow()}]\n`);
  }, 250);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().heapUsed);
    },
  };
}

export async function runWorker(config: WorkerConfig): Promise<WorkerResult> {
  const logger = config.verbose ? stderrLogger : silentLogger;
  const manifest = JSON.parse(await readFile(path.join(config.tenantDir, 'manifest.json'), 'utf8')) as {
    capturedAt: string;
  };
  const now = new Date(manifest.capturedAt);
  const scale = config.timeScale;
  const backoff = { ...DEFAULT_BACKOFF, baseMs: DEFAULT_BACKOFF.baseMs / scale, maxMs: DEFAULT_BACKOFF.maxMs / scale };
  const target = {
    kind: 'tenant' as const,
    tenantId: config.tenantId,
    clientId: SIMULATOR_CLIENT_ID,
    credentials: { kind: 'client-secret' as const, secret: SIMULATOR_CLIENT_SECRET },
    cloud: 'global' as const,
    endpoints: {
      graph: config.graphUrl,
      authority: config.authorityUrl,
      tokenExchangeAudience: 'api://AzureADTokenExchange',
      exchange: config.exchangeUrl,
    },
  };
  const created = createLiveClients(target, {
    logger,
    ca: config.ca,
    graph: { limits: limits(scale, config.naive), backoff },
    exchange: { backoff },
  });
  const lock = new Lock();
  const graph = created.clients.graph && config.naive ? naiveGraph(created.clients.graph, lock) : created.clients.graph;
  const exchange =
    created.clients.exchange && config.naive ? naiveExchange(created.clients.exchange, lock) : created.clients.exchange;
  const dns = createDnsClient({ servers: [config.dnsServer] }, { logger: silentLogger });
  const collector = liveCollector({
    mode: 'tenant',
    tenantId: config.tenantId,
    clients: {
      ...(graph ? { graph } : {}),
      ...(exchange ? { exchange } : {}),
      dns,
      // MTA-STS policies from the simulator's policy hosts, as `audit --simulate` fetches them.
      https: createHttpsGetter({ resolver: dns, port: config.policyHttpsPort, ca: config.ca }),
    },
    extraDomains: [],
    now: () => now,
    close: () => created.close(),
  });
  const settings: Settings = {
    policyPath: config.policy,
    target,
    saveSnapshotDir: undefined,
    only: undefined,
    reportJsonPath: undefined,
    summaryMarkdownPath: undefined,
    failOn: 'none',
    debug: false,
  };
  const started = performance.now();
  const cpu = process.cpuUsage();
  const heap = heapSampler(config.verbose);
  try {
    const outcome = await runAudit(settings, { logger, now: () => now, collector });
    const wallMs = performance.now() - started;
    const peakHeapMb = mb(heap.stop());
    const results: Record<string, number> = {};
    for (const result of outcome.report.results) results[result.status] = (results[result.status] ?? 0) + 1;
    const sources = Object.fromEntries(
      Object.entries(outcome.report.snapshot.sources).map(([id, s]) => [id, s.status]),
    );
    const used = process.cpuUsage(cpu);
    return {
      wallMs,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      peakHeapMb,
      cpuSeconds: (used.user + used.system) / 1e6,
      results,
      sources,
    };
  } finally {
    heap.stop();
    await collector.close?.();
  }
}
