import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';
import type { Result } from '../../src/model/result.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import { goldenTenant as identityTenant, identityPolicyText, tenantSnapshot } from '../helpers/identity-tenant.js';
import { type ForwardingTenant, goldenTenant, judge } from './forwarding-tenant.js';

/*
 * No pass over nothing: a collection a tenant cannot have empty (users, mailboxes, the Default
 * outbound spam policy and remote domain, its initial domain) that comes back empty is an
 * `error` naming what was empty, never a pass. Each case starts from a golden tenant where the
 * control passes and empties one collection.
 */

const NOW = new Date('2026-11-27T12:00:00Z');

const verdicts = (rs: readonly Result[]) => rs.map((r) => `${r.target} ${r.status}`);

async function emptied(control: string, empty: (t: ForwardingTenant) => void): Promise<readonly Result[]> {
  const before = await judge(control, goldenTenant());
  expect(
    before.every((r) => r.status === 'pass'),
    `${control} passes the golden tenant`,
  ).toBe(true);
  const t = goldenTenant();
  empty(t);
  return judge(control, t);
}

describe('a collection that cannot be empty, read empty', () => {
  it.each([
    [
      'forwarding.mailbox',
      (t: ForwardingTenant): void => {
        t.mailbox = [];
      },
      /Get-Mailbox returned no mailbox/,
    ],
    [
      'forwarding.outbound-policy',
      (t: ForwardingTenant): void => {
        t.outboundPolicy = [];
      },
      /no policy, but every tenant has the Default policy/,
    ],
    [
      'forwarding.remote-domains',
      (t: ForwardingTenant): void => {
        t.remoteDomain = [];
      },
      /no remote domain/,
    ],
    [
      'legacy-auth.smtp-auth',
      (t: ForwardingTenant): void => {
        t.casMailbox = [];
      },
      /Get-CASMailbox returned no mailbox/,
    ],
    [
      'forwarding.inbox-rules',
      (t: ForwardingTenant): void => {
        t.messageRules = [];
      },
      /No mailbox's inbox rules were read/,
    ],
    [
      'forwarding.concealment-rules',
      (t: ForwardingTenant): void => {
        t.messageRules = [];
      },
      /No mailbox's inbox rules were read/,
    ],
    [
      'dkim.signing',
      (t: ForwardingTenant): void => {
        t.domains = [];
      },
      /listed no email domain/,
    ],
  ] as const)('%s: error, never a pass', async (control, empty, message) => {
    const rs = await emptied(control, empty);
    expect(verdicts(rs)).toEqual(['tenant error']);
    expect(rs[0]?.message).toMatch(message);
    expect(rs[0]?.evidence).toMatchObject({ empty: true });
  });

  it('mfa.registration: no user, or no enabled member user, is an error', async () => {
    const { policy } = parsePolicy(identityPolicyText(), 'identity.json', NOW);
    const run = async (change: (t: ReturnType<typeof identityTenant>) => void) => {
      const t = identityTenant();
      change(t);
      const rs = (await evaluate(tenantSnapshot(t), policy, { now: NOW, domains: [] })).results;
      return rs.filter((r) => r.control === 'mfa.registration');
    };
    expect(verdicts(await run(() => undefined))).toEqual(['tenant pass']);
    const none = await run((t) => {
      t.users = [];
    });
    expect(verdicts(none)).toEqual(['tenant error']);
    expect(none[0]?.message).toMatch(/graph.users listed no user/);
    const disabled = await run((t) => {
      for (const u of t.users) u.accountEnabled = false;
    });
    expect(verdicts(disabled)).toEqual(['tenant error']);
    expect(disabled[0]?.message).toMatch(/No enabled member user to measure/);
  });
});
