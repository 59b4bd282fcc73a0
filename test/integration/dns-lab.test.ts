import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DnsClient } from '../../src/collect/dns/dns-client.js';
import type { Report } from '../../src/report/report.js';
import { runCli } from '../helpers/cli.js';
import { dnsLabAvailability, dnsLabRequired, startDnsLab, type DnsLab } from '../helpers/dns-lab.js';
import { tempDir } from '../helpers/temp.js';

const ZONES = path.resolve('test/fixtures/dns');
const availability = dnsLabAvailability();
// Without the servers the suite is skipped with its reason, unless CI requires it (then it fails).
const run = availability.available || dnsLabRequired();
const title = availability.available
  ? 'DNS integration against Knot + Unbound on loopback'
  : `DNS integration against Knot + Unbound (skipped: knot/unbound not installed: ${availability.reason})`;

describe.skipIf(!run)(title, () => {
  let lab: DnsLab;
  beforeAll(async () => {
    lab = await startDnsLab(ZONES, ['test', 'outlook.com']);
  });
  afterAll(async () => {
    await lab?.stop();
  });

  const client = () =>
    new DnsClient({ servers: [{ kind: 'dns', host: '127.0.0.1', port: lab.port }], timeoutMs: 2000, retries: 1 });

  it('answers TXT, NXDOMAIN and NODATA through the recursive resolver', async () => {
    const dns = client();
    const txt = await dns.resolve('good.test', 'TXT');
    expect(txt.rcode).toBe('NOERROR');
    expect(txt.records[0]?.data).toEqual(['v=spf1 include:spf.protection.outlook.com -all']);
    expect((await dns.resolve('nothing-here.test', 'TXT')).rcode).toBe('NXDOMAIN');
    const nodata = await dns.resolve('good.test', 'AAAA');
    expect([nodata.rcode, nodata.records.length]).toEqual(['NOERROR', 0]);
  });

  it('follows a CNAME chain and a CNAME into another zone', async () => {
    const dns = client();
    const chain = await dns.resolve('alias1.test', 'TXT');
    expect(chain.records.map((r) => r.type)).toEqual(['CNAME', 'CNAME', 'CNAME', 'TXT']);
    const dkim = await dns.resolve('selector1._domainkey.good.test', 'TXT');
    expect(dkim.records.at(-1)?.name).toBe('selector1-good-test._domainkey.keys.outlook.com');
  });

  it('falls back to TCP for a truncated answer, then rejects a 10 KB record as MALFORMED', async () => {
    const dns = client();
    const big = await dns.resolve('big.test', 'TXT');
    expect(dns.stats.tcpFallbacks).toBeGreaterThan(0);
    expect(big.rcode).toBe('MALFORMED');
    expect(big.detail).toMatch(/bytes/);
  });

  it('audits domains in DNS-only mode, and replaying the snapshot gives identical verdicts', async () => {
    const dir = await tempDir();
    const reportPath = path.join(dir, 'report.json');
    const snapshotDir = path.join(dir, 'snapshot');
    const live = await runCli([
      'audit',
      '--domains',
      'good.test,weak.test,sub.good.test,utf8.test,big.test,many.test',
      '--dns-server',
      `127.0.0.1:${lab.port}`,
      '--report-json',
      reportPath,
      '--save-snapshot',
      snapshotDir,
      '--fail-on',
      'none',
    ]);
    expect(live.stderr).not.toContain('internal error');
    expect(live.code).toBe(0);
    const report = JSON.parse(await readFile(reportPath, 'utf8')) as Report;
    expect(report.run.mode).toBe('dns-only');
    const status = (control: string, target: string) =>
      report.results.find((r) => r.control === control && r.target === target)?.status;
    for (const control of [
      'spf.record',
      'spf.qualifier',
      'spf.authorizes-m365',
      'dkim.keys',
      'dmarc.record',
      'dmarc.policy',
      'dmarc.reporting',
    ]) {
      expect(status(control, 'good.test'), control).toBe('pass');
    }
    for (const control of ['spf.qualifier', 'spf.authorizes-m365', 'dkim.keys', 'dmarc.policy', 'dmarc.reporting']) {
      expect(status(control, 'weak.test'), control).toBe('fail');
    }
    expect(status('dmarc.record', 'sub.good.test')).toBe('pass');
    // Bad input: non-ASCII bytes, a 10 KB record, 100 strings: error with the failing query.
    for (const domain of ['utf8.test', 'big.test', 'many.test']) {
      const spf = report.results.find((r) => r.control === 'spf.record' && r.target === domain);
      expect(spf?.status, domain).toBe('error');
      expect(spf?.evidence.failedQuery, domain).toMatchObject({ question: `${domain}/TXT`, rcode: 'MALFORMED' });
    }

    const replayPath = path.join(dir, 'replay.json');
    const replay = await runCli(['audit', '--snapshot', snapshotDir, '--report-json', replayPath, '--fail-on', 'none']);
    expect(replay.code).toBe(0);
    const replayed = JSON.parse(await readFile(replayPath, 'utf8')) as Report;
    const verdicts = (r: Report) =>
      r.results.filter((x) => x.area === 'email-auth').map((x) => [x.control, x.target, x.status]);
    expect(verdicts(replayed)).toEqual(verdicts(report));
  });
});
