import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOUDS, type Cloud } from '../../src/model/cloud.js';
import type { Report } from '../../src/report/report.js';
import { runCli } from '../helpers/cli.js';
import { dnsLabAvailability, dnsLabRequired, startDnsLab, type DnsLab } from '../helpers/dns-lab.js';
import { tempDir } from '../helpers/temp.js';

/*
 * spf.authorizes-m365 in each Microsoft 365 cloud, over real DNS: Knot serves a stand-in of each
 * cloud's SPF include (spf.protection.outlook.com, spf.protection.office365.us,
 * spf.protection.partner.outlook.cn) and one domain per cloud that includes it; Unbound resolves.
 * A domain passes in its own cloud and fails in the others.
 */

const ZONES = path.resolve('test/fixtures/dns-clouds');
const availability = dnsLabAvailability();
const run = availability.available || dnsLabRequired();
const title = availability.available
  ? 'spf.authorizes-m365 per cloud against Knot + Unbound on loopback'
  : `spf.authorizes-m365 per cloud (skipped: ${availability.reason})`;

const DOMAINS: Readonly<Record<string, Cloud[]>> = {
  'commercial.clouds.test': ['global'],
  'gcchigh.clouds.test': ['usgov', 'dod'],
  'dod.clouds.test': ['usgov', 'dod'],
  'vianet.clouds.test': ['china'],
};

const INCLUDES: Readonly<Record<Cloud, string>> = {
  global: 'spf.protection.outlook.com',
  usgov: 'spf.protection.office365.us',
  dod: 'spf.protection.office365.us',
  china: 'spf.protection.partner.outlook.cn',
};

describe.skipIf(!run)(title, () => {
  let lab: DnsLab;
  beforeAll(async () => {
    lab = await startDnsLab(ZONES, ['clouds.test', 'outlook.com', 'office365.us', 'outlook.cn']);
  });
  afterAll(async () => {
    await lab?.stop();
  });

  async function audit(cloud: Cloud, extra: readonly string[] = []): Promise<{ report: Report; dir: string }> {
    const dir = await tempDir();
    const reportPath = path.join(dir, 'report.json');
    const result = await runCli([
      'audit',
      '--cloud',
      cloud,
      '--domains',
      Object.keys(DOMAINS).join(','),
      '--dns-server',
      `127.0.0.1:${lab.port}`,
      '--report-json',
      reportPath,
      '--fail-on',
      'none',
      ...extra,
    ]);
    expect(result.stderr).not.toContain('internal error');
    expect(result.code).toBe(0);
    return { report: JSON.parse(await readFile(reportPath, 'utf8')) as Report, dir };
  }

  it.each(CLOUDS.map((c) => [c]))("--cloud %s: its own domains pass, the other clouds' domains fail", async (cloud) => {
    const { report } = await audit(cloud);
    for (const [domain, clouds] of Object.entries(DOMAINS)) {
      const r = report.results.find((x) => x.control === 'spf.authorizes-m365' && x.target === domain);
      expect(r?.status, `${domain} in ${cloud}`).toBe(clouds.includes(cloud) ? 'pass' : 'fail');
      expect(r?.evidence).toMatchObject({
        microsoftSpfDomain: INCLUDES[cloud],
        microsoftSpfDomainFrom: 'cloud',
        cloud,
      });
    }
  });

  it('the snapshot records the cloud, and a replay judges with it', async () => {
    const saved = path.join(await tempDir(), 'snapshot');
    const { report, dir } = await audit('usgov', ['--save-snapshot', saved]);
    const manifest = JSON.parse(await readFile(path.join(saved, 'manifest.json'), 'utf8')) as { cloud?: string };
    expect(manifest.cloud).toBe('usgov');
    const replayPath = path.join(dir, 'replay.json');
    const replay = await runCli(['audit', '--snapshot', saved, '--report-json', replayPath, '--fail-on', 'none']);
    expect(replay.code).toBe(0);
    const replayed = JSON.parse(await readFile(replayPath, 'utf8')) as Report;
    const spf = (r: Report) =>
      r.results.filter((x) => x.control === 'spf.authorizes-m365').map((x) => [x.target, x.status]);
    expect(spf(replayed)).toEqual(spf(report));
    expect(spf(replayed)).toContainEqual(['gcchigh.clouds.test', 'pass']);
  });
});
