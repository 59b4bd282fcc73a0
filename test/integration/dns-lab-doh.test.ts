import { spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DnsClient } from '../../src/collect/dns/dns-client.js';
import type { Report } from '../../src/report/report.js';
import type { DnsAnswer } from '../../src/snapshot/dns-types.js';
import { dnsLabDohAvailability, dnsLabRequired, startDnsLab, type DnsLab } from '../helpers/dns-lab.js';
import { tempDir } from '../helpers/temp.js';

const ZONES = path.resolve('test/fixtures/dns');
const availability = dnsLabDohAvailability();
const run = availability.available || dnsLabRequired();
const title = availability.available
  ? 'DNS-over-HTTPS (RFC 8484) against Unbound serving DoH over HTTP/2 in front of Knot'
  : `DNS-over-HTTPS against Unbound (skipped: ${availability.reason})`;

/**
 * Runs the real CLI in its own process, bundled as dist/cli.js is, with `env` added. The bundle
 * sits one folder below the repository (tmp/, git-ignored), as dist/cli.js does, so that it
 * finds policies/ the same way.
 */
const outfile = path.resolve('tmp', `cli-doh-test-${process.pid}.mjs`);
let bundled: Promise<unknown> | undefined;

async function runCliProcess(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  bundled ??= build({
    entryPoints: ['src/cli-main.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    mainFields: ['module', 'main'],
    banner: {
      js: "import { createRequire as __mailwardenCreateRequire } from 'node:module'; const require = __mailwardenCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  await bundled;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [outfile, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/**
 * An answer without what legitimately differs between two askings: the server, and the TTLs,
 * which Unbound counts down between the two (a second boundary made this test flaky).
 */
const withoutServer = (answer: DnsAnswer) => ({
  rcode: answer.rcode,
  records: answer.records.map((r) => ({ name: r.name, type: r.type, data: r.data })),
  ...(answer.detail ? { detail: answer.detail } : {}),
});

describe.skipIf(!run)(title, () => {
  let lab: DnsLab;
  beforeAll(async () => {
    lab = await startDnsLab(ZONES, ['test', 'outlook.com'], { doh: true });
  });
  afterAll(async () => {
    await lab?.stop();
    await rm(outfile, { force: true });
  });

  const doh = () =>
    new DnsClient({
      servers: [{ kind: 'doh', url: lab.dohUrl ?? '' }],
      dohCa: lab.dohCa ?? '',
      timeoutMs: 3000,
      retries: 0,
    });
  const udp = () =>
    new DnsClient({ servers: [{ kind: 'dns', host: '127.0.0.1', port: lab.port }], timeoutMs: 3000, retries: 0 });

  it('answers every record type over DoH exactly as over UDP', async () => {
    const overDoh = doh();
    const overUdp = udp();
    const questions: [string, string, unknown][] = [
      ['v4.test', 'A', '192.0.2.44'],
      ['v6.test', 'AAAA', '2001:db8::44'],
      ['good.test', 'MX', { preference: 0, exchange: 'good-test.mail.protection.outlook.com' }],
      ['good.test', 'TXT', ['v=spf1 include:spf.protection.outlook.com -all']],
      ['alias1.test', 'CNAME', 'alias2.test'],
      ['ptr.test', 'PTR', 'good.test'],
      ['test', 'NS', 'ns1.test'],
    ];
    for (const [name, type, data] of questions) {
      const answer = await overDoh.resolve(name, type);
      expect(answer.rcode, `${name}/${type}`).toBe('NOERROR');
      expect(answer.server).toBe(lab.dohUrl);
      expect(answer.records.at(-1)?.data, `${name}/${type}`).toEqual(data);
      expect(withoutServer(answer)).toEqual(withoutServer(await overUdp.resolve(name, type)));
    }
    // A CNAME chain across zones, followed to the end by the recursive resolver.
    const dkim = await overDoh.resolve('selector1._domainkey.good.test', 'TXT');
    expect(dkim.records.map((r) => r.type)).toEqual(['CNAME', 'TXT']);
    expect(overDoh.stats.queriesSent).toBe(questions.length + 1);
    overDoh.close();
    overUdp.close();
  });

  it('NXDOMAIN and NODATA are data over DoH', async () => {
    const dns = doh();
    expect(await dns.resolve('nothing-here.test', 'TXT')).toMatchObject({ rcode: 'NXDOMAIN', records: [] });
    expect(await dns.resolve('good.test', 'AAAA')).toMatchObject({ rcode: 'NOERROR', records: [] });
    dns.close();
  });

  it('a 3,000-byte TXT comes whole over DoH, where UDP needs the TCP fallback', async () => {
    const overDoh = doh();
    const overUdp = udp();
    const large = await overDoh.resolve('large.test', 'TXT');
    expect(large.rcode).toBe('NOERROR');
    const strings = large.records[0]?.data as readonly string[];
    expect(strings).toHaveLength(12);
    expect(strings.join('')).toHaveLength(3000);
    expect(overDoh.stats.tcpFallbacks).toBe(0);
    expect(overDoh.stats.queriesSent).toBe(1);
    expect(withoutServer(await overUdp.resolve('large.test', 'TXT'))).toEqual(withoutServer(large));
    expect(overUdp.stats.tcpFallbacks).toBe(1);
    // The bad-input records fail the same way over DoH: MALFORMED with the reason.
    expect(await overDoh.resolve('big.test', 'TXT')).toMatchObject({
      rcode: 'MALFORMED',
      detail: expect.stringMatching(/10000 bytes/),
    });
    expect(await overDoh.resolve('many.test', 'TXT')).toMatchObject({
      rcode: 'MALFORMED',
      detail: expect.stringMatching(/character-strings/),
    });
    overDoh.close();
    overUdp.close();
  });

  it('50 concurrent questions over DoH (streams of one HTTP/2 session) all get their answers', async () => {
    const dns = doh();
    const names = Array.from({ length: 50 }, (_, i) => `n${i}.nothing-here.test`);
    const answers = await Promise.all(names.map((n) => dns.resolve(n, 'TXT')));
    expect(answers.every((a) => a.rcode === 'NXDOMAIN')).toBe(true);
    dns.close();
  });

  it('a DNS-only audit over DoH gives the same verdicts as over UDP', async () => {
    const dir = await tempDir();
    const caFile = path.join(dir, 'lab-ca.pem');
    await writeFile(caFile, lab.dohCa ?? '');
    const domains = 'good.test,weak.test,sub.good.test,parked.test,utf8.test,big.test,many.test';
    const audit = async (server: string, name: string, env: Record<string, string>, code = 0) => {
      const reportPath = path.join(dir, `${name}.json`);
      const result = await runCliProcess(
        ['audit', '--domains', domains, '--dns-server', server, '--report-json', reportPath, '--fail-on', 'none'],
        env,
      );
      expect(result.stderr, name).not.toContain('internal error');
      expect(result.code, `${name}: ${result.stderr}`).toBe(code);
      return JSON.parse(await readFile(reportPath, 'utf8')) as Report;
    };
    // The lab's CA is trusted the way a user would trust a private DoH server: NODE_EXTRA_CA_CERTS.
    const overDoh = await audit(lab.dohUrl ?? '', 'doh', { NODE_EXTRA_CA_CERTS: caFile });
    const overUdp = await audit(`127.0.0.1:${lab.port}`, 'udp', {});
    const verdicts = (r: Report) =>
      r.results.filter((x) => x.area === 'email-auth').map((x) => [x.control, x.target, x.status]);
    expect(verdicts(overDoh).length).toBeGreaterThan(20);
    expect(verdicts(overDoh)).toEqual(verdicts(overUdp));
    expect(verdicts(overDoh)).toContainEqual(['spf.record', 'good.test', 'pass']);
    expect(verdicts(overDoh)).toContainEqual(['spf.record', 'big.test', 'error']);
    const failed = overDoh.results.find((r) => r.control === 'spf.record' && r.target === 'many.test')?.evidence
      .failedQuery;
    expect(failed).toMatchObject({ question: 'many.test/TXT', rcode: 'MALFORMED', server: lab.dohUrl });

    // Without trusting the lab's CA, every lookup fails closed: error, never pass or fail; and
    // as not one lookup got an answer, the dns source failed and the run audited nothing (exit 3).
    const untrusted = await audit(lab.dohUrl ?? '', 'untrusted', {}, 3);
    const statusOf = (r: Report, control: string, target: string) =>
      r.results.find((x) => x.control === control && x.target === target)?.status;
    const decided = overDoh.results.filter(
      (x) => x.area === 'email-auth' && (x.status === 'pass' || x.status === 'fail'),
    );
    expect(decided.length).toBeGreaterThan(10);
    for (const result of decided)
      expect(statusOf(untrusted, result.control, result.target), `${result.control} ${result.target}`).toBe('error');
    const dnsSource = untrusted.snapshot.sources.dns;
    expect(dnsSource?.status).toBe('failed');
    expect(dnsSource?.status === 'failed' ? dnsSource.reason : '').toMatch(
      /^no DNS lookup got an answer: \d+ question\(s\), \d+ MALFORMED; first: .*certificate/i,
    );
  }, 60_000);
});
