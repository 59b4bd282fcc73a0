import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorCollector } from '../../src/entry/simulator-collector.js';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { silentLogger } from '../../src/logger.js';
import type { Result } from '../../src/model/result.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import {
  DEFAULT_CAPTURED_AT,
  generateTenant,
  tenantShape,
  type GenerateOptions,
} from '../../src/simulator/generator/generate-tenant.js';
import { scenarios } from '../../src/simulator/generator/scenarios.js';
import { userAt } from '../../src/simulator/generator/tenant-model.js';
import { DOCUMENTED_THROTTLING } from '../../src/simulator/realism.js';
import type { RunningSimulator } from '../../src/simulator/start-simulator.js';
import type { Snapshot } from '../../src/snapshot/snapshot.js';
import { FORWARDING_CONTROLS, FORWARDING_SOURCES } from '../helpers/forwarding-controls.js';
import { tempDir } from '../helpers/temp.js';

/**
 * The 7 mail exfiltration controls on a generated tenant, collected through the simulator
 * (InvokeCommand paged and with a small default ResultSize, `$batch` under the documented
 * throttling, DNS over UDP). The expected verdicts come from the generator's scenario sets,
 * not from the snapshot, so a wrong collector or check shows as a difference.
 */
const CONTROLS = FORWARDING_CONTROLS;
const SOURCES = FORWARDING_SOURCES;
const NOW = DEFAULT_CAPTURED_AT;

function policyText(params: Record<string, Record<string, unknown>> = {}): string {
  const doc = JSON.parse(readFileSync('policies/baseline.json', 'utf8')) as {
    controls: Record<string, Record<string, unknown>>;
  };
  const controls: Record<string, Record<string, unknown>> = {};
  for (const [id, entry] of Object.entries(doc.controls)) {
    controls[id] = { ...entry, enabled: CONTROLS.includes(id), ...params[id] };
  }
  return JSON.stringify({ ...doc, controls });
}

async function judge(
  snapshot: Snapshot,
  params: Record<string, Record<string, unknown>> = {},
): Promise<readonly Result[]> {
  const { policy } = parsePolicy(policyText(params), 'generated-policy.json', NOW);
  return (await evaluate(snapshot, policy, { now: NOW, domains: [] })).results;
}

const targets = (rs: readonly Result[], control: string, status: Result['status']) =>
  rs
    .filter((r) => r.control === control && r.status === status)
    .map((r) => r.target)
    .sort();
const mailboxes = (rs: readonly Result[], control: string, status: Result['status']) =>
  [...new Set(targets(rs, control, status).map((t) => t.split('/')[0] ?? ''))].sort();

describe('mail exfiltration controls on a generated tenant, through the simulator', () => {
  const options: GenerateOptions = { out: '', users: 400, seed: 7, signIns: 10, name: 'Fabrikam' };
  const shape = tenantShape(options);
  const s = scenarios(shape);
  const users = Array.from({ length: shape.users }, (_, i) => userAt(shape, i));
  const upns = (indices: Iterable<number>) => [...indices].map((i) => users[i]?.upn ?? '').sort();
  let snapshot: Snapshot;
  let results: readonly Result[];
  let sim: RunningSimulator | undefined;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const dir = await tempDir();
    await generateTenant({ ...options, out: dir });
    const collector = simulatorCollector({
      dir,
      logger: silentLogger,
      now: () => NOW,
      // Get-Mailbox without ResultSize would stop at 7 objects; pages of 25 force nextLink.
      realism: {
        seed: 1,
        throttling: DOCUMENTED_THROTTLING,
        latency: { kind: 'fixed', ms: 1 },
        exchangeDefaultResultSize: 7,
      },
      clients: { exchange: { maxPageSize: 25 } },
      onStarted: (started) => {
        sim = started;
      },
    });
    close = async () => {
      await collector.close?.();
    };
    const { policy } = parsePolicy(policyText(), 'generated-policy.json', NOW);
    snapshot = await collector.collect({ sources: new Set(SOURCES), policy, logger: silentLogger });
    results = await judge(snapshot);
  }, 60_000);
  afterAll(async () => {
    await close?.();
  });

  it('collects every source, all mailboxes past the truncated first Get-Mailbox page', () => {
    for (const id of SOURCES) expect(snapshot.status(id)?.status, id).toBe('ok');
    expect(snapshot.data('exo.mailbox')).toHaveLength(users.filter((u) => u.hasMailbox).length);
    expect(snapshot.data('exo.casMailbox')).toHaveLength(users.filter((u) => u.hasMailbox).length);
    expect(sim?.stats().requests.exchange).toBeGreaterThan(2 * Math.ceil(users.length / 25));
  });

  it('forwarding.inbox-rules fails exactly the planted external forwards, and counts users without a mailbox', () => {
    expect(mailboxes(results, 'forwarding.inbox-rules', 'fail')).toEqual(upns(s.forwarders));
    expect(targets(results, 'forwarding.inbox-rules', 'error')).toEqual([]);
    const sweep = results.find((r) => r.control === 'forwarding.inbox-rules')?.evidence.sweep;
    // Guests are not asked (their mailbox is in their home tenant); other users without one get 404.
    expect(sweep).toMatchObject({
      mailboxes: users.filter((u) => u.hasMailbox).length,
      noMailbox: users.filter((u) => !u.hasMailbox && u.kind !== 'guest').length,
      unreadable: 0,
    });
  });

  it('forwarding.concealment-rules fails exactly the planted concealing mailboxes', () => {
    expect(mailboxes(results, 'forwarding.concealment-rules', 'fail')).toEqual(upns(s.concealers));
    expect(targets(results, 'forwarding.concealment-rules', 'error')).toEqual([]);
  });

  it('reads hidden rules of the flagged mailboxes and judges a hidden concealing rule there', () => {
    const hidden = results.filter((r) => r.control === 'forwarding.concealment-rules' && r.evidence.hidden === true);
    const flaggedConcealers = [...s.concealers].filter((i) => s.mailboxForwarders.has(i));
    expect(hidden.map((r) => String(r.evidence.mailbox)).sort()).toEqual(upns(flaggedConcealers));
    for (const r of hidden) expect(r.severity).toBe('critical');
  });

  it('forwarding.mailbox fails exactly the mailboxes forwarding outside', () => {
    expect(targets(results, 'forwarding.mailbox', 'fail')).toEqual(upns(s.mailboxForwarders));
    expect(targets(results, 'forwarding.mailbox', 'error')).toEqual([]);
  });

  it('forwarding.outbound-policy fails the custom On policy and passes the default Automatic one', () => {
    expect(targets(results, 'forwarding.outbound-policy', 'fail')).toEqual([
      'outbound-policy/Allow forwarding - finance',
    ]);
    expect(targets(results, 'forwarding.outbound-policy', 'pass')).toEqual(['outbound-policy/Default']);
  });

  it('forwarding.remote-domains fails the remote domain that auto-forwards and passes *', () => {
    expect(targets(results, 'forwarding.remote-domains', 'fail')).toEqual(['remote-domain/partner-lab.example']);
    expect(targets(results, 'forwarding.remote-domains', 'pass')).toEqual(['remote-domain/*']);
  });

  it('legacy-auth.smtp-auth passes the organisation and lists the mailboxes that turn SMTP AUTH back on', () => {
    expect(targets(results, 'legacy-auth.smtp-auth', 'pass')).toEqual(['tenant']);
    expect(targets(results, 'legacy-auth.smtp-auth', 'fail')).toEqual(
      [...s.smtpAuth].map((i) => users[i]?.mail ?? '').sort(),
    );
  });

  it('dkim.signing passes the signed domain with both CNAMEs and the initial domain, and fails the other two', () => {
    expect(targets(results, 'dkim.signing', 'pass')).toEqual([shape.domains[0], shape.initialDomain].sort());
    expect(targets(results, 'dkim.signing', 'fail')).toEqual([shape.domains[1], shape.domains[2]].sort());
  });

  it('passes the remote domain and the finance policy once the policy allows them (no other verdict moves)', async () => {
    const rule = snapshot.data('exo.hostedOutboundSpamFilterRule')[0];
    const senders = Array.isArray(rule?.From) ? rule.From.map(String) : [];
    expect(senders.length).toBeGreaterThan(0);
    // The rule stream was read once already; only the Exchange-backed controls are judged again.
    const again = await judge(snapshot, {
      'forwarding.inbox-rules': { enabled: false },
      'forwarding.concealment-rules': { enabled: false },
      'forwarding.remote-domains': { partnerDomains: ['partner-lab.example'] },
      'forwarding.outbound-policy': { allowedForwardingSenders: senders },
    });
    expect(targets(again, 'forwarding.remote-domains', 'fail')).toEqual([]);
    expect(targets(again, 'forwarding.outbound-policy', 'fail')).toEqual([]);
    expect(targets(again, 'forwarding.mailbox', 'fail')).toEqual(upns(s.mailboxForwarders));
  });
});
