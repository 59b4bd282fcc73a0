import { describe, expect, it } from 'vitest';
import { auditSettings } from '../../src/cli.js';
import { ConfigurationError } from '../../src/errors.js';
import { readInputs, shardInput } from '../../src/inputs.js';
import type { TenantTarget } from '../../src/settings.js';
import { runCli } from '../helpers/cli.js';

const TENANT = ['--tenant-id', 'contoso.onmicrosoft.com', '--client-id', '00000000-0000-0000-0000-000000000001', '--client-secret', 's3cret'];

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

  it('refuses --shard with a snapshot or the demo: the manifest names the shard', async () => {
    for (const target of [['--snapshot', 'demo/contoso-health'], ['--demo']]) {
      const result = await runCli(['audit', ...target, '--shard', '1/2']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--shard applies to live audits');
    }
  });

  it('reads the Action input for a live target and refuses it for a snapshot', () => {
    const tenant: TenantTarget = {
      kind: 'tenant',
      tenantId: 'contoso.onmicrosoft.com',
      clientId: undefined,
      credentials: { kind: 'github-oidc' },
      cloud: 'global',
      endpoints: { graph: 'https://graph.microsoft.com', authority: 'https://login.microsoftonline.com', tokenExchangeAudience: 'api://AzureADTokenExchange', exchange: 'https://outlook.office365.com' },
    };
    const inputs = (values: Record<string, string>) => (name: string) => values[name] ?? '';
    expect(shardInput(inputs({ shard: '3/4' }), tenant)).toEqual({ shard: { index: 3, count: 4 } });
    expect(shardInput(inputs({}), tenant)).toEqual({});
    expect(() => shardInput(inputs({ shard: '5/4' }), tenant)).toThrow(/Input "shard": expected i\/n/);
    expect(() => readInputs(inputs({ snapshot: 'snap', shard: '1/2' }), '/ws')).toThrow(ConfigurationError);
  });
});
