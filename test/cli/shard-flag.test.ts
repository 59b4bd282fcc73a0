import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditSettings } from '../../src/cli/audit.js';
import { ConfigurationError } from '../../src/errors.js';
import { readInputs, shardInput } from '../../src/action/inputs.js';
import { DEMO_POLICY_PATH } from '../../src/paths.js';
import type { Report } from '../../src/report/report.js';
import type { TenantTarget } from '../../src/collect/live/tenant-target.js';
import { runCli } from '../helpers/cli.js';
import { findControl } from '../../src/controls/catalog.js';
import { isShardedControl } from '../../src/snapshot/shard.js';

const TENANT = [
  '--tenant-id',
  'contoso.onmicrosoft.com',
  '--client-id',
  '00000000-0000-0000-0000-000000000001',
  '--client-secret',
  'test-client-secret',
];

describe('--shard and the shard input', () => {
  it('reads i/n for a live audit', () => {
    expect(auditSettings([...TENANT, '--shard', '2/8']).shard).toEqual({ index: 2, count: 8 });
    expect(auditSettings(TENANT).shard).toBeUndefined();
  });

  it('refuses a shard outside 1..n with a usage message and exit 2', async () => {
    for (const bad of ['0/3', '4/3', '1/0', 'x', '2']) {
      const result = await runCli(['audit', ...TENANT, '--shard', bad]);
      expect(result.code, bad).toBe(2);
      expect(result.stderr, bad).toContain('--shard: expected i/n');
      expect(result.stderr, bad).toContain('Usage: mailwarden');
    }
  });

  it('refuses --shard with a snapshot: the manifest names the shard', async () => {
    const result = await runCli(['audit', '--snapshot', 'demo/contoso-health', '--shard', '1/2']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--shard applies to live audits');
  });

  it('reads i/n for a simulated tenant (--simulate, --demo)', () => {
    expect(auditSettings(['--simulate', 'demo/contoso-health', '--shard', '3/4']).shard).toEqual({
      index: 3,
      count: 4,
    });
    expect(auditSettings(['--demo', '--shard', '1/2']).shard).toEqual({ index: 1, count: 2 });
  });

  it('audits one shard of a simulated tenant and writes a partial report that merges', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mailwarden-shard-sim-'));
    try {
      const files: string[] = [];
      for (const index of [1, 2]) {
        const file = path.join(dir, `partial-${index}.json`);
        const result = await runCli([
          'audit',
          '--simulate',
          'demo/contoso-health',
          '--policy',
          DEMO_POLICY_PATH,
          '--shard',
          `${index}/2`,
          '--report-json',
          file,
          '--fail-on',
          'none',
        ]);
        expect(result.code, result.stderr).toBe(0);
        const report = JSON.parse(await readFile(file, 'utf8')) as Report;
        expect(report.snapshot.shard).toEqual({ index, count: 2 });
        expect(report.run.mode).toBe('simulate');
        if (index === 2) {
          // Shard 2 judges only the per-mailbox controls; tenant-wide ones belong to shard 1.
          expect(report.controls.length).toBeGreaterThan(0);
          const sharded = (id: string) => isShardedControl(findControl(id)?.sources ?? []);
          expect(report.controls.filter((c) => !sharded(c.control))).toEqual([]);
        }
        files.push(file);
      }
      const merged = await runCli([
        'merge-reports',
        ...files,
        '--report-json',
        path.join(dir, 'merged.json'),
        '--fail-on',
        'none',
      ]);
      expect(merged.code, merged.stderr).toBe(0);
      const whole = await runCli([
        'audit',
        '--simulate',
        'demo/contoso-health',
        '--policy',
        DEMO_POLICY_PATH,
        '--report-json',
        path.join(dir, 'whole.json'),
        '--fail-on',
        'none',
      ]);
      expect(whole.code, whole.stderr).toBe(0);
      const report = JSON.parse(await readFile(path.join(dir, 'merged.json'), 'utf8')) as Report;
      const unsharded = JSON.parse(await readFile(path.join(dir, 'whole.json'), 'utf8')) as Report;
      expect(report.snapshot.shard).toBeUndefined();
      const verdicts = (r: Report) =>
        r.results.map((x) => `${x.control} ${x.target} ${x.status} ${x.fingerprint}`).sort();
      expect(verdicts(report)).toEqual(verdicts(unsharded));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads the Action input for a live target and refuses it for a snapshot', () => {
    const tenant: TenantTarget = {
      kind: 'tenant',
      tenantId: 'contoso.onmicrosoft.com',
      clientId: undefined,
      credentials: { kind: 'github-oidc' },
      cloud: 'global',
      endpoints: {
        graph: 'https://graph.microsoft.com',
        authority: 'https://login.microsoftonline.com',
        tokenExchangeAudience: 'api://AzureADTokenExchange',
        exchange: 'https://outlook.office365.com',
      },
    };
    const inputs = (values: Record<string, string>) => (name: string) => values[name] ?? '';
    expect(shardInput(inputs({ shard: '3/4' }), tenant)).toEqual({ shard: { index: 3, count: 4 } });
    expect(shardInput(inputs({}), tenant)).toEqual({});
    expect(() => shardInput(inputs({ shard: '5/4' }), tenant)).toThrow(/Input "shard": expected i\/n/);
    expect(() => readInputs(inputs({ snapshot: 'snap', shard: '1/2' }), '/ws')).toThrow(ConfigurationError);
  });
});
