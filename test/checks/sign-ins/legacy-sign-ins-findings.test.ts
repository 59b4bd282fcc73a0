import { describe, expect, it } from 'vitest';
import type { SignIn } from '../../../src/snapshot/graph-types.js';
import { evaluateSignIns, resultsOf } from '../../helpers/sign-in-evaluate.js';
import { signIn } from '../../helpers/sign-in-generator.js';

/*
 * What legacy-auth.sign-ins says: each user's legacy protocols (sorted, each once), the tenant's
 * failed legacy attempts, and a pass that still counts the attempts that failed.
 */

const NOW = new Date('2026-11-27T06:00:00Z');
const at = (minutesBefore: number): number => NOW.getTime() - minutesBefore * 60_000;

const event = (id: string, minutesBefore: number, user: string, client: string, errorCode = 0): SignIn =>
  signIn({ id, time: at(minutesBefore), user: `${user}@contoso.test`, ip: '198.51.100.20', client, errorCode });

async function legacy(events: readonly SignIn[]) {
  const results = await evaluateSignIns({ now: NOW, pages: [events], controls: { 'legacy-auth.sign-ins': {} } });
  return resultsOf(results, 'legacy-auth.sign-ins');
}

describe('legacy-auth.sign-ins findings', () => {
  it("names each legacy protocol once, sorted, and counts the tenant's failed legacy attempts", async () => {
    const results = await legacy([
      event('imap', 10, 'a', 'IMAP4'),
      event('pop', 35, 'a', 'POP3'),
      event('imap-2', 30, 'a', 'IMAP4'),
      event('pop-failed', 40, 'a', 'POP3', 50126),
      // Only failures: counted apart.
      event('smtp-failed', 50, 'b', 'Authenticated SMTP', 50126),
      // A modern client and an unknown one are no legacy sign-ins.
      event('browser', 60, 'c', 'Browser'),
      event('new', 70, 'c', 'Holo client'),
      { ...event('none', 80, 'c', 'Browser'), clientAppUsed: null },
    ]);
    expect(results.map((r) => [r.target, r.status, r.message])).toEqual([
      ['a@contoso.test', 'fail', '3 successful legacy-protocol sign-in(s) (IMAP4, POP3).'],
    ]);
    expect(results[0]?.evidence).toMatchObject({
      protocols: ['IMAP4', 'POP3'],
      successfulSignIns: { total: 3 },
      failedAttempts: { total: 1 },
      tenantLegacyAttempts: { failedLegacyAttempts: 2, usersWithOnlyFailedLegacyAttempts: 1 },
      scan: { eventsInWindow: 8, eventsAnalysed: 6, skipped: { unknownClientApp: 2 } },
    });
  });

  it('a pass over failed legacy attempts only still counts them', async () => {
    const results = await legacy([
      event('smtp-failed', 50, 'b', 'Authenticated SMTP', 50126),
      event('pop-failed', 40, 'b', 'POP3', 50053),
      event('browser', 60, 'c', 'Browser'),
    ]);
    expect(results.map((r) => [r.target, r.status, r.message])).toEqual([
      [
        'tenant',
        'pass',
        'No successful legacy-protocol sign-ins among 3 events from 2026-11-26T05:00:00.000Z to 2026-11-27T06:00:00.000Z.',
      ],
    ]);
    expect(results[0]?.evidence).toMatchObject({
      tenantLegacyAttempts: { failedLegacyAttempts: 2, usersWithOnlyFailedLegacyAttempts: 1 },
    });
  });

  it('a modern client in any spelling is no legacy sign-in, whatever it was read after', async () => {
    const results = await legacy([
      event('exchange', 10, 'a', 'Exchange ActiveSync'),
      event('browser', 20, 'b', 'browser'),
      event('mobile', 30, 'b', 'Mobile Apps and Desktop clients'),
    ]);
    expect(results.map((r) => [r.target, r.status])).toEqual([['a@contoso.test', 'fail']]);
    expect(results[0]?.evidence).toMatchObject({ scan: { eventsAnalysed: 3 } });
  });
});
