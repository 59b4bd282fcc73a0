import { afterEach, describe, expect, it } from 'vitest';
import { exchangeCollectors } from '../../../src/collect/exchange/collectors.js';
import { exchangeClient } from '../../../src/collect/exchange/exchange-client.js';
import type { CollectContext } from '../../../src/collect/live/source-collector.js';
import { silentLogger } from '../../../src/logger.js';
import type { Policy } from '../../../src/policy/policy.js';
import { startInvokeCommandServer, type Handler } from '../../helpers/invoke-command-server.js';

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers) await close();
  closers = [];
});

async function contextFor(handler: Handler): Promise<CollectContext> {
  const server = await startInvokeCommandServer(handler);
  closers.push(server.close);
  const exchange = exchangeClient({
    baseUrl: server.base,
    tenant: 'contoso.onmicrosoft.com',
    getToken: async () => 't',
    logger: silentLogger,
    maxRetries: 1,
    backoff: { baseMs: 1, maxMs: 2, random: () => 0 },
  });
  return {
    logger: silentLogger,
    policy: { controls: new Map() } as unknown as Policy,
    clients: { exchange },
    sources: new Set(),
    earlier: () => undefined,
    extraDomains: [],
    cloud: 'global',
    now: new Date(),
  };
}

describe('Exchange source collectors', () => {
  it.each([401, 403, 404])('record HTTP %i as not_permitted with the exact setup steps', async (status) => {
    const context = await contextFor(() => ({ status, body: { error: { code: 'x', message: 'no' } } }));
    const collected = await exchangeCollectors['exo.remoteDomain']?.(context);
    expect(collected?.status.status).toBe('not_permitted');
    const permission = collected?.status.status === 'not_permitted' ? collected.status.permission : '';
    expect(permission).toContain('Exchange.ManageAsApp');
    expect(permission).toContain('Office 365 Exchange Online');
    expect(permission).toContain('Global Reader');
  });

  it('records another server error as failed, never as data', async () => {
    const context = await contextFor(() => ({
      status: 500,
      body: { error: { code: 'InternalError', message: 'boom' } },
    }));
    const collected = await exchangeCollectors['exo.transportConfig']?.(context);
    expect(collected?.status).toMatchObject({ status: 'failed' });
  });

  it('reads hidden rules of flagged mailboxes only by default, skipping a mailbox that is gone', async () => {
    const context = await contextFor((req, base) => {
      const input = req.body.CmdletInput;
      if (input?.CmdletName === 'Get-Mailbox') {
        return {
          status: 200,
          body: {
            value: [
              // Get-Mailbox always returns both forwarding properties, null when unset.
              {
                UserPrincipalName: 'a@contoso.example',
                ForwardingAddress: null,
                ForwardingSmtpAddress: 'smtp:x@mail.test',
              },
              { UserPrincipalName: 'gone@contoso.example', ForwardingAddress: 'Someone', ForwardingSmtpAddress: null },
              { UserPrincipalName: 'quiet@contoso.example', ForwardingAddress: null, ForwardingSmtpAddress: null },
            ],
          },
        };
      }
      if (input?.Parameters?.Mailbox === 'gone@contoso.example') {
        return {
          status: 404,
          body: {
            error: {
              code: 'NotFound',
              message: 'Error executing cmdlet',
              details: [{ message: 'Ex|ManagementObjectNotFoundException|gone' }],
            },
          },
        };
      }
      return { status: 200, body: { '@odata.context': base, value: [{ Identity: 'a\\1', Name: 'r', Enabled: true }] } };
    });
    const collected = await exchangeCollectors['exo.inboxRule']?.(context);
    expect(collected?.status.status).toBe('ok');
    const rules = collected && 'data' in collected ? collected.data : [];
    expect(rules).toEqual([
      { Identity: 'a\\1', Name: 'r', Enabled: true, MailboxUserPrincipalName: 'a@contoso.example' },
    ]);
  });
});
