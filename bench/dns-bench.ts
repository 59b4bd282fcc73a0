/**
 * DNS benchmark: 1,000 generated domains (nested SPF includes, DMARC, two DKIM selectors)
 * served by Knot behind Unbound on loopback. Reports our full audit (wall time, queries sent,
 * cache hit rate) and, side by side, SPF verdicts and throughput against mailauth's spf() with
 * its `resolver` option. Prints figures; asserts nothing about timings.
 */
import { readFile, copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Resolver } from 'node:dns/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { DnsClient } from '../src/collect/dns/dns-client.js';
import { liveCollector } from '../src/collect/live/live-collector.js';
import { evaluate } from '../src/evaluate/evaluate.js';
import { silentLogger } from '../src/logger.js';
import { checkHost } from '../src/mailauth/spf-check.js';
import { parsePolicy } from '../src/policy/parse-policy.js';
import { dnsLabAvailability, startDnsLab } from '../test/helpers/dns-lab.js';

const COUNT = Number(process.env.BENCH_DOMAINS ?? 1000);
const CONCURRENCY = 32;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PROBE_IP = '40.92.0.1';

interface MailauthSpfResult {
  status: { result: string };
}
type MailauthSpf = (options: {
  sender: string;
  ip: string;
  helo: string;
  mta: string;
  resolver: (name: string, type: string) => Promise<unknown>;
}) => Promise<MailauthSpfResult>;

function domainName(i: number): string {
  return `d${String(i).padStart(4, '0')}.bench.test`;
}

function split(text: string): string {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += 250) parts.push(`"${text.slice(i, i + 250)}"`);
  return parts.join(' ');
}

function benchZone(key: string): string {
  const lines = [
    '$ORIGIN bench.test.',
    '$TTL 3600',
    '@ IN SOA ns1.bench.test. hostmaster.bench.test. 1 3600 600 86400 300',
    '@ IN NS ns1.bench.test.',
    'ns1 IN A 127.0.0.1',
  ];
  for (let k = 0; k < 10; k++)
    lines.push(`shared${k} IN TXT "v=spf1 ip4:203.0.113.${k}/32 include:shared-deep.bench.test -all"`);
  lines.push('shared-deep IN TXT "v=spf1 ip4:203.0.113.200/29 -all"');
  for (let i = 0; i < COUNT; i++) {
    const d = domainName(i).replace('.bench.test', '');
    const weak = i % 7 === 0;
    const broken = i % 13 === 0;
    const top = broken
      ? `v=spf1 include:_a.${d}.bench.test ip4:300.1.1.1 -all`
      : weak
        ? `v=spf1 include:_a.${d}.bench.test include:shared${i % 10}.bench.test ?all`
        : `v=spf1 include:_a.${d}.bench.test include:shared${i % 10}.bench.test include:spf.protection.outlook.com ${i % 2 === 0 ? '-all' : '~all'}`;
    lines.push(`${d} IN TXT "${top}"`);
    lines.push(`${d} IN MX 10 mail.${d}.bench.test.`);
    lines.push(
      `_a.${d} IN TXT "v=spf1 ip4:198.51.${Math.floor(i / 256)}.${i % 256}/32 include:_b.${d}.bench.test -all"`,
    );
    lines.push(`_b.${d} IN TXT "v=spf1 a:mail.${d}.bench.test mx:${d}.bench.test -all"`);
    lines.push(`mail.${d} IN A 198.18.${Math.floor(i / 256)}.${i % 256}`);
    lines.push(`_dmarc.${d} IN TXT "v=DMARC1; p=${i % 5 === 0 ? 'none' : 'reject'}; rua=mailto:dmarc@${d}.bench.test"`);
    lines.push(`selector1._domainkey.${d} IN TXT ${split(`v=DKIM1; k=rsa; p=${key}`)}`);
    lines.push(`selector2._domainkey.${d} IN TXT ${split(`v=DKIM1; k=rsa; p=${key}`)}`);
  }
  return `${lines.join('\n')}\n`;
}

async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await task(item);
      }
    }),
  );
}

interface SpfRun {
  readonly ms: number;
  /** CPU time of this process (user + system) during the run: steadier than wall on shared cores. */
  readonly cpuMs: number;
  readonly verdicts: Map<string, string>;
  /** Queries sent to Unbound (mailauth: resolver calls that reached node:dns). */
  readonly queries: number;
  readonly lookups: number;
  readonly hits: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
  const availability = dnsLabAvailability();
  if (!availability.available) {
    console.log(`bench:dns skipped: ${availability.reason} (apt-get install knot unbound)`);
    return;
  }
  const loadAtStart = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const require = createRequire(import.meta.url);
  const { spf: mailauthSpf } = require('mailauth/lib/spf') as { spf: MailauthSpf };
  const mailauthVersion = (require('mailauth/package.json') as { version: string }).version;
  const keys = JSON.parse(
    await readFile('../shared/conformance/dkim/key-records.json', 'utf8').catch(() => '{"cases":[]}'),
  ) as { cases: { id: string; record: string }[] };
  const key =
    keys.cases.find((c) => c.id === 'rsa-2048')?.record.split('p=')[1] ??
    'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA0tK';

  const dir = await mkdtemp(path.join(tmpdir(), 'mailwarden-bench-dns-'));
  await writeFile(path.join(dir, 'bench.test.zone'), benchZone(key));
  await copyFile('test/fixtures/dns/outlook.com.zone', path.join(dir, 'outlook.com.zone'));
  const lab = await startDnsLab(dir, ['bench.test', 'outlook.com']);
  try {
    const domains = Array.from({ length: COUNT }, (_, i) => domainName(i));
    const server = { kind: 'dns' as const, host: '127.0.0.1', port: lab.port };

    const nodeResolver = new Resolver({ timeout: 2000, tries: 2 });
    nodeResolver.setServers([`127.0.0.1:${lab.port}`]);
    const spfInput = (d: string) => ({ ip: PROBE_IP, domain: d, sender: `postmaster@${d}`, helo: d });

    /** mailauth through node:dns, as its README shows; `memo` adds an in-run cache like ours. */
    async function runMailauth(memo: boolean): Promise<SpfRun> {
      const verdicts = new Map<string, string>();
      let queries = 0;
      let hits = 0;
      const cache = new Map<string, Promise<unknown>>();
      const resolver = (name: string, type: string): Promise<unknown> => {
        const key = `${name.toLowerCase()}/${type}`;
        const cached = memo ? cache.get(key) : undefined;
        if (cached) {
          hits++;
          return cached;
        }
        queries++;
        const answer = nodeResolver.resolve(name, type);
        if (memo) cache.set(key, answer);
        return answer;
      };
      const cpu = process.cpuUsage();
      const start = process.hrtime.bigint();
      await pool(domains, CONCURRENCY, async (d) => {
        const result = await mailauthSpf({
          sender: `postmaster@${d}`,
          ip: PROBE_IP,
          helo: d,
          mta: 'bench.mailwarden.test',
          resolver,
        });
        verdicts.set(d, result.status.result);
      });
      return { ms: ms(start), cpuMs: cpuMs(cpu), verdicts, queries, lookups: queries + hits, hits };
    }

    async function runOurs(): Promise<SpfRun> {
      const verdicts = new Map<string, string>();
      const client = new DnsClient({ servers: [server], concurrency: 64 });
      const cpu = process.cpuUsage();
      const start = process.hrtime.bigint();
      await pool(domains, CONCURRENCY, async (d) => {
        verdicts.set(d, (await checkHost(client, spfInput(d))).result);
      });
      client.close();
      return {
        ms: ms(start),
        cpuMs: cpuMs(cpu),
        verdicts,
        queries: client.stats.queriesSent,
        lookups: client.stats.lookups,
        hits: client.stats.cacheHits,
      };
    }

    // Unbound's cache is warmed by one pass of each implementation, so every timed round of
    // either one finds every name in Unbound's cache (warm backend, the same for both).
    await runOurs();
    await runMailauth(false);

    // 1. SPF side by side, interleaved rounds (the machine's cores are shared: medians).
    // Each round starts with an empty in-process cache on both sides.
    const oursRuns: SpfRun[] = [];
    const plainRuns: SpfRun[] = [];
    const memoRuns: SpfRun[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      oursRuns.push(await runOurs());
      plainRuns.push(await runMailauth(false));
      memoRuns.push(await runMailauth(true));
    }
    const ours = (oursRuns[0] as SpfRun).verdicts;
    const theirs = (plainRuns[0] as SpfRun).verdicts;

    // 2. Our full audit of every domain, baseline policy, through the live collector.
    const { policy } = parsePolicy(
      await readFile('policies/baseline.json', 'utf8'),
      'policies/baseline.json',
      new Date(),
    );
    const auditClient = new DnsClient({ servers: [server], concurrency: 64, timeoutMs: 2000, retries: 2 });
    const auditStart = process.hrtime.bigint();
    const collector = liveCollector({
      mode: 'dns-only',
      tenantId: null,
      clients: { dns: auditClient },
      extraDomains: domains,
      now: () => new Date(),
    });
    const snapshot = await collector.collect({ sources: new Set(['dns']), policy, logger: silentLogger });
    const collectMs = ms(auditStart);
    const evaluation = await evaluate(snapshot, policy, {
      now: new Date(),
      only: ['email-auth'],
      domains: snapshot.manifest.domains ?? [],
    });
    const auditMs = ms(auditStart);
    const s = auditClient.stats;
    const byStatus = evaluation.results.reduce<Record<string, number>>((acc, r) => {
      acc[r.status] = (acc[r.status] ?? 0) + 1;
      return acc;
    }, {});

    // 3. CPU per query: distinct TXT questions (all in Unbound's cache after the audit), our
    // client against node:dns (c-ares) in the same process, 32 at a time, interleaved rounds.
    const txtNames = domains
      .flatMap((d) => [d, `_a.${d}`, `_b.${d}`, `_dmarc.${d}`, `selector1._domainkey.${d}`])
      .slice(0, 5000);
    const perQuery = async (ask: (name: string) => Promise<unknown>): Promise<number> => {
      const cpu = process.cpuUsage();
      await pool(txtNames, CONCURRENCY, async (name) => {
        await ask(name);
      });
      return (cpuMs(cpu) * 1000) / txtNames.length;
    };
    const oursPerQuery: number[] = [];
    const nodePerQuery: number[] = [];
    for (let round = 0; round <= ROUNDS; round++) {
      const client = new DnsClient({ servers: [server], concurrency: 64 });
      const ourCost = await perQuery((name) => client.resolve(name, 'TXT'));
      client.close();
      const nodeCost = await perQuery((name) => nodeResolver.resolveTxt(name));
      // Round 0 is a warm-up for both.
      if (round > 0) {
        oursPerQuery.push(ourCost);
        nodePerQuery.push(nodeCost);
      }
    }

    const disagreements = domains.filter((d) =>
      [...oursRuns, ...plainRuns, ...memoRuns].some((run) => run.verdicts.get(d) !== ours.get(d)),
    );
    const verdicts = [...ours.values()].reduce<Record<string, number>>((acc, r) => {
      acc[r] = (acc[r] ?? 0) + 1;
      return acc;
    }, {});
    const oursMs = median(oursRuns.map((r) => r.ms));
    const plainMs = median(plainRuns.map((r) => r.ms));
    const memoMs = median(memoRuns.map((r) => r.ms));
    const rate = (m: number) => (COUNT / m) * 1000;
    const line = (label: string, runs: SpfRun[], m: number, note: string) => {
      const r = runs[0] as SpfRun;
      const hitRate = ((r.hits / Math.max(1, r.lookups)) * 100).toFixed(1);
      const cpu = median(runs.map((x) => x.cpuMs));
      console.log(
        `  ${label.padEnd(30)} ${m.toFixed(0).padStart(6)} ms  ${rate(m).toFixed(0).padStart(5)} domains/s  CPU ${cpu.toFixed(0)} ms  queries sent ${r.queries}, cache hits ${hitRate} %`,
      );
      console.log(
        `  ${''.padEnd(30)} rounds: ${runs.map((x) => `${x.ms.toFixed(0)} ms (CPU ${x.cpuMs.toFixed(0)})`).join(', ')}${note ? `; ${note}` : ''}`,
      );
    };

    console.log(
      `bench:dns — ${COUNT} domains (3-level nested SPF includes + shared includes, DMARC, 2 DKIM selectors), Knot behind Unbound on 127.0.0.1`,
    );
    console.log(
      `load average at the start: ${loadAtStart}; at the end: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} (${cpus().length} CPUs)`,
    );
    console.log('');
    console.log('Full audit (baseline email-auth controls, live collector + evaluate):');
    console.log(
      `  wall time          ${auditMs.toFixed(0)} ms  (${((COUNT / auditMs) * 1000).toFixed(0)} domains/s): DNS collection ${collectMs.toFixed(0)} ms, evaluation ${(auditMs - collectMs).toFixed(0)} ms`,
    );
    console.log(`  lookups            ${s.lookups}`);
    console.log(`  queries sent       ${s.queriesSent}  (TCP fallbacks ${s.tcpFallbacks}, timeouts ${s.timeouts})`);
    console.log(
      `  cache hit rate     ${((s.cacheHits / Math.max(1, s.lookups)) * 100).toFixed(1)} % (${s.cacheHits} of ${s.lookups} lookups)`,
    );
    console.log(
      `  results            ${Object.entries(byStatus)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    console.log('');
    console.log(
      `SPF check_host() for ${PROBE_IP} (a Microsoft 365 address) on every domain, ${CONCURRENCY} domains at a time, median of ${ROUNDS} interleaved rounds.`,
    );
    console.log(
      'Backend: the same Unbound for both, its cache warmed beforehand by one pass of each. Each round starts with an empty in-process cache.',
    );
    line('mailwarden (in-run cache)', oursRuns, oursMs, '');
    line(`mailauth ${mailauthVersion} (node:dns)`, plainRuns, plainMs, 'no client cache, as mailauth ships');
    line(
      `mailauth ${mailauthVersion} + in-run cache`,
      memoRuns,
      memoMs,
      'its resolver memoised per question, like ours',
    );
    const cpuOf = (runs: SpfRun[]) => median(runs.map((x) => x.cpuMs));
    console.log(
      `  ratio vs mailauth as shipped     ${(plainMs / oursMs).toFixed(2)}x throughput (target >= 3x); CPU per domain ${(cpuOf(plainRuns) / cpuOf(oursRuns)).toFixed(2)}x less`,
    );
    console.log(
      `  ratio vs mailauth + in-run cache ${(memoMs / oursMs).toFixed(2)}x throughput; CPU per domain ${(cpuOf(memoRuns) / cpuOf(oursRuns)).toFixed(2)}x less (equal client-cache conditions)`,
    );
    const perDomain = (runs: SpfRun[]) => ((cpuOf(runs) * 1000) / COUNT).toFixed(0);
    const perSent = (runs: SpfRun[]) => ((cpuOf(runs) * 1000) / Math.max(1, (runs[0] as SpfRun).queries)).toFixed(0);
    console.log(
      `  CPU per domain     mailwarden ${perDomain(oursRuns)} µs, mailauth ${perDomain(plainRuns)} µs, mailauth + cache ${perDomain(memoRuns)} µs (per query sent, SPF work included: ${perSent(oursRuns)} / ${perSent(plainRuns)} / ${perSent(memoRuns)} µs)`,
    );
    console.log(
      `  verdicts           ${Object.entries(verdicts)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    console.log(`  disagreements      ${disagreements.length} (any round, any variant)`);
    for (const d of disagreements.slice(0, 20)) {
      console.log(
        `    ${d}: mailwarden ${ours.get(d) ?? '?'}, mailauth ${theirs.get(d) ?? '?'}, mailauth+cache ${memoRuns[0]?.verdicts.get(d) ?? '?'}`,
      );
    }
    console.log('');
    console.log(
      `CPU per query: ${txtNames.length} distinct TXT questions (in Unbound's cache), ${CONCURRENCY} at a time, median of ${ROUNDS} interleaved rounds after a warm-up.`,
    );
    console.log(
      `  mailwarden DnsClient ${median(oursPerQuery).toFixed(1)} µs  (rounds ${oursPerQuery.map((x) => x.toFixed(0)).join(', ')})`,
    );
    console.log(
      `  node:dns (c-ares)    ${median(nodePerQuery).toFixed(1)} µs  (rounds ${nodePerQuery.map((x) => x.toFixed(0)).join(', ')})`,
    );
  } finally {
    await lab.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
