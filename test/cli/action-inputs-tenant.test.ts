import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors.js';
import { readInputs } from '../../src/action/inputs.js';

const TENANT = '8d1f2c4e-5a6b-4c7d-9e0f-1a2b3c4d5e6f';
const CLIENT = '11111111-2222-4333-8444-555555555555';
const inputs = (values: Record<string, string>) => (name: string) => values[name] ?? '';

describe('Action inputs for a live tenant', () => {
  it('defaults to GitHub OIDC federation in the global cloud', () => {
    const settings = readInputs(inputs({ 'tenant-id': TENANT, 'client-id': CLIENT }), '/ws');
    expect(settings.target).toMatchObject({
      kind: 'tenant',
      tenantId: TENANT,
      clientId: CLIENT,
      credentials: { kind: 'github-oidc' },
      cloud: 'global',
      endpoints: { tokenExchangeAudience: 'api://AzureADTokenExchange', graph: 'https://graph.microsoft.com' },
    });
  });

  it('takes a client secret, and the cloud, and keeps snapshot for replay', () => {
    expect(
      readInputs(
        inputs({ 'tenant-id': TENANT, 'client-id': CLIENT, 'client-secret': 'test-client-secret', cloud: 'usgov' }),
        '/ws',
      ).target,
    ).toMatchObject({
      credentials: { kind: 'client-secret', secret: 'test-client-secret' },
      endpoints: { graph: 'https://graph.microsoft.us', tokenExchangeAudience: 'api://AzureADTokenExchangeUSGov' },
    });
    expect(readInputs(inputs({ snapshot: 'snap' }), '/ws').target).toEqual({ kind: 'snapshot', dir: 'snap' });
  });

  it("audience: the federated credential's own audience replaces the cloud's default; one value, no spaces", () => {
    expect(
      readInputs(inputs({ 'tenant-id': TENANT, 'client-id': CLIENT, audience: 'api://contoso-audit' }), '/ws').target,
    ).toMatchObject({
      credentials: { kind: 'github-oidc' },
      endpoints: { tokenExchangeAudience: 'api://contoso-audit' },
    });
    expect(() =>
      readInputs(inputs({ 'tenant-id': TENANT, 'client-id': CLIENT, audience: 'api://a api://b' }), '/ws'),
    ).toThrow(/Input "audience": "api:\/\/a api:\/\/b" must be one audience without spaces/);
  });

  it('names the input that is missing or wrong', () => {
    const error = (values: Record<string, string>) => {
      try {
        readInputs(inputs(values), '/ws');
      } catch (e: unknown) {
        expect(e).toBeInstanceOf(ConfigurationError);
        return (e as Error).message;
      }
      return '';
    };
    expect(error({})).toMatch(/"tenant-id" and "client-id"/);
    expect(error({ 'tenant-id': TENANT, 'client-id': 'nope' })).toMatch(/client-id.*nope/);
    expect(error({ 'tenant-id': TENANT, 'client-id': CLIENT, cloud: 'mars' })).toMatch(/cloud.*mars/);
    expect(error({ 'tenant-id': TENANT, 'client-id': CLIENT, certificate: 'not a pem' })).toMatch(
      /Input "certificate"/,
    );
  });
});
