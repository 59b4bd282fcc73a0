import {
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  type TokenCredential,
} from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/start-simulator.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeFixtureTenant } from './fixture-tenant.js';
import { graphGet, postForm } from './sim-client.js';

let sim: RunningSimulator;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mailwarden-sim-login-'));
  await writeFixtureTenant(dir);
  sim = await startSimulator({ dir });
});

afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

/** The options every credential needs: our authority, our CA trusted explicitly, no call to Microsoft's instance discovery. */
function options() {
  return { authorityHost: sim.authorityUrl, disableInstanceDiscovery: true, tlsOptions: { ca: sim.caCertificatePem } };
}

async function graphStatus(credential: TokenCredential): Promise<number> {
  const token = await credential.getToken('https://graph.microsoft.com/.default');
  expect(token?.token).toMatch(/^ey/);
  return (await graphGet(sim, token!.token, '/users?$top=1')).status;
}

describe('Entra ID token endpoint with the real @azure/identity credentials', () => {
  it('authenticates a ClientSecretCredential and the token opens Graph', async () => {
    const credential = new ClientSecretCredential(
      sim.tenantId,
      sim.credentials.clientId,
      sim.credentials.clientSecret,
      options(),
    );
    expect(await graphStatus(credential)).toBe(200);
  });

  it('authenticates a ClientCertificateCredential with a PEM certificate', async () => {
    const credential = new ClientCertificateCredential(
      sim.tenantId,
      sim.credentials.clientId,
      { certificate: sim.credentials.clientCertificatePem },
      options(),
    );
    expect(await graphStatus(credential)).toBe(200);
  });

  it('authenticates a ClientAssertionCredential with a federated assertion', async () => {
    const credential = new ClientAssertionCredential(
      sim.tenantId,
      sim.credentials.clientId,
      async () => sim.credentials.federatedAssertion(),
      options(),
    );
    expect(await graphStatus(credential)).toBe(200);
  });

  it('refuses a wrong client secret with 401 invalid_client', async () => {
    const credential = new ClientSecretCredential(sim.tenantId, sim.credentials.clientId, 'wrong-secret', options());
    await expect(credential.getToken('https://graph.microsoft.com/.default')).rejects.toThrow(/7000215|invalid_client/);
    const raw = await postForm(sim, `/${sim.tenantId}/oauth2/v2.0/token`, {
      grant_type: 'client_credentials',
      client_id: sim.credentials.clientId,
      client_secret: 'wrong-secret',
      scope: 'https://graph.microsoft.com/.default',
    });
    expect(raw.status).toBe(401);
    expect(raw.body.error).toBe('invalid_client');
    expect(raw.body.error_codes).toEqual([7000215]);
  });

  it('refuses an assertion signed by an untrusted key, and a certificate that is not registered', async () => {
    const other = await startSimulator({ dir });
    try {
      const foreign = new ClientAssertionCredential(
        sim.tenantId,
        sim.credentials.clientId,
        async () => other.credentials.federatedAssertion(),
        options(),
      );
      await expect(foreign.getToken('https://graph.microsoft.com/.default')).rejects.toThrow(/700213|invalid_client/);
      const cert = new ClientCertificateCredential(
        sim.tenantId,
        sim.credentials.clientId,
        { certificate: other.credentials.clientCertificatePem },
        options(),
      );
      await expect(cert.getToken('https://graph.microsoft.com/.default')).rejects.toThrow(/700027|invalid_client/);
    } finally {
      await other.close();
    }
  });

  it('refuses an unknown client, an unknown tenant and a scope without /.default', async () => {
    const base = {
      grant_type: 'client_credentials',
      client_secret: sim.credentials.clientSecret,
      scope: 'https://graph.microsoft.com/.default',
    };
    const unknownClient = await postForm(sim, `/${sim.tenantId}/oauth2/v2.0/token`, { ...base, client_id: 'nobody' });
    expect([unknownClient.status, unknownClient.body.error]).toEqual([400, 'unauthorized_client']);
    const unknownTenant = await postForm(sim, '/other-tenant/oauth2/v2.0/token', {
      ...base,
      client_id: sim.credentials.clientId,
    });
    expect(unknownTenant.status).toBe(400);
    const badScope = await postForm(sim, `/${sim.tenantId}/oauth2/v2.0/token`, {
      ...base,
      client_id: sim.credentials.clientId,
      scope: 'User.Read',
    });
    expect(badScope.body.error).toBe('invalid_scope');
  });

  it('serves OpenID metadata whose endpoints point back at the simulator', async () => {
    const { request } = await import('node:https');
    const body = await new Promise<Record<string, unknown>>((resolve, reject) => {
      request(
        `${sim.authorityUrl}/${sim.tenantId}/v2.0/.well-known/openid-configuration`,
        { ca: sim.caCertificatePem },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>));
        },
      )
        .on('error', reject)
        .end();
    });
    expect(body.token_endpoint).toBe(`${sim.authorityUrl}/${sim.tenantId}/oauth2/v2.0/token`);
    expect(body.issuer).toBe(`${sim.authorityUrl}/${sim.tenantId}/v2.0`);
  });

  it('is not trusted without the CA: TLS verification stays on', async () => {
    const credential = new ClientSecretCredential(
      sim.tenantId,
      sim.credentials.clientId,
      sim.credentials.clientSecret,
      {
        authorityHost: sim.authorityUrl,
        disableInstanceDiscovery: true,
      },
    );
    await expect(credential.getToken('https://graph.microsoft.com/.default')).rejects.toThrow();
  });
});
