import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { exchangeClient } from '../../src/collect/exchange/exchange-client.js';
import { nodeFetch } from '../../src/collect/exchange/node-fetch.js';
import { createSimulatorClients } from '../../src/entry/simulator-clients.js';
import { liveCollector } from '../../src/collect/live/live-collector.js';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { renderFindingIssue } from '../../src/issues/render.js';
import { silentLogger } from '../../src/logger.js';
import type { Result } from '../../src/model/result.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import type { Policy } from '../../src/policy/policy.js';
import type { RealismConfig } from '../../src/simulator/realism.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/start-simulator.js';
import type { MessageRule } from '../../src/snapshot/graph-types.js';
import type { Manifest } from '../../src/snapshot/manifest.js';
import { arrayPageStream, memorySnapshot, type Snapshot } from '../../src/snapshot/snapshot.js';
import { writeSnapshotFolder } from '../../src/snapshot/write-folder.js';
import { DOMAIN, goldenTenant, recipient, rule, type ForwardingTenant } from '../checks/forwarding-tenant.js';
import { FORWARDING_CONTROLS, FORWARDING_SOURCES } from '../helpers/forwarding-controls.js';
import { tempDir } from '../helpers/temp.js';
import { shownResult, place } from '../issues/report-fixture.js';

/**
 * The golden forwarding tenant (test/checks/forwarding-tenant.ts) served by the simulator and
 * audited over the wire: `$batch` for the rules, InvokeCommand for Exchange, DNS for the DKIM
 * CNAMEs. Each test changes one thing and expects exactly one finding (or none).
 */
const NOW = new Date('2026-11-27T06:00:00Z');
const CONTROLS = FORWARDING_CONTROLS;
const EXCHANGE_CONTROLS = [
  'forwarding.mailbox',
  'forwarding.outbound-policy',
  'forwarding.remote-domains',
  'legacy-auth.smtp-auth',
  'dkim.signing',
];
const SOURCES = FORWARDING_SOURCES;

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

function policyFor(params: Record<string, unknown> = {}): Policy {
  const doc = JSON.parse(readFileSync('policies/baseline.json', 'utf8')) as {
    controls: Record<string, Record<string, unknown>>;
  };
  const controls: Record<string, Record<string, unknown>> = {};
  for (const [id, entry] of Object.entries(doc.controls)) controls[id] = { ...entry, enabled: CONTROLS.includes(id) };
  controls['forwarding.inbox-rules'] = { ...controls['forwarding.inbox-rules'], ...params };
  return parsePolicy(JSON.stringify({ ...doc, controls }), 'golden-policy.json', NOW).policy;
}

/** Writes the tenant as a snapshot folder (with the /users list the rule sweep pages through) and serves it. */
async function serve(t: ForwardingTenant, realism?: RealismConfig): Promise<RunningSimulator> {
  const data = {
    'graph.users': t.messageRules.map((m) => ({
      id: m.userId,
      userPrincipalName: m.userPrincipalName,
      accountEnabled: true,
      userType: 'Member',
    })),
    'graph.domains': t.domains,
    'graph.messageRules': arrayPageStream(t.messageRules, 100),
    'graph.mailFolders': null,
    'exo.mailbox': t.mailbox,
    'exo.recipient': t.recipient,
    'exo.hostedOutboundSpamFilterPolicy': t.outboundPolicy,
    'exo.hostedOutboundSpamFilterRule': t.outboundRule,
    'exo.remoteDomain': t.remoteDomain,
    'exo.transportConfig': t.transportConfig,
    'exo.casMailbox': t.casMailbox,
    'exo.dkimSigningConfig': t.dkim,
    'exo.inboxRule': t.inboxRule,
    dns: t.dns,
  } as const;
  const sources: Manifest['sources'] = Object.fromEntries(Object.keys(data).map((id) => [id, { status: 'ok' }]));
  const manifest: Manifest = {
    formatVersion: 1,
    tenantId: '3f2b8c1e-5d4a-4e7f-9a61-2c0d8e7b9f10',
    capturedAt: NOW.toISOString(),
    tool: { name: 'mailwarden', version: 'test' },
    licences: { 'entra-id-p1': true, 'entra-id-p2': true },
    sources,
    domains: t.domains.map((d) => d.id),
  };
  const dir = await tempDir();
  await writeSnapshotFolder(dir, memorySnapshot(manifest, data));
  const sim = await startSimulator({ dir, ...(realism ? { realism } : {}) });
  cleanup.push(() => sim.close());
  return sim;
}

type ExchangeRefusal = 'wrong-tenant' | 'wrong-audience';

/** The production clients against the simulator; optionally an Exchange client it refuses. */
async function collect(sim: RunningSimulator, policy: Policy, refusal?: ExchangeRefusal): Promise<Snapshot> {
  const created = createSimulatorClients(sim, {
    logger: silentLogger,
    dns: true,
    graph: { backoff: { baseMs: 20, maxMs: 200, random: () => 0.5 } },
    exchange: { backoff: { baseMs: 20, maxMs: 200, random: () => 0.5 }, maxPageSize: 1 },
  });
  cleanup.push(created.close);
  let exchange = created.clients.exchange;
  if (refusal !== undefined) {
    // A real InvokeCommand to the simulator that it refuses: a tenant it does not host (404), or
    // a token for Graph instead of Exchange (401, invalid audience).
    const fetch = nodeFetch({ timeoutMs: 10_000, ca: sim.caCertificatePem });
    cleanup.push(async () => fetch.destroy());
    const scope =
      refusal === 'wrong-audience'
        ? `${new URL(sim.graphUrl).origin}/.default`
        : `${new URL(sim.exchangeUrl).origin}/.default`;
    exchange = exchangeClient({
      baseUrl: new URL(sim.exchangeUrl).origin,
      tenant: refusal === 'wrong-tenant' ? 'not-this-tenant.onmicrosoft.com' : sim.tenantId,
      getToken: async () => (await created.credential.getToken(scope))?.token ?? '',
      logger: silentLogger,
      fetch,
      maxRetries: 0,
    });
  }
  const collector = liveCollector({
    mode: 'simulate',
    tenantId: sim.tenantId,
    clients: { ...created.clients, ...(exchange ? { exchange } : {}) },
    extraDomains: [],
    now: () => NOW,
  });
  return collector.collect({ sources: new Set(SOURCES), policy, logger: silentLogger });
}

async function audit(t: ForwardingTenant, params: Record<string, unknown> = {}): Promise<readonly Result[]> {
  const policy = policyFor(params);
  const snapshot = await collect(await serve(t), policy);
  for (const id of SOURCES) expect(snapshot.status(id)?.status, id).toBe('ok');
  return (await evaluate(snapshot, policy, { now: NOW, domains: [] })).results;
}

const notPassing = (rs: readonly Result[]) => rs.filter((r) => r.status !== 'pass');
const summary = (rs: readonly Result[]) => notPassing(rs).map((r) => `${r.control} ${r.target} ${r.status}`);

/** The golden tenant with alex's rules replaced. */
function withAlexRules(...rules: MessageRule[]): ForwardingTenant {
  const t = goldenTenant();
  t.messageRules[2] = { ...t.messageRules[2]!, body: { value: rules } };
  return t;
}

describe('forwarding controls on the golden tenant through the simulator, one mutation each', () => {
  it('passes all 7 controls on the golden tenant', async () => {
    const rs = await audit(goldenTenant());
    expect(summary(rs)).toEqual([]);
    for (const control of CONTROLS)
      expect(
        rs.some((r) => r.control === control && r.status === 'pass'),
        control,
      ).toBe(true);
  });

  it('fails redirectTo given as a single recipient and as a list', async () => {
    for (const redirectTo of [recipient('x@mail.test'), [recipient('x@mail.test')]]) {
      const rs = await audit(withAlexRules(rule('x2', { redirectTo })));
      expect(summary(rs)).toEqual([`forwarding.inbox-rules alex@${DOMAIN}/x2 fail`]);
      expect(notPassing(rs)[0]?.evidence.externalRecipients).toMatchObject([
        { action: 'redirectTo', address: 'x@mail.test' },
      ]);
    }
  });

  it('counts a forward to a subdomain of an accepted domain as internal and to a look-alike as external', async () => {
    expect(summary(await audit(withAlexRules(rule('x3', { forwardTo: [recipient(`lab@eu.lab.${DOMAIN}`)] }))))).toEqual(
      [],
    );
    const rs = await audit(withAlexRules(rule('x4', { forwardTo: [recipient(`a@${DOMAIN}.evil.test`)] })));
    expect(summary(rs)).toEqual([`forwarding.inbox-rules alex@${DOMAIN}/x4 fail`]);
  });

  it('does not count a disabled rule', async () => {
    const rs = await audit(withAlexRules(rule('x5', { forwardTo: [recipient('x@mail.test')] }, { isEnabled: false })));
    expect(summary(rs)).toEqual([]);
    expect(rs.find((r) => r.control === 'forwarding.inbox-rules')?.evidence.sweep).toMatchObject({ disabledRules: 1 });
  });

  it('allows a partner domain on the allow-list, and only with it', async () => {
    const t = () => withAlexRules(rule('x6', { forwardTo: [recipient('orders@partner.test')] }));
    expect(summary(await audit(t(), { partnerDomains: ['partner.test'] }))).toEqual([]);
    expect(summary(await audit(t()))).toEqual([`forwarding.inbox-rules alex@${DOMAIN}/x6 fail`]);
  });

  it('gives error for a rule with an unknown or missing action field and still judges the others', async () => {
    const noActions: MessageRule = { id: 'bad2', displayName: 'no actions', sequence: 2, isEnabled: true };
    const rs = await audit(
      withAlexRules(
        rule('bad1', { forwardToEverybody: true }),
        noActions,
        rule('x8', { forwardTo: [recipient('x@mail.test')] }),
      ),
    );
    expect(
      notPassing(rs)
        .filter((r) => r.control === 'forwarding.inbox-rules')
        .map((r) => `${r.target} ${r.status}`),
    ).toEqual([`alex@${DOMAIN}/bad1 error`, `alex@${DOMAIN}/bad2 error`, `alex@${DOMAIN}/x8 fail`]);
  });

  it('skips and counts a user without a mailbox (404 MailboxNotEnabledForRESTAPI)', async () => {
    const t = goldenTenant();
    t.messageRules.push({
      userId: 'u4',
      userPrincipalName: `room@${DOMAIN}`,
      status: 404,
      body: {
        error: {
          code: 'MailboxNotEnabledForRESTAPI',
          message: 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.',
        },
      },
    });
    const rs = await audit(t);
    expect(summary(rs)).toEqual([]);
    expect(rs.find((r) => r.control === 'forwarding.inbox-rules')?.evidence.sweep).toMatchObject({
      mailboxes: 3,
      noMailbox: 1,
      unreadable: 0,
    });
  });

  it('keeps a hostile rule name verbatim in the evidence and escapes it in the issue body', async () => {
    const hostile = '<img src=x onerror=alert(1)> @security-team [x](https://evil.test) | #1\n| injected |';
    const rs = await audit(
      withAlexRules(rule('x9', { forwardTo: [recipient('x@mail.test', hostile)] }, { displayName: hostile })),
    );
    const [finding] = notPassing(rs);
    expect(summary(rs)).toEqual([`forwarding.inbox-rules alex@${DOMAIN}/x9 fail`]);
    expect(finding?.evidence.ruleName).toBe(hostile);
    const body = renderFindingIssue(
      shownResult(finding!),
      { ...policyFor(), place: place() },
      {
        firstSeen: '2026-11-27',
        lastSeen: '2026-11-27',
        runUrl: undefined,
        status: 'open',
        reopenedAfterManualClose: false,
      },
    ).body;
    expect(body).not.toContain('<img');
    expect(body).not.toContain('](https://evil.test)');
    expect(body).not.toMatch(/(^|[^`\\])@security-team/);
  });

  it('fails a concealment rule and a mailbox forward, one finding each', async () => {
    const hiding = await audit(
      withAlexRules(
        rule('c1', { delete: true, markAsRead: true }, { conditions: { subjectContains: ['wire transfer'] } }),
      ),
    );
    expect(summary(hiding)).toEqual([`forwarding.concealment-rules alex@${DOMAIN}/c1 fail`]);
    const t = goldenTenant();
    t.mailbox[0] = {
      ...t.mailbox[0]!,
      ForwardingSmtpAddress: 'smtp:adele@mail.test',
      DeliverToMailboxAndForward: true,
    };
    expect(summary(await audit(t))).toEqual([`forwarding.mailbox adele@${DOMAIN} fail`]);
  });

  for (const [refusal, status] of [
    ['missing-permission', 403],
    ['wrong-tenant', 404],
    ['wrong-audience', 401],
  ] as const) {
    it(`makes the Exchange controls not_evaluable with setup steps when InvokeCommand answers ${status}, and still judges the Graph ones`, async () => {
      const t = withAlexRules(rule('x10', { forwardTo: [recipient('x@mail.test')] }));
      const sim = await serve(
        t,
        refusal === 'missing-permission' ? { missingPermissions: ['Exchange.ManageAsApp'] } : undefined,
      );
      const policy = policyFor();
      const snapshot = await collect(sim, policy, refusal === 'missing-permission' ? undefined : refusal);
      const mailbox = snapshot.status('exo.mailbox');
      expect(mailbox?.status).toBe('not_permitted');
      expect(mailbox?.status === 'not_permitted' ? mailbox.reason : '').toContain(String(status));
      expect(snapshot.status('graph.messageRules')?.status).toBe('ok');
      const result = await evaluate(snapshot, policy, { now: NOW, domains: [] });
      for (const control of EXCHANGE_CONTROLS) {
        const outcome = result.controls.find((c) => c.control === control);
        expect(outcome?.status, control).toBe('not_evaluable');
        expect(outcome && 'reason' in outcome ? outcome.reason : '', control).toMatch(
          /Exchange\.ManageAsApp.*Global Reader/s,
        );
      }
      // The rule Graph shows still fails; the hidden rules Exchange would have shown are not
      // judged, so the rule controls say so instead of passing and close no issue.
      expect(summary(result.results).filter((s) => s.startsWith('forwarding.inbox-rules'))).toEqual([
        `forwarding.inbox-rules alex@${DOMAIN}/x10 fail`,
        'forwarding.inbox-rules tenant not_evaluable',
      ]);
      const concealment = result.results.filter((r) => r.control === 'forwarding.concealment-rules');
      expect(concealment.map((r) => `${r.target} ${r.status}`)).toEqual(['tenant not_evaluable']);
      expect(concealment[0]?.evidence.unreadSources).toEqual([
        expect.objectContaining({ source: 'exo.inboxRule', status: 'not_permitted' }),
      ]);
      for (const control of ['forwarding.inbox-rules', 'forwarding.concealment-rules'])
        expect(result.controls.find((c) => c.control === control)).toEqual({
          control,
          status: 'evaluated',
          coverage: 'partial',
          unread: ['exo.inboxRule'],
        });
    });
  }
});
