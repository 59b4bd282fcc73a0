/**
 * Benchmark: the FullAccess sweep of mailbox.delegation. Get-MailboxPermission takes one
 * InvokeCommand per mailbox, MAILBOX_SWEEP_CONCURRENCY (the hidden inbox-rule sweep's pace) at a
 * time, through the simulator in a child process with log-normal latency on the Exchange admin
 * API. Prints wall time, requests, the pacing bound, the ratio and peak RSS.
 * Usage: npm run bench:permissions -- [mailboxes]   (BENCH_MEDIAN_MS sets the median latency)
 *
 * The pacing bound: C workers each run one call at a time, so the sweep cannot end before the
 * latency the simulator added to its calls, summed, divided by C (the simulator reports the sum
 * per family). Get-Mailbox is read first and timed apart: its pages come one after another.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { exchangeCollectors } from '../src/collect/exchange/collectors.js';
import { MAILBOX_SWEEP_CONCURRENCY } from '../src/collect/exchange/mailbox-sweep.js';
import { createLiveClients } from '../src/collect/live/create-clients.js';
import type { CollectContext } from '../src/collect/live/source-collector.js';
import { evaluate } from '../src/evaluate/evaluate.js';
import { silentLogger } from '../src/logger.js';
import { parsePolicy } from '../src/policy/parse-policy.js';
import { startSimulator } from '../src/simulator/start-simulator.js';
import type { SimulatorStats } from '../src/simulator/stats.js';
import type { ExchangeObject } from '../src/snapshot/exchange-types.js';
import type { Manifest } from '../src/snapshot/manifest.js';
import { memorySnapshot } from '../src/snapshot/snapshot.js';

const ARGS = process.argv.slice(2).filter((a) => !a.endsWith('.ts'));
const MAILBOXES = Number(ARGS[0] ?? 50_000);
const DOMAIN = 'bench.example';
const MEDIAN_MS = Number(process.env.BENCH_MEDIAN_MS ?? 80);
const LATENCY = { kind: 'lognormal', medianMs: MEDIAN_MS, sigma: 0.5 } as const;
const TENANT = '11111111-2222-4333-8444-555555555555';
const HEADER = {
  '@odata.context': 'bench',
  'adminapi.warnings@odata.type': '#Collection(String)',
  '@adminapi.warnings': [],
};

function upn(i: number): string {
  return `user${i}@${DOMAIN}`;
}

/** Streams a `{"value": [...]}` file without holding it. */
async function writeCollection(file: string, count: number, item: (i: number) => unknown[]): Promise<number> {
  const out = createWriteStream(file);
  out.write(`${JSON.stringify(HEADER).slice(0, -1)},"value":[`);
  let written = 0;
  for (let i = 0; i < count; i++) {
    for (const row of item(i)) {
      if (!out.write(`${written === 0 ? '' : ','}${JSON.stringify(row)}`)) await once(out, 'drain');
      written++;
    }
  }
  out.end(']}');
  await once(out, 'close');
  return written;
}

/** N user mailboxes, each with its SELF entry; 1% grant FullAccess to a colleague, 0.1% to a deleted account's SID. */
async function generate(dir: string): Promise<void> {
  await mkdir(path.join(dir, 'exchange'), { recursive: true });
  await mkdir(path.join(dir, 'graph'), { recursive: true });
  const mailboxes = await writeCollection(path.join(dir, 'exchange/Get-Mailbox.json'), MAILBOXES, (i) => [
    {
      Identity: `User ${i}`,
      Name: `user${i}`,
      Alias: `user${i}`,
      UserPrincipalName: upn(i),
      PrimarySmtpAddress: upn(i),
      RecipientTypeDetails: 'UserMailbox',
      ExternalDirectoryObjectId: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
      ForwardingAddress: null,
      ForwardingSmtpAddress: null,
    },
  ]);
  const row = (i: number, user: string, rights: string[]) => ({
    Identity: `User ${i}`,
    User: user,
    AccessRights: rights,
    IsInherited: false,
    Deny: false,
    MailboxUserPrincipalName: upn(i),
  });
  const permissions = await writeCollection(path.join(dir, 'exchange/Get-MailboxPermission.json'), MAILBOXES, (i) => [
    row(i, 'NT AUTHORITY\\SELF', ['FullAccess', 'ReadPermission']),
    ...(i % 100 === 7 ? [row(i, upn((i + 1) % MAILBOXES), ['FullAccess'])] : []),
    ...(i % 1000 === 11 ? [row(i, `S-1-5-21-1-2-3-${i}`, ['FullAccess'])] : []),
  ]);
  await writeFile(path.join(dir, 'exchange/Get-RecipientPermission.json'), JSON.stringify({ ...HEADER, value: [] }));
  await writeFile(
    path.join(dir, 'graph/domains.json'),
    JSON.stringify({ value: [{ id: DOMAIN, isVerified: true, isDefault: true, supportedServices: ['Email'] }] }),
  );
  const manifest: Manifest = {
    formatVersion: 1,
    tenantId: TENANT,
    capturedAt: new Date().toISOString(),
    tool: { name: 'mailwarden', version: 'bench' },
    licences: { 'entra-id-p1': true, 'entra-id-p2': true },
    sources: {
      'graph.domains': { status: 'ok', count: 1 },
      'exo.mailbox': { status: 'ok', count: mailboxes },
      'exo.mailboxPermission': { status: 'ok', count: permissions },
      'exo.recipientPermission': { status: 'ok', count: 0 },
    },
  };
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
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

/** Child mode: serve the folder with Exchange latency; answer `stats` on stdin; exit on `close`. */
async function serve(dir: string): Promise<void> {
  const sim = await startSimulator({ dir, realism: { seed: 7, latencyByFamily: { exchange: LATENCY } } });
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

const dir = await mkdtemp(path.join(tmpdir(), 'mailwarden-bench-permissions-'));
try {
  const generatedAt = Date.now();
  await generate(dir);
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
  console.log(`generated ${MAILBOXES} mailboxes in ${Date.now() - generatedAt} ms`);
  const created = createLiveClients(
    {
      kind: 'tenant',
      tenantId: hello.tenantId,
      clientId: hello.clientId,
      credentials: { kind: 'client-secret', secret: hello.clientSecret },
      cloud: 'global',
      endpoints: {
        graph: new URL(hello.graphUrl).origin,
        authority: hello.authorityUrl,
        tokenExchangeAudience: 'api://AzureADTokenExchange',
        exchange: new URL(hello.exchangeUrl).origin,
      },
    },
    { logger: silentLogger, ca: hello.ca },
  );
  const now = new Date();
  const policyText = JSON.stringify({
    id: 'bench',
    title: 'bench',
    version: '1',
    description: 'mailbox permission benchmark',
    controls: { 'mailbox.delegation': { enabled: true } },
    domains: { include: [], exclude: [], parked: [] },
    exceptions: [],
  });
  const { policy } = parsePolicy(policyText, 'bench-policy.json', now);
  const data: Record<string, unknown> = {};
  const context: CollectContext = {
    logger: silentLogger,
    policy,
    clients: created.clients,
    sources: new Set(['exo.mailbox', 'exo.mailboxPermission', 'exo.recipientPermission']),
    earlier: ((id: string) => data[id]) as CollectContext['earlier'],
    extraDomains: [],
    cloud: 'global',
    now,
  };
  const collect = async (id: 'exo.mailbox' | 'exo.mailboxPermission' | 'exo.recipientPermission') => {
    const collected = await exchangeCollectors[id]?.(context);
    if (!collected || !('data' in collected)) throw new Error(`${id} failed: ${JSON.stringify(collected?.status)}`);
    data[id] = collected.data;
    return collected.data as readonly ExchangeObject[];
  };
  const loadBefore = loadavg();
  const { stats: s0, cpuS: simCpu0 } = await stats();
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  await collect('exo.mailbox');
  const listedMs = performance.now() - started;
  const { stats: s1 } = await stats();
  const sweepStarted = performance.now();
  const rows = await collect('exo.mailboxPermission');
  const sweepMs = performance.now() - sweepStarted;
  const { stats: s2 } = await stats();
  await collect('exo.recipientPermission');
  const manifest: Manifest = {
    formatVersion: 1,
    tenantId: hello.tenantId,
    capturedAt: now.toISOString(),
    tool: { name: 'mailwarden', version: 'bench' },
    licences: { 'entra-id-p1': true, 'entra-id-p2': true },
    sources: {
      'exo.mailbox': { status: 'ok' },
      'exo.mailboxPermission': { status: 'ok' },
      'exo.recipientPermission': { status: 'ok' },
    },
  };
  const evaluation = await evaluate(memorySnapshot(manifest, data), policy, { now, domains: [DOMAIN] });
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  const { stats: s3, rssMb: simRssMb, cpuS: simCpu3 } = await stats();
  const sweepCalls = s2.requests.exchange - s1.requests.exchange;
  const sweepLatencyMs = s2.latencyMs.exchange - s1.latencyMs.exchange;
  const boundMs = sweepLatencyMs / MAILBOX_SWEEP_CONCURRENCY;
  const fails = evaluation.results.filter((r) => r.status === 'fail').length;
  const fmt = (l: number[]) => l.map((v) => v.toFixed(2)).join(' ');
  console.log(
    `mailboxes:              ${MAILBOXES} user mailboxes; Exchange latency log-normal, median ${MEDIAN_MS} ms, sigma 0.5`,
  );
  console.log(
    `Get-Mailbox:            ${(listedMs / 1000).toFixed(1)} s, ${s1.requests.exchange - s0.requests.exchange} page(s)`,
  );
  console.log(
    `FullAccess sweep:       ${(sweepMs / 1000).toFixed(1)} s for ${sweepCalls} Get-MailboxPermission calls, ${MAILBOX_SWEEP_CONCURRENCY} at a time; ${rows.length} explicit rows kept`,
  );
  console.log(
    `pacing bound:           ${(boundMs / 1000).toFixed(1)} s = ${(sweepLatencyMs / 1000).toFixed(1)} s of added latency / ${MAILBOX_SWEEP_CONCURRENCY} workers`,
  );
  console.log(`ratio (sweep / bound):  ${(sweepMs / boundMs).toFixed(3)} (target <= 1.5)`);
  console.log(
    `wall time:              ${(wallMs / 1000).toFixed(1)} s (Get-Mailbox, sweep, SendAs, judge mailbox.delegation)`,
  );
  console.log(`findings:               ${fails} fail`);
  console.log(
    `peak RSS:               ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (client); simulator process ${simRssMb.toFixed(0)} MB`,
  );
  console.log(
    `CPU:                    client ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, simulator ${(simCpu3 - simCpu0).toFixed(1)} s; ${s3.requests.exchange - s0.requests.exchange} Exchange requests in all`,
  );
  console.log(
    `load average:           ${fmt(loadBefore)} before, ${fmt(loadavg())} after (${availableParallelism()} cores)`,
  );
  await created.close();
  child.stdin.write('close\n');
  await once(child, 'exit');
} finally {
  await rm(dir, { recursive: true, force: true });
}
