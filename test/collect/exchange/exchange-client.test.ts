import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ExchangeRequestError, isExchangeRefusal } from '../../../src/collect/exchange/exchange-api.js';
import { exchangeClient } from '../../../src/collect/exchange/exchange-client.js';
import { memoryLogger } from '../../../src/logger.js';
import { collection, type Handler, startInvokeCommandServer } from '../../helpers/invoke-command-server.js';

// Constructed InvokeCommand bodies (copied from ../shared/graph-examples/constructed/).
const FIXTURES = 'test/fixtures/exchange';
const fixture = (name: string) => JSON.parse(readFileSync(`${FIXTURES}/${name}`, 'utf8')) as Record<string, unknown>;
const TOKEN = 'test-token-value';

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers) await close();
  closers = [];
});

async function setup(handler: Handler) {
  const server = await startInvokeCommandServer(handler);
  closers.push(server.close);
  const sleeps: number[] = [];
  const logger = memoryLogger();
  const secrets: string[] = [];
  const client = exchangeClient({
    baseUrl: server.base,
    tenant: 'contoso.onmicrosoft.com',
    getToken: async () => TOKEN,
    logger: { ...logger, secret: (v) => secrets.push(v) },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    backoff: { baseMs: 1000, maxMs: 32_000, random: () => 0.5 },
    maxRetries: 3,
  });
  return { server, client, sleeps, logger, secrets };
}

/** Points a fixture's nextLink at the loopback server. */
function rebase(body: Record<string, unknown>, base: string): Record<string, unknown> {
  const link = body['@odata.nextLink'];
  return typeof link === 'string'
    ? { ...body, '@odata.nextLink': link.replace('https://outlook.office365.com', base) }
    : body;
}

describe('exchangeClient (InvokeCommand over loopback)', () => {
  it('posts the cmdlet with the anchor mailbox and a bearer token, and asks for ResultSize Unlimited', async () => {
    const { server, client, secrets } = await setup((_req, base) => ({
      status: 200,
      body: collection(base, [{ Name: 'Default' }]),
    }));
    await client.invoke('Get-Mailbox');
    await client.invoke('Get-RemoteDomain');
    const [mailbox, remote] = server.seen;
    expect(mailbox?.url).toBe('/adminapi/beta/contoso.onmicrosoft.com/InvokeCommand');
    expect(mailbox?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(mailbox?.headers['x-anchormailbox']).toBe(
      'UPN:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@contoso.onmicrosoft.com',
    );
    expect(mailbox?.body).toEqual({
      CmdletInput: { CmdletName: 'Get-Mailbox', Parameters: { ResultSize: 'Unlimited' } },
    });
    // Get-RemoteDomain has no -ResultSize; sending it would make the cmdlet fail.
    expect(remote?.body).toEqual({ CmdletInput: { CmdletName: 'Get-RemoteDomain', Parameters: {} } });
    expect(secrets).toContain(TOKEN);
  });

  it('follows @odata.nextLink from a truncated Get-Mailbox page by re-posting the same body', async () => {
    const first = fixture('exo-get-mailbox-truncated-page.json');
    const second = fixture('exo-get-mailbox.json');
    const { server, client } = await setup((req, base) =>
      req.url.includes('skiptoken') ? { status: 200, body: second } : { status: 200, body: rebase(first, base) },
    );
    const mailboxes = await client.invoke('Get-Mailbox');
    expect(mailboxes.map((m) => m.UserPrincipalName)).toEqual([
      'AdeleV@contoso.com',
      'AdeleV@contoso.com',
      'billing@contoso.com',
    ]);
    expect(server.seen).toHaveLength(2);
    expect(server.seen[1]?.url).toBe('/adminapi/beta/contoso.onmicrosoft.com/InvokeCommand?%24skiptoken=CONSTRUCTED');
    expect(server.seen[1]?.body).toEqual(server.seen[0]?.body);
  });

  it('fails closed when the server says the output was truncated and gives no next page', async () => {
    const { client } = await setup((_req, base) => ({
      status: 200,
      body: collection(base, [{ Name: 'a' }], {
        '@adminapi.warnings': [
          'There are more results available than are currently displayed. To view them, increase the value for the ResultSize parameter.',
        ],
      }),
    }));
    await expect(client.invoke('Get-CASMailbox')).rejects.toThrow(/truncated/);
  });

  it('never follows a nextLink to another host (the token would leave)', async () => {
    const { server, client } = await setup((_req, base) => ({
      status: 200,
      body: collection(base, [], { '@odata.nextLink': 'https://attacker.example/InvokeCommand?x=1' }),
    }));
    await expect(client.invoke('Get-Mailbox')).rejects.toThrow(/outside/);
    expect(server.seen).toHaveLength(1);
  });

  it('retries 429 after Retry-After, 503 and 504 with backoff, and a dropped connection', async () => {
    let calls = 0;
    const { client, sleeps } = await setup((_req, base) => {
      calls++;
      if (calls === 1) return { status: 429, headers: { 'retry-after': '2.5' }, body: {} };
      if (calls === 2) return { status: 503, body: {} };
      if (calls === 3) return 'drop';
      return { status: 200, body: collection(base, [{ Name: 'ok' }]) };
    });
    expect(await client.invoke('Get-TransportConfig')).toEqual([{ Name: 'ok' }]);
    expect(sleeps[0]).toBe(2500);
    // Exponential with equal jitter: attempt 1 → 2 s, attempt 2 → 4 s; random()=0.5 gives 3/4 of it.
    expect(sleeps.slice(1)).toEqual([1500, 3000]);
  });

  it('gives up after maxRetries and reports the status', async () => {
    const { client, server } = await setup(() => ({ status: 504, body: {} }));
    const error = await client.invoke('Get-RemoteDomain').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExchangeRequestError);
    expect((error as ExchangeRequestError).status).toBe(504);
    expect(server.seen).toHaveLength(4);
  });

  it.each([401, 403, 404])('classifies HTTP %i on the endpoint as a refusal of the app', async (status) => {
    const { client } = await setup(() => ({
      status,
      body: status === 404 ? undefined : { error: { code: 'Unauthorized', message: 'no' } },
    }));
    const error = await client.invoke('Get-Mailbox').catch((e: unknown) => e);
    expect(isExchangeRefusal(error)).toBe(true);
  });

  it('keeps a cmdlet error (404 with details) apart from a refusal, with the cmdlet text', async () => {
    const { client } = await setup(() => ({ status: 404, body: fixture('exo-error-cmdlet.json') }));
    const error = await client
      .invoke('Get-InboxRule', { Mailbox: 'nobody@contoso.com', IncludeHidden: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExchangeRequestError);
    expect(isExchangeRefusal(error)).toBe(false);
    expect((error as ExchangeRequestError).detail).toMatch(/ManagementObjectNotFoundException/);
  });
});
