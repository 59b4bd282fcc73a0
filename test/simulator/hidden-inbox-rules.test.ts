import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedClients } from '../../src/collect/live/create-clients.js';
import type { JsonObject } from '../../src/model/json.js';
import type { RunningSimulator } from '../../src/simulator/start-simulator.js';
import { simulatorClients } from '../helpers/simulator-clients.js';
import { simulate } from './simulated-tenant.js';

let sim: RunningSimulator;
let stop: () => Promise<void>;
let clients: CreatedClients;

beforeAll(async () => {
  ({ sim, stop } = await simulate({
    change: (data) => {
      const rules = data.collections['exo.inboxRule'] ?? [];
      // A rule hidden from MAPI, marked in the folder with the @mailwarden.hidden annotation.
      const hidden: JsonObject = {
        Identity: 'user1\\2',
        Name: '',
        Enabled: true,
        MailboxUserPrincipalName: 'user1@alpha.example',
        MailboxOwnerId: 'User 1',
        DeleteMessage: true,
        '@mailwarden.hidden': true,
      };
      data.collections['exo.inboxRule'] = [...rules, hidden];
    },
  }));
  clients = simulatorClients(sim);
});
afterAll(async () => {
  await clients.close();
  await stop();
});

const names = (rules: readonly Record<string, unknown>[]) => rules.map((r) => String(r.Identity)).sort();

describe('simulated Get-InboxRule through the real Exchange admin API client', () => {
  it('lists a rule hidden from MAPI only with -IncludeHidden, and never shows the folder mark', async () => {
    const exchange = clients.clients.exchange;
    if (exchange === undefined) throw new Error('no Exchange client');
    const visible = await exchange.invoke('Get-InboxRule', { Mailbox: 'user1@alpha.example' });
    expect(names(visible)).toEqual(['user1\\1']);
    const all = await exchange.invoke('Get-InboxRule', { Mailbox: 'user1@alpha.example', IncludeHidden: true });
    expect(names(all)).toEqual(['user1\\1', 'user1\\2']);
    expect(all.every((rule) => !Object.hasOwn(rule, '@mailwarden.hidden'))).toBe(true);
    const off = await exchange.invoke('Get-InboxRule', { Mailbox: 'user1@alpha.example', IncludeHidden: false });
    expect(names(off)).toEqual(['user1\\1']);
  });
});
