import { afterEach, describe, expect, it } from 'vitest';
import { exchangeCollectors } from '../../../src/collect/exchange/collectors.js';
import { exchangeClient } from '../../../src/collect/exchange/exchange-client.js';
import { MAILBOX_SWEEP_CONCURRENCY } from '../../../src/collect/exchange/mailbox-sweep.js';
import type { CollectContext } from '../../../src/collect/live/source-collector.js';
import { silentLogger } from '../../../src/logger.js';
import type { Policy } from '../../../src/policy/policy.js';
import type { ExchangeObject } from '../../../src/snapshot/exchange-types.js';
import { inShard } from '../../../src/snapshot/shard.js';
import {
  collection,
  type Handler,
  type SeenRequest,
  startInvokeCommandServer,
} from '../../helpers/invoke-command-server.js';

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers) await close();
  closers = [];
});

async function contextFor(
  handler: Handler,
  extra: Partial<CollectContext> = {},
): Promise<{ context: CollectContext; seen: SeenRequest[] }> {
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
    seen: server.seen,
    context: {
      logger: silentLogger,
      policy: { controls: new Map() } as unknown as Policy,
      clients: { exchange },
      sources: new Set(),
      earlier: () => undefined,
      extraDomains: [],
      cloud: 'global',
      now: new Date(),
      ...extra,
    },
  };
}

const notFound = {
  status: 404,
  body: {
    error: {
      code: 'NotFound',
      message: 'Error executing cmdlet',
      details: [
        { message: "Ex|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|couldn't be found" },
      ],
    },
  },
};

const mailbox = (upn: string, type: string, id: string): ExchangeObject => ({
  UserPrincipalName: upn,
  RecipientTypeDetails: type,
  ExternalDirectoryObjectId: id,
  ForwardingAddress: null,
  ForwardingSmtpAddress: null,
});

const MAILBOXES: ExchangeObject[] = [
  mailbox('a@contoso.example', 'UserMailbox', 'id-a'),
  mailbox('desk@contoso.example', 'SharedMailbox', 'id-d'),
  mailbox('room@contoso.example', 'RoomMailbox', 'id-r'),
  mailbox('gone@contoso.example', 'UserMailbox', 'id-g'),
];

describe('Get-MailboxPermission sweep', () => {
  it('asks once per user and shared mailbox by Identity with ResultSize Unlimited, keeps explicit rows marked with the mailbox, skips one that is gone', async () => {
    const { context, seen } = await contextFor(
      (req, base) => {
        const input = req.body.CmdletInput;
        if (input?.Parameters?.Identity === 'gone@contoso.example') return notFound;
        return {
          status: 200,
          body: collection(base, [
            {
              Identity: 'A',
              User: 'NT AUTHORITY\\SELF',
              AccessRights: ['FullAccess', 'ReadPermission'],
              IsInherited: false,
              Deny: false,
              Extra: 'x',
            },
            {
              Identity: 'A',
              User: 'Organization Management',
              AccessRights: ['FullAccess'],
              IsInherited: true,
              Deny: true,
            },
          ]),
        };
      },
      { earlier: ((id: string) => (id === 'exo.mailbox' ? MAILBOXES : undefined)) as CollectContext['earlier'] },
    );
    const collected = await exchangeCollectors['exo.mailboxPermission']?.(context);
    expect(collected?.status, JSON.stringify(collected?.status)).toMatchObject({ status: 'ok', count: 2 });
    const calls = seen.map((s) => s.body.CmdletInput);
    expect(calls.map((c) => c?.CmdletName)).toEqual(Array(3).fill('Get-MailboxPermission'));
    expect(
      calls.map((c) => c?.Parameters).sort((x, y) => String(x?.Identity).localeCompare(String(y?.Identity))),
    ).toEqual([
      { Identity: 'a@contoso.example', ResultSize: 'Unlimited' },
      { Identity: 'desk@contoso.example', ResultSize: 'Unlimited' },
      { Identity: 'gone@contoso.example', ResultSize: 'Unlimited' },
    ]);
    const rows = collected && 'data' in collected ? collected.data : [];
    expect(rows).toContainEqual({
      Identity: 'A',
      User: 'NT AUTHORITY\\SELF',
      AccessRights: ['FullAccess', 'ReadPermission'],
      IsInherited: false,
      Deny: false,
      MailboxUserPrincipalName: 'a@contoso.example',
    });
    expect(rows.every((r) => r.IsInherited === false)).toBe(true);
  });

  it('keeps at most the sweep concurrency in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const many = Array.from({ length: 20 }, (_, i) => mailbox(`u${i}@contoso.example`, 'UserMailbox', `id-${i}`));
    const server = await startInvokeCommandServer((_req, base) => ({ status: 200, body: collection(base, []) }));
    closers.push(server.close);
    const exchange = exchangeClient({
      baseUrl: server.base,
      tenant: 'contoso.onmicrosoft.com',
      getToken: async () => 't',
      logger: silentLogger,
      fetch: async (input, init) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        try {
          await new Promise((r) => setTimeout(r, 5));
          return await fetch(input, init);
        } finally {
          inFlight--;
        }
      },
    });
    const context: CollectContext = {
      logger: silentLogger,
      policy: { controls: new Map() } as unknown as Policy,
      clients: { exchange },
      sources: new Set(),
      earlier: ((id: string) => (id === 'exo.mailbox' ? many : undefined)) as CollectContext['earlier'],
      extraDomains: [],
      cloud: 'global',
      now: new Date(),
    };
    expect((await exchangeCollectors['exo.mailboxPermission']?.(context))?.status.status).toBe('ok');
    expect(peak).toBe(MAILBOX_SWEEP_CONCURRENCY);
  });

  it('sweeps only the mailboxes of its shard', async () => {
    const { context, seen } = await contextFor((_req, base) => ({ status: 200, body: collection(base, []) }), {
      earlier: ((id: string) => (id === 'exo.mailbox' ? MAILBOXES : undefined)) as CollectContext['earlier'],
      shard: { index: 2, count: 2 },
    });
    await exchangeCollectors['exo.mailboxPermission']?.(context);
    const asked = seen.map((s) => s.body.CmdletInput?.Parameters?.Identity);
    const expected = MAILBOXES.filter((m) => m.RecipientTypeDetails !== 'RoomMailbox')
      .filter((m) => inShard(String(m.ExternalDirectoryObjectId), { index: 2, count: 2 }))
      .map((m) => m.UserPrincipalName);
    expect(asked.sort()).toEqual(expected.sort());
  });

  it('stops on a refusal and records it as not_permitted', async () => {
    const { context } = await contextFor(
      () => ({ status: 403, body: { error: { code: 'Forbidden', message: 'no' } } }),
      {
        earlier: ((id: string) => (id === 'exo.mailbox' ? MAILBOXES : undefined)) as CollectContext['earlier'],
      },
    );
    expect((await exchangeCollectors['exo.mailboxPermission']?.(context))?.status.status).toBe('not_permitted');
  });
});

describe('cmdlets the new controls run', () => {
  it("records a cmdlet the app's Exchange roles leave out as not_permitted, naming how to find the role", async () => {
    const { context } = await contextFor(() => ({
      status: 400,
      body: {
        error: {
          code: 'BadRequest',
          message: 'Error executing cmdlet',
          details: [
            {
              message:
                "Ex|System.Management.Automation.CommandNotFoundException|The term 'Get-MailboxAuditBypassAssociation' is not recognized as the name of a cmdlet.",
            },
          ],
        },
      },
    }));
    const collected = await exchangeCollectors['exo.mailboxAuditBypassAssociation']?.(context);
    expect(collected?.status.status).toBe('not_permitted');
    const permission = collected?.status.status === 'not_permitted' ? collected.status.permission : '';
    expect(permission).toContain('Get-ManagementRole -Cmdlet Get-MailboxAuditBypassAssociation');
    expect(permission).toContain('Exchange.ManageAsApp');
  });

  it('reads Get-AdminAuditLogConfig from the Exchange Online admin API it was given, never another host', async () => {
    const { context, seen } = await contextFor((_req, base) => ({
      status: 200,
      body: collection(base, [{ Identity: 'Admin Audit Log Settings', UnifiedAuditLogIngestionEnabled: true }]),
    }));
    const collected = await exchangeCollectors['exo.adminAuditLogConfig']?.(context);
    expect(collected?.status).toMatchObject({ status: 'ok', count: 1 });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe('/adminapi/beta/contoso.onmicrosoft.com/InvokeCommand');
    expect(seen[0]?.body.CmdletInput).toEqual({ CmdletName: 'Get-AdminAuditLogConfig', Parameters: {} });
  });

  it.each([
    ['exo.transportRule', 'Get-TransportRule', { ResultSize: 'Unlimited' }],
    ['exo.outboundConnector', 'Get-OutboundConnector', { IncludeTestModeConnectors: true, ResultSize: 'Unlimited' }],
    ['exo.recipientPermission', 'Get-RecipientPermission', { AccessRights: 'SendAs', ResultSize: 'Unlimited' }],
    ['exo.mailboxAuditBypassAssociation', 'Get-MailboxAuditBypassAssociation', { ResultSize: 'Unlimited' }],
    ['exo.organizationConfig', 'Get-OrganizationConfig', {}],
    ['exo.applicationAccessPolicy', 'Get-ApplicationAccessPolicy', {}],
    ['exo.managementRoleAssignment', 'Get-ManagementRoleAssignment', {}],
    ['exo.servicePrincipal', 'Get-ServicePrincipal', {}],
  ] as const)('%s runs %s with %j', async (source, cmdlet, parameters) => {
    const { context, seen } = await contextFor((_req, base) => ({ status: 200, body: collection(base, []) }));
    const collected = await exchangeCollectors[source]?.(context);
    expect(collected?.status).toMatchObject({ status: 'ok', count: 0 });
    expect(seen[0]?.body.CmdletInput).toEqual({ CmdletName: cmdlet, Parameters: parameters });
  });

  it('keeps only AuditDisabled (and names) of Get-OrganizationConfig, and fails closed on a truncation warning', async () => {
    const { context } = await contextFor((_req, base) => ({
      status: 200,
      body: collection(base, [
        { Identity: 'contoso', Name: 'contoso', AuditDisabled: false, MailTipsAllTipsEnabled: true },
      ]),
    }));
    const collected = await exchangeCollectors['exo.organizationConfig']?.(context);
    expect(collected && 'data' in collected ? collected.data : []).toEqual([
      { Identity: 'contoso', Name: 'contoso', AuditDisabled: false },
    ]);
    const truncated = await contextFor((_req, base) => ({
      status: 200,
      body: collection(base, [{ Name: 'r' }], {
        '@adminapi.warnings': ['There are more results available than are currently displayed.'],
      }),
    }));
    expect((await exchangeCollectors['exo.transportRule']?.(truncated.context))?.status.status).toBe('failed');
  });
});
