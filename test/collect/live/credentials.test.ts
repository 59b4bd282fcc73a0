import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphTransport } from '../../../src/collect/graph/graph-transport.js';
import { CLOUD_ENDPOINTS, resolveEndpoints } from '../../../src/collect/live/clouds.js';
import { createCredential } from '../../../src/collect/live/credentials.js';
import { auditSettings } from '../../../src/cli/audit.js';
import { ConfigurationError } from '../../../src/errors.js';
import type { Logger } from '../../../src/logger.js';
import type { CredentialSettings } from '../../../src/collect/live/tenant-target.js';
import type { TenantTarget } from '../../../src/collect/live/tenant-target.js';
import { startSimulator, type RunningSimulator } from '../../../src/simulator/start-simulator.js';
import { tempDir } from '../../helpers/temp.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ dir: 'demo/contoso-health' });
});
afterAll(async () => {
  await sim.close();
});

function secretsLogger(): Logger & { secrets: string[]; lines: string[] } {
  const secrets: string[] = [];
  const lines: string[] = [];
  return {
    secrets,
    lines,
    debug: (m) => lines.push(m),
    info: (m) => lines.push(m),
    warning: (m) => lines.push(m),
    error: (m) => lines.push(m),
    secret: (v) => secrets.push(v),
  };
}

function target(credentials: CredentialSettings): TenantTarget {
  return {
    kind: 'tenant',
    tenantId: sim.tenantId,
    clientId: sim.credentials.clientId,
    credentials,
    cloud: 'global',
    endpoints: { ...resolveEndpoints('global', { graph: new URL(sim.graphUrl).origin, authority: sim.authorityUrl }) },
  };
}

describe('@azure/identity credentials against the simulator token endpoint (TLS, CA trusted per credential)', () => {
  const audiences: string[] = [];
  const kinds: [string, () => CredentialSettings][] = [
    ['client secret', () => ({ kind: 'client-secret', secret: sim.credentials.clientSecret })],
    ['certificate (PEM)', () => ({ kind: 'certificate', pem: sim.credentials.clientCertificatePem, source: 'test' })],
    ['client assertion (GitHub OIDC)', () => ({ kind: 'github-oidc' })],
  ];
  it.each(kinds)(
    '%s: gets a Graph token and reads Graph with it, registering secrets with the logger',
    async (_name, credentials) => {
      const logger = secretsLogger();
      const settings = credentials();
      const credential = createCredential(target(settings), {
        logger,
        authorityCa: sim.caCertificatePem,
        getIdToken: async (audience) => {
          audiences.push(audience);
          return sim.credentials.federatedAssertion();
        },
      });
      const graph = createGraphTransport({ baseUrl: new URL(sim.graphUrl).origin, credential, logger });
      try {
        const domains: unknown[] = [];
        for await (const page of graph.pages('/domains?$select=id')) domains.push(...page);
        expect(domains.length).toBeGreaterThan(0);
      } finally {
        graph.close();
      }
      expect(logger.secrets.length).toBeGreaterThanOrEqual(1);
      if (settings.kind === 'client-secret') expect(logger.secrets).toContain(sim.credentials.clientSecret);
      for (const line of logger.lines) for (const secret of logger.secrets) expect(line).not.toContain(secret);
    },
  );

  it('asks GitHub for the token-exchange audience of the cloud', () => {
    expect(audiences.length).toBeGreaterThan(0);
    expect(new Set(audiences)).toEqual(new Set(['api://AzureADTokenExchange']));
  });

  it('a wrong secret fails as an authentication error naming the authority, and the source is failed', async () => {
    const logger = secretsLogger();
    const credential = createCredential(target({ kind: 'client-secret', secret: 'wrong-secret' }), {
      logger,
      authorityCa: sim.caCertificatePem,
    });
    await expect(credential.getToken(`${new URL(sim.graphUrl).origin}/.default`)).rejects.toThrow(
      /authentication at https:\/\/127\.0\.0\.1:\d+ failed/,
    );
  });

  it('without the simulator CA the TLS authority is refused: nothing turns certificate checks off', async () => {
    const credential = createCredential(target({ kind: 'client-secret', secret: sim.credentials.clientSecret }), {
      logger: secretsLogger(),
    });
    await expect(credential.getToken(`${new URL(sim.graphUrl).origin}/.default`)).rejects.toThrow(/authentication at/);
  });
});

describe('national clouds and endpoint overrides', () => {
  it('maps each cloud to its Graph, authority, token-exchange audience and Exchange hosts', () => {
    expect(CLOUD_ENDPOINTS).toEqual({
      global: {
        graph: 'https://graph.microsoft.com',
        authority: 'https://login.microsoftonline.com',
        tokenExchangeAudience: 'api://AzureADTokenExchange',
        exchange: 'https://outlook.office365.com',
      },
      usgov: {
        graph: 'https://graph.microsoft.us',
        authority: 'https://login.microsoftonline.us',
        tokenExchangeAudience: 'api://AzureADTokenExchangeUSGov',
        exchange: 'https://outlook.office365.us',
      },
      dod: {
        graph: 'https://dod-graph.microsoft.us',
        authority: 'https://login.microsoftonline.us',
        tokenExchangeAudience: 'api://AzureADTokenExchangeUSGov',
        exchange: 'https://webmail.apps.mil',
      },
      china: {
        graph: 'https://microsoftgraph.chinacloudapi.cn',
        authority: 'https://login.chinacloudapi.cn',
        tokenExchangeAudience: 'api://AzureADTokenExchangeChina',
        exchange: 'https://partner.outlook.cn',
      },
    });
  });

  const base = [
    '--tenant-id',
    'contoso.onmicrosoft.com',
    '--client-id',
    '11111111-2222-4333-8444-555555555555',
    '--client-secret',
    'test-client-secret',
  ];

  it('--cloud picks the hosts and --graph-url / --authority-url / --exchange-url override them', () => {
    const dod = auditSettings([...base, '--cloud', 'dod']);
    expect(dod.target).toMatchObject({
      kind: 'tenant',
      cloud: 'dod',
      endpoints: CLOUD_ENDPOINTS.dod,
      credentials: { kind: 'client-secret' },
    });
    const overridden = auditSettings([
      ...base,
      '--cloud',
      'china',
      '--graph-url',
      'https://graph.example.test/',
      '--authority-url',
      'https://login.example.test',
      '--exchange-url',
      'https://exo.example.test',
    ]);
    expect(overridden.target).toMatchObject({
      endpoints: {
        graph: 'https://graph.example.test',
        authority: 'https://login.example.test',
        exchange: 'https://exo.example.test',
        tokenExchangeAudience: 'api://AzureADTokenExchangeChina',
      },
    });
  });

  it('a bad cloud, tenant ID, client ID, endpoint or certificate is a ConfigurationError naming it', async () => {
    const bad = (args: string[]) => {
      try {
        auditSettings(args);
      } catch (error: unknown) {
        expect(error).toBeInstanceOf(ConfigurationError);
        return (error as Error).message;
      }
      throw new Error('no error');
    };
    expect(bad([...base, '--cloud', 'germany'])).toMatch(/--cloud.*germany/);
    expect(
      bad([
        '--tenant-id',
        'not a tenant',
        '--client-id',
        '11111111-2222-4333-8444-555555555555',
        '--client-secret',
        'test-client-secret',
      ]),
    ).toMatch(/--tenant-id.*not a tenant/);
    expect(
      bad(['--tenant-id', 'contoso.onmicrosoft.com', '--client-id', 'app', '--client-secret', 'test-client-secret']),
    ).toMatch(/--client-id.*"app"/);
    // A one-character secret is a typo, and masking it would garble every line of the log.
    expect(bad([...base.slice(0, 5), 'x'])).toBe(
      '--client-secret: 1 character is not a plausible client secret (at least 8); check the value',
    );
    expect(bad([...base, '--graph-url', 'http://graph.example.test'])).toMatch(/--graph-url.*https/);
    const dir = await tempDir();
    const pem = path.join(dir, 'app.pem');
    await writeFile(pem, '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n');
    expect(
      bad([
        '--tenant-id',
        'contoso.onmicrosoft.com',
        '--client-id',
        '11111111-2222-4333-8444-555555555555',
        '--certificate',
        pem,
      ]),
    ).toMatch(/app\.pem.*private key/);
    expect(
      bad([
        '--tenant-id',
        'contoso.onmicrosoft.com',
        '--client-id',
        '11111111-2222-4333-8444-555555555555',
        '--certificate',
        path.join(dir, 'missing.pem'),
      ]),
    ).toMatch(/missing\.pem.*cannot read/);
  });

  it('without a secret or certificate the CLI uses environment credentials, else the Azure CLI', () => {
    const tenant = ['--tenant-id', 'contoso.onmicrosoft.com'];
    expect(
      auditSettings(tenant, { AZURE_CLIENT_SECRET: 'x', AZURE_CLIENT_ID: '11111111-2222-4333-8444-555555555555' })
        .target,
    ).toMatchObject({
      credentials: { kind: 'environment' },
      clientId: '11111111-2222-4333-8444-555555555555',
    });
    expect(auditSettings(tenant, {}).target).toMatchObject({ credentials: { kind: 'azure-cli' }, clientId: undefined });
  });
});
