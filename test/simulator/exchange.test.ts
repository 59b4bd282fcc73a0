import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/simulator/start-simulator.js';
import { invokeCommand, token } from './sim-client.js';
import { simulate } from './simulated-tenant.js';

let sim: RunningSimulator;
let stop: () => Promise<void>;
let bearer: string;

beforeAll(async () => {
  ({ sim, stop } = await simulate({ realism: { exchangeDefaultResultSize: 3 } }));
  bearer = await token(sim, 'https://outlook.office365.com');
});
afterAll(async () => stop());

const getMailbox = (parameters: Record<string, unknown> = {}) => ({
  CmdletInput: { CmdletName: 'Get-Mailbox', Parameters: parameters },
});

describe('simulated Exchange admin API InvokeCommand', () => {
  it('pages with @odata.nextLink; the client re-posts the same body to the link', async () => {
    const body = getMailbox({ ResultSize: 'Unlimited' });
    const names: unknown[] = [];
    let url: string | undefined;
    let pages = 0;
    do {
      const reply = await invokeCommand(sim, bearer, body, { url, pageSize: 2 });
      expect(reply.status).toBe(200);
      expect(reply.body['@adminapi.warnings']).toEqual([]);
      names.push(...(reply.body.value as { UserPrincipalName: string }[]).map((m) => m.UserPrincipalName));
      url = reply.body['@odata.nextLink'] as string | undefined;
      pages++;
    } while (url !== undefined);
    expect(pages).toBe(3);
    expect(names).toHaveLength(5);
  });

  it('truncates Get-Mailbox without ResultSize=Unlimited and says so in @adminapi.warnings', async () => {
    const reply = await invokeCommand(sim, bearer, getMailbox());
    expect(reply.body.value).toHaveLength(3);
    expect(reply.body['@odata.nextLink']).toBeUndefined();
    expect((reply.body['@adminapi.warnings'] as string[])[0]).toMatch(/ResultSize/);
    expect(reply.body['@odata.context']).toMatch(/Collection\(Exchange\.GenericHashTable\)$/);
  });

  it('serves the org-wide cmdlets and Get-InboxRule per mailbox', async () => {
    for (const cmdlet of [
      'Get-HostedOutboundSpamFilterPolicy',
      'Get-RemoteDomain',
      'Get-DkimSigningConfig',
      'Get-TransportConfig',
      'Get-CASMailbox',
    ]) {
      const reply = await invokeCommand(sim, bearer, { CmdletInput: { CmdletName: cmdlet, Parameters: {} } });
      expect(reply.status, cmdlet).toBe(200);
      expect((reply.body.value as unknown[]).length, cmdlet).toBeGreaterThan(0);
    }
    const rules = await invokeCommand(sim, bearer, {
      CmdletInput: { CmdletName: 'Get-InboxRule', Parameters: { Mailbox: 'user1@alpha.example', IncludeHidden: true } },
    });
    expect((rules.body.value as { Name: string }[]).map((r) => r.Name)).toEqual(['fwd']);
    const missing = await invokeCommand(sim, bearer, {
      CmdletInput: { CmdletName: 'Get-InboxRule', Parameters: { Mailbox: 'nobody@alpha.example' } },
    });
    expect(missing.status).toBe(404);
    expect((missing.body.error as { details: { message: string }[] }).details[0]!.message).toMatch(
      /ManagementObjectNotFoundException/,
    );
  });

  it('refuses an unknown cmdlet, a malformed body, a Graph token and no token', async () => {
    expect(
      (await invokeCommand(sim, bearer, { CmdletInput: { CmdletName: 'Set-Mailbox', Parameters: {} } })).status,
    ).toBe(400);
    expect((await invokeCommand(sim, bearer, { nothing: true })).status).toBe(400);
    const graphToken = await token(sim);
    expect((await invokeCommand(sim, graphToken, getMailbox())).status).toBe(401);
    const anonymous = await fetch(`${sim.exchangeUrl}/adminapi/beta/${sim.tenantId}/InvokeCommand`, {
      method: 'POST',
      body: '{}',
    });
    expect(anonymous.status).toBe(401);
  });

  it('accepts the initial domain in place of the tenant ID', async () => {
    const reply = await invokeCommand(sim, bearer, getMailbox({ ResultSize: 'Unlimited' }), {
      url: `${sim.exchangeUrl}/adminapi/beta/alpha.onmicrosoft.com/InvokeCommand`,
    });
    expect(reply.status).toBe(200);
    const wrong = await invokeCommand(sim, bearer, getMailbox(), {
      url: `${sim.exchangeUrl}/adminapi/beta/other.onmicrosoft.com/InvokeCommand`,
    });
    expect(wrong.status).toBe(404);
  });
});
