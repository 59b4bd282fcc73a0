/**
 * DNS benchmark: 1,000 generated domains (nested SPF includes, DMARC, two DKIM selectors)
 * served by Knot behind Unbound on loopback. Reports our full audit (wall time, queries sent,
 * cache hit rate) and, side by side, SPF verdicts and throughput against mailauth's spf() with
 * its `resolver` option. Prints figures; asserts nothing about timings.
 */
import { readFile, copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Resolver } from 'node:dns/promises';
import { tmpdir } from 'node:os';
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
const PROBE_IP = '40.92.0.1';

interface MailauthSpfResult {
  status: { result: string };
}
type MailauthSpf = (options: { sender: string; ip: string; helo: string; mta: string; resolver: (name: string, type: string) => Promise<unknown> }) => Promise<MailauthSpfResult>;

function domainName(i: number): string {
  return `d${String(i).padStart(4, '0')}.bench.test`;
}

function split(text: string): string {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += 250) parts.push(`"${text.slice(i, i + 250)}"`);
  return parts.join(' ');
}

function benchZone(key: string): string {
  const lines = ['$ORIGIN bench.test.', '$TTL 3600', '@ IN SOA ns1.bench.test. hostmaster.bench.test. 1 3600 600 86400 300', '@ IN NS ns1.bench.test.', 'ns1 IN A 127.0.0.1'];
  for (let k = 0; k < 10; k++) lines.push(`shared${k} IN TXT "v=spf1 ip4:203.0.113.${k}/32 include:shared-deep.bench.test -all"`);
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
    lines.push(`_a.${d} IN TXT "v=spf1 ip4:198.51.${Math.floor(i / 256)}.${i % 256}/32 include:_b.${d}.bench.test -all"`);
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

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
  const availability = dnsLabAvailability();
  if (!availability.available) {
    console.log(`bench:dns skipped: ${availability.reason} (apt-get install knot unbound)`);
    return;
  }
  const require = createRequire(import.meta.url);
  const { spf: mailauthSpf } = require('mailauth/lib/spf') as { spf: MailauthSpf };
  const mailauthVersion = (require('mailauth/package.json') as { version: string }).version;
  const keys = JSON.parse(await readFile('../shared/conformance/dkim/key-records.json', 'utf8').catch(() => '{"cases":[]}')) as { cases: { id: string; record: string }[] };
  const key = keys.cases.find((c) => c.id === 'rsa-2048')?.record.split('p=')[1] ?? 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA0tK';

  const dir = await mkdtemp(path.join(tmpdir(), 'mailwarden-bench-dns-'));
  await writeFile(path.join(dir, 'bench.test.zone'), benchZone(key));
  await copyFile('test/fixtures/dns/outlook.com.zone', path.join(dir, 'outlook.com.zone'));
  const lab = await startDnsLab(dir, ['bench.test', 'outlook.com']);
  try {
    const domains = Array.from({ length: COUNT }, (_, i) => domainName(i));
    const server = { kind: 'dns' as const, host: '127.0.0.1', port: lab.port };

    // Warm Unbound's cache once so both implementations see the same resolver state.
    const warm = new DnsClient({ servers: [server], concurrency: 64 });
    await pool(domains, CONCURRENCY, async (d) => {
      await checkHost(warm, { ip: PROBE_IP, domain: d, sender: `postmaster@${d}`, helo: d });
    });

    // 1. SPF side by side: ours (DnsClient with its cache) and mailauth (node's resolver, its own way).
    const ours = new Map<string, string>();
    const spfClient = new DnsClient({ servers: [server], concurrency: 64 });
    const oursStart = process.hrtime.bigint();
    await pool(domains, CONCURRENCY, async (d) => {
      ours.set(d, (await checkHost(spfClient, { ip: PROBE_IP, domain: d, sender: `postmaster@${d}`, helo: d })).result);
    });
    const oursMs = ms(oursStart);

    const nodeResolver = new Resolver({ timeout: 2000, tries: 2 });
    nodeResolver.setServers([`127.0.0.1:${lab.port}`]);
    const theirs = new Map<string, string>();
    const theirsStart = process.hrtime.bigint();
    await pool(domains, CONCURRENCY, async (d) => {
      const result = await mailauthSpf({ sender: `postmaster@${d}`, ip: PROBE_IP, helo: d, mta: 'bench.mailwarden.test', resolver: (n, t) => nodeResolver.resolve(n, t) });
      theirs.set(d, result.status.result);
    });
    const theirsMs = ms(theirsStart);

    // 2. Our full audit of every domain, baseline policy, through the live collector.
    const { policy } = parsePolicy(await readFile('policies/baseline.json', 'utf8'), 'policies/baseline.json', new Date());
    const auditClient = new DnsClient({ servers: [server], concurrency: 64, timeoutMs: 2000, retries: 2 });
    const auditStart = process.hrtime.bigint();
    const collector = liveCollector({ mode: 'dns-only', tenantId: null, clients: { dns: auditClient }, extraDomains: domains, now: () => new Date() });
    const snapshot = await collector.collect({ sources: new Set(['dns']), policy, logger: silentLogger });
    const evaluation = await evaluate(snapshot, policy, { now: new Date(), only: ['email-auth'], domains: snapshot.manifest.domains ?? [] });
    const auditMs = ms(auditStart);
    const s = auditClient.stats;
    const byStatus = evaluation.results.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});

    const disagreements = domains.filter((d) => ours.get(d) !== theirs.get(d));
    const verdicts = [...ours.values()].reduce<Record<string, number>>((acc, r) => ({ ...acc, [r]: (acc[r] ?? 0) + 1 }), {});
    const oursRate = (COUNT / oursMs) * 1000;
    const theirsRate = (COUNT / theirsMs) * 1000;

    console.log(`bench:dns — ${COUNT} domains (3-level nested SPF includes + shared includes, DMARC, 2 DKIM selectors), Knot behind Unbound on 127.0.0.1`);
    console.log('');
    console.log('Full audit (baseline email-auth controls, live collector + evaluate):');
    console.log(`  wall time          ${auditMs.toFixed(0)} ms  (${((COUNT / auditMs) * 1000).toFixed(0)} domains/s)`);
    console.log(`  lookups            ${s.lookups}`);
    console.log(`  queries sent       ${s.queriesSent}  (TCP fallbacks ${s.tcpFallbacks}, timeouts ${s.timeouts})`);
    console.log(`  cache hit rate     ${((s.cacheHits / Math.max(1, s.lookups)) * 100).toFixed(1)} % (${s.cacheHits} of ${s.lookups} lookups)`);
    console.log(`  results            ${Object.entries(byStatus).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log('');
    console.log(`SPF check_host() for ${PROBE_IP} (a Microsoft 365 address) on every domain, concurrency ${CONCURRENCY}:`);
    console.log(`  mailwarden         ${oursMs.toFixed(0)} ms  ${oursRate.toFixed(0)} domains/s  (queries sent ${spfClient.stats.queriesSent}, cache hits ${spfClient.stats.cacheHits})`);
    console.log(`  mailauth ${mailauthVersion.padEnd(9)} ${theirsMs.toFixed(0)} ms  ${theirsRate.toFixed(0)} domains/s  (node:dns Resolver, no cache)`);
    console.log(`  ratio              ${(oursRate / theirsRate).toFixed(2)}x mailauth's throughput (target >= 3x)`);
    console.log(`  verdicts           ${Object.entries(verdicts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log(`  disagreements      ${disagreements.length}`);
    for (const d of disagreements.slice(0, 20)) console.log(`    ${d}: mailwarden ${ours.get(d) ?? '?'}, mailauth ${theirs.get(d) ?? '?'}`);
  } finally {
    await lab.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
