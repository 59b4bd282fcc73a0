/**
 * Benchmark: collect and judge the inbox rules of N generated mailboxes through the simulator,
 * under its Outlook throttling (per mailbox: 4 concurrent, 10,000 per 10 min; global 2,000/s)
 * and log-normal latency. Prints wall time, requests, 429s, the lower bound the limits imply,
 * the ratio, and peak RSS. Usage: npm run bench:rules -- [mailboxes]
 *
 * The client runs with the production defaults (batches in flight, sockets, global pace): no
 * tuning here. Other processes may share the CPU, so the load average and the CPU seconds of
 * both processes are printed with the figures.
 *
 * The simulator runs in a child process (as a real tenant would be elsewhere), so the figures
 * are the client's: its wall time, its peak RSS; the simulator's RSS is printed apart.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { SimulatorStats } from '../src/simulator/stats.js';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { createLiveClients } from '../src/collect/live/create-clients.js';
import { messageRulesCollector } from '../src/collect/graph/message-rules-collector.js';
import { BATCHES_IN_FLIGHT } from '../src/collect/graph/rate-limiter.js';
import { DEFAULT_GLOBAL_PACE } from '../src/collect/graph/request-pacer.js';
import { evaluate } from '../src/evaluate/evaluate.js';
import { silentLogger } from '../src/logger.js';
import { parsePolicy } from '../src/policy/parse-policy.js';
import { DOCUMENTED_THROTTLING } from '../src/simulator/realism.js';
import { startSimulator } from '../src/simulator/start-simulator.js';
import type { Manifest } from '../src/snapshot/manifest.js';
import { memorySnapshot } from '../src/snapshot/snapshot.js';

// Arguments after the entry file (bench/run.mjs passes it first) or after the bundled file.
const ARGS = process.argv.slice(2).filter((a) => !a.endsWith('.ts'));
const MAILBOXES = Number(ARGS[0] ?? 50_000);
const DOMAIN = 'bench.example';
const MEDIAN_MS = Number(process.env.BENCH_MEDIAN_MS ?? 80);
const LATENCY = { kind: 'lognormal', medianMs: MEDIAN_MS, sigma: 0.5 } as const;

function id(i: number): string {
  const hex = i.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

/** A generated tenant: 1% without a mailbox, 2% forwarding outside, 1% hiding mail, the rest ordinary. */
async function generate(dir: string): Promise<{ withMailbox: number }> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(path.join(dir, 'graph'), { recursive: true });
  // Written as a stream, so the benchmark's own process never holds the tenant (its peak RSS is the client's).
  const usersOut = createWriteStream(path.join(dir, 'graph/users.json'));
  usersOut.write('{"value":[');
  for (let i = 0; i < MAILBOXES; i++) {
    const user = {
      id: id(i),
      userPrincipalName: `user${i}@${DOMAIN}`,
      displayName: `User ${i}`,
      accountEnabled: true,
      userType: 'Member',
    };
    if (!usersOut.write(`${i === 0 ? '' : ','}${JSON.stringify(user)}`)) await once(usersOut, 'drain');
  }
  usersOut.end(']}');
  await once(usersOut, 'close');
  await writeFile(
    path.join(dir, 'graph/domains.json'),
    JSON.stringify({ value: [{ id: DOMAIN, isVerified: true, isDefault: true, supportedServices: ['Email'] }] }),
  );
  const out = createWriteStream(path.join(dir, 'graph/messageRules.jsonl'));
  let withMailbox = 0;
  for (let i = 0; i < MAILBOXES; i++) {
    const base = { userId: id(i), userPrincipalName: `user${i}@${DOMAIN}` };
    let line: unknown;
    if (i % 100 === 7) {
      line = { ...base, status: 404, body: { error: { code: 'MailboxNotEnabledForRESTAPI', message: 'no mailbox' } } };
    } else {
      withMailbox++;
      const rules = [
        {
          id: `r${i}a`,
          displayName: 'Newsletters',
          sequence: 1,
          isEnabled: true,
          conditions: { senderContains: ['news'] },
          actions: { markAsRead: true, stopProcessingRules: false },
        },
      ];
      if (i % 50 === 3)
        rules.push({
          id: `r${i}b`,
          displayName: 'fwd',
          sequence: 2,
          isEnabled: true,
          conditions: {},
          actions: { forwardTo: [{ emailAddress: { name: 'x', address: `x${i}@mail.test` } }] },
        } as never);
      if (i % 100 === 11)
        rules.push({
          id: `r${i}c`,
          displayName: '.',
          sequence: 3,
          isEnabled: true,
          conditions: { subjectContains: ['invoice'] },
          actions: { delete: true, markAsRead: true },
        } as never);
      line = { ...base, status: 200, body: { value: rules } };
    }
    if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
  const manifest: Manifest = {
    formatVersion: 1,
    tenantId: '11111111-2222-4333-8444-555555555555',
    capturedAt: new Date().toISOString(),
    tool: { name: 'mailwarden', version: 'bench' },
    licences: { 'entra-id-p1': true, 'entra-id-p2': true },
    sources: {
      'graph.users': { status: 'ok' },
      'graph.domains': { status: 'ok' },
      'graph.messageRules': { status: 'ok' },
    },
  };
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  return { withMailbox };
}

interface ChildHello {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly graphUrl: string;
  readonly authorityUrl: string;
  readonly exchangeUrl: string;
  readonly ca: string;
}

/** Child mode: serve the folder with the simulator; answer `stats` on stdin; exit on `close`. */
async function serve(dir: string): Promise<void> {
  const sim = await startSimulator({ dir, realism: { seed: 7, latency: LATENCY, throttling: DOCUMENTED_THROTTLING } });
  const hello: ChildHello = {
    tenantId: sim.tenantId,
    clientId: sim.credentials.clientId,
    clientSecret: sim.credentials.clientSecret,
    graphUrl: sim.graphUrl,
    authorityUrl: sim.authorityUrl,
    exchangeUrl: sim.exchangeUrl,
    ca: sim.caCertificatePem,
  };
  process.stdout.write(`${JSON.stringify(hello)}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'stats')
      process.stdout.write(
        `${JSON.stringify({ stats: sim.stats(), rssMb: process.resourceUsage().maxRSS / 1024, cpuS: (process.cpuUsage().user + process.cpuUsage().system) / 1e6 })}\n`,
      );
    if (line === 'close') break;
  }
  await sim.close();
}

if (ARGS[0] === 'serve') {
  await serve(ARGS[1] ?? '');
  process.exit(0);
}

const dir = await mkdtemp(path.join(tmpdir(), 'mailwarden-bench-rules-'));
try {
  const generatedAt = Date.now();
  const { withMailbox } = await generate(dir);
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'serve', dir], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const replies = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const read = async (): Promise<string> => {
    const next = await replies.next();
    if (next.done === true) throw new Error('the simulator process ended');
    return next.value;
  };
  const hello = JSON.parse(await read()) as ChildHello;
  const stats = async (): Promise<{ stats: SimulatorStats; rssMb: number; cpuS: number }> => {
    child.stdin.write('stats\n');
    return JSON.parse(await read()) as { stats: SimulatorStats; rssMb: number; cpuS: number };
  };
  const sim = {
    tenantId: hello.tenantId,
    credentials: { clientId: hello.clientId, clientSecret: hello.clientSecret },
    graphUrl: hello.graphUrl,
    authorityUrl: hello.authorityUrl,
    exchangeUrl: hello.exchangeUrl,
    caCertificatePem: hello.ca,
  };
  console.log(`generated ${MAILBOXES} mailboxes (${withMailbox} with a mailbox) in ${Date.now() - generatedAt} ms`);
  const created = createLiveClients(
    {
      kind: 'tenant',
      tenantId: sim.tenantId,
      clientId: sim.credentials.clientId,
      credentials: { kind: 'client-secret', secret: sim.credentials.clientSecret },
      cloud: 'global',
      endpoints: {
        graph: new URL(sim.graphUrl).origin,
        authority: sim.authorityUrl,
        tokenExchangeAudience: 'api://AzureADTokenExchange',
        exchange: new URL(sim.exchangeUrl).origin,
      },
    },
    { logger: silentLogger, ca: sim.caCertificatePem },
  );
  const now = new Date();
  const policyText = JSON.stringify({
    id: 'bench',
    title: 'bench',
    version: '1',
    description: 'inbox rule benchmark',
    controls: { 'forwarding.inbox-rules': { enabled: true }, 'forwarding.concealment-rules': { enabled: true } },
    domains: { include: [], exclude: [], parked: [] },
    exceptions: [],
  });
  const { policy } = parsePolicy(policyText, 'bench-policy.json', now);
  const { stats: before, cpuS: simCpuBefore } = await stats();
  const loadBefore = loadavg();
  const started = performance.now();
  const memTimer = process.env.BENCH_MEM
    ? setInterval(() => {
        const m = process.memoryUsage();
        console.log(
          `mem t=${((performance.now() - started) / 1000).toFixed(0)} rss=${(m.rss / 2 ** 20).toFixed(0)} heapTotal=${(m.heapTotal / 2 ** 20).toFixed(0)} used=${(m.heapUsed / 2 ** 20).toFixed(0)} ext=${(m.external / 2 ** 20).toFixed(0)} ab=${(m.arrayBuffers / 2 ** 20).toFixed(0)}`,
        );
      }, 2000)
    : undefined;
  const cpuBefore = process.cpuUsage();
  const collected = await messageRulesCollector()({
    logger: silentLogger,
    policy,
    clients: created.clients,
    sources: new Set(['graph.messageRules']),
    earlier: () => undefined,
    extraDomains: [],
    cloud: 'global',
    now,
  });
  if (!('data' in collected)) throw new Error(`collection failed: ${JSON.stringify(collected.status)}`);
  const manifest: Manifest = {
    formatVersion: 1,
    tenantId: sim.tenantId,
    capturedAt: now.toISOString(),
    tool: { name: 'mailwarden', version: 'bench' },
    licences: { 'entra-id-p1': true, 'entra-id-p2': true },
    sources: {
      'graph.messageRules': { status: 'ok' },
      'graph.domains': { status: 'ok' },
      'exo.inboxRule': { status: 'not_permitted', permission: 'n/a', reason: 'not collected in this benchmark' },
    },
  };
  const snapshot = memorySnapshot(manifest, {
    'graph.messageRules': collected.data,
    'graph.domains': [{ id: DOMAIN, isVerified: true, supportedServices: ['Email'] }],
  });
  const evaluation = await evaluate(snapshot, policy, { now, domains: [DOMAIN] });
  const wallMs = performance.now() - started;
  if (memTimer) clearInterval(memTimer);
  const cpu = process.cpuUsage(cpuBefore);
  const { stats: after, rssMb: simRssMb, cpuS: simCpuAfter } = await stats();
  const outlook = after.requests.outlook - before.requests.outlook;
  const throttled = after.throttled.outlook - before.throttled.outlook;
  const directory = after.requests.directory - before.requests.directory;
  const batches = after.batches - before.batches;
  const fails = evaluation.results.filter((r) => r.status === 'fail');
  const sweep = evaluation.results.find((r) => r.control === 'forwarding.inbox-rules')?.evidence.sweep;
  // The limits: per mailbox 4 concurrent and 10,000 per 10 min (each mailbox needs 1 request,
  // so they never bind), and 2,000 requests/s per app overall, counting every batch item and
  // the /users pages. The simulator counts the global limit in fixed 1 s windows, so R requests
  // need ceil(R / 2,000) windows: the last starts (ceil(R / 2,000) - 1) s after the first. Add
  // the round trips on the critical path at the median latency: the first /users page (no rule
  // request can start before it) and the last rule request.
  const { limit: globalLimit, windowMs: globalWindowMs } = DOCUMENTED_THROTTLING.global;
  const countedRequests = outlook - throttled + directory;
  const lowerBoundMs = (Math.ceil(countedRequests / globalLimit) - 1) * globalWindowMs + 2 * LATENCY.medianMs;
  const loadAfter = loadavg();
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const fmt = (l: number[]) => l.map((v) => v.toFixed(2)).join(' ');
  console.log(
    `mailboxes:              ${MAILBOXES} (${withMailbox} with a mailbox; ${MAILBOXES - withMailbox} without, skipped and counted)`,
  );
  console.log(
    `client defaults:        ${BATCHES_IN_FLIGHT} batches in flight (20 requests each), global pace ${DEFAULT_GLOBAL_PACE.perSecond}/s (burst ${DEFAULT_GLOBAL_PACE.burst})`,
  );
  console.log(`wall time:              ${(wallMs / 1000).toFixed(1)} s (collect + judge both rule controls)`);
  console.log(
    `requests:               ${outlook} Outlook (in ${batches} $batch envelopes) + ${directory} directory (/users pages)`,
  );
  console.log(`429s received:          ${throttled} Outlook items`);
  console.log(`peak mailbox concurrency: ${after.peakMailboxConcurrency}`);
  console.log(
    `lower bound (limits):   ${(lowerBoundMs / 1000).toFixed(2)} s = (ceil(${countedRequests} / ${globalLimit}) - 1) x ${globalWindowMs / 1000} s + 2 x ${LATENCY.medianMs} ms (first /users page, last rule request)`,
  );
  console.log(`ratio:                  ${(wallMs / lowerBoundMs).toFixed(2)} (target <= 1.5)`);
  console.log(
    `peak RSS:               ${rssMb.toFixed(0)} MB (client: collect + judge); simulator process ${simRssMb.toFixed(0)} MB`,
  );
  const heap = process.memoryUsage();
  console.log(
    `heap at the end:        ${(heap.heapUsed / 2 ** 20).toFixed(0)} MB used of ${(heap.heapTotal / 2 ** 20).toFixed(0)} MB; RSS now ${(heap.rss / 2 ** 20).toFixed(0)} MB`,
  );
  console.log(
    `CPU:                    client ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, simulator ${(simCpuAfter - simCpuBefore).toFixed(1)} s, over the wall time`,
  );
  console.log(
    `load average:           ${fmt(loadBefore)} before, ${fmt(loadAfter)} after (1, 5, 15 min; ${availableParallelism()} cores)`,
  );
  console.log(`findings:               ${fails.length} fail; sweep ${JSON.stringify(sweep)}`);
  await created.close();
  child.stdin.write('close\n');
  await once(child, 'exit');
} finally {
  await rm(dir, { recursive: true, force: true });
}
