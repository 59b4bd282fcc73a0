import { describe, expect, it } from 'vitest';
import { runChecks, startEarlyStream } from '../../src/evaluate/run-checks.js';
import { selectControls } from '../../src/evaluate/selection.js';
import type { Finding } from '../../src/model/finding.js';
import type { GraphDomain, MailboxMessageRules, SignIn } from '../../src/snapshot/graph-types.js';
import type { Manifest } from '../../src/snapshot/manifest.js';
import { memorySnapshot, type PageStream, type SourceDataMap } from '../../src/snapshot/snapshot.js';
import type { SourceId } from '../../src/snapshot/source-id.js';
import type { SourceStatus } from '../../src/snapshot/source-status.js';
import { UNIT_NOW, unitManifest, unitPolicy } from '../helpers/evaluate-unit.js';
import { signIn } from '../helpers/sign-in-generator.js';

/*
 * Running the checks: a gated control gets one finding per audited domain (or one tenant-level
 * finding), a check that throws is an `error` for its control and never a crash, and a stream
 * cut short is an `error` for every fold on it, with what was covered, never a quiet partial pass.
 */

const OK: SourceStatus = { status: 'ok' };
const FAILED_SOURCE: SourceStatus = { status: 'failed', reason: 'HTTP 503' };
const DOMAINS: GraphDomain[] = [
  { id: 'contoso.example', isVerified: true, isDefault: true, isInitial: false, supportedServices: ['Email'] },
];

type Data = Partial<{ [K in SourceId]: SourceDataMap[K] }>;

function snapshotOf(sources: Partial<Record<SourceId, SourceStatus>>, data: Data, extra: Partial<Manifest> = {}) {
  return memorySnapshot(unitManifest(sources, extra), data);
}

/** A stream that gives its pages, then fails the way a cut connection does. */
function cutStream<T>(pages: readonly (readonly T[])[], reason: string): PageStream<T> {
  return {
    async *pages() {
      for (const page of pages) yield page;
      throw new Error(reason);
    },
  };
}

function emptyStream<T>(): PageStream<T> {
  return {
    async *pages() {
      yield [];
    },
  };
}

const verdicts = (findings: ReadonlyMap<string, readonly Finding[]>) =>
  Object.fromEntries([...findings].map(([id, fs]) => [id, fs.map((f) => `${f.target} ${f.status}`)]));

describe('runChecks: gates and thrown checks', () => {
  it('gives a gated domain control one finding per audited domain, a tenant control one', async () => {
    const policy = unitPolicy({ 'spf.record': { enabled: true }, 'mfa.weak-methods': { enabled: true } });
    const snapshot = snapshotOf(
      {
        dns: { status: 'failed', reason: 'resolver timed out' },
        'graph.authenticationMethodsPolicy': { status: 'failed', reason: 'HTTP 503' },
      },
      {},
    );
    const out = await runChecks(snapshot, policy, selectControls(policy), {
      now: UNIT_NOW,
      domains: ['a.example', 'b.example'],
    });
    expect(verdicts(out.findings)).toEqual({
      'spf.record': ['a.example error', 'b.example error'],
      'mfa.weak-methods': ['tenant error'],
    });
    expect(out.findings.get('spf.record')?.[1]).toEqual({
      target: 'b.example',
      status: 'error',
      message: 'Source dns could not be read: resolver timed out',
      evidence: { source: 'dns', reason: 'resolver timed out' },
    });
    const none = await runChecks(snapshot, policy, selectControls(policy), { now: UNIT_NOW, domains: [] });
    expect(verdicts(none.findings)['spf.record']).toEqual(['tenant error']);
    expect(out.streamFailures).toEqual([]);
    expect('carried' in out).toBe(false);
  });

  it('a check that throws is an error for its control, naming why', async () => {
    const policy = unitPolicy({ 'mfa.weak-methods': { enabled: true } });
    // The source says ok but holds no data: reading it throws inside the check.
    const snapshot = snapshotOf({ 'graph.authenticationMethodsPolicy': OK }, {});
    const out = await runChecks(snapshot, policy, selectControls(policy), { now: UNIT_NOW, domains: [] });
    const why = 'source graph.authenticationMethodsPolicy is not available (status ok)';
    expect(out.findings.get('mfa.weak-methods')).toEqual([
      { target: 'tenant', status: 'error', message: `The check failed: ${why}`, evidence: { error: why } },
    ]);
  });

  it('a stream check whose start throws is an error for its control, and reads no stream', async () => {
    const policy = unitPolicy({ 'forwarding.inbox-rules': { enabled: true } });
    // graph.domains says ok but holds no data: the fold reads it when it starts.
    const snapshot = snapshotOf(
      { 'graph.messageRules': OK, 'graph.domains': OK },
      { 'graph.messageRules': cutStream<MailboxMessageRules>([], 'must not be read') },
    );
    const out = await runChecks(snapshot, policy, selectControls(policy), { now: UNIT_NOW, domains: [] });
    const why = 'source graph.domains is not available (status ok)';
    expect(out.findings.get('forwarding.inbox-rules')).toEqual([
      { target: 'tenant', status: 'error', message: `The check failed: ${why}`, evidence: { error: why } },
    ]);
    expect(out.streamFailures).toEqual([]);
  });
});

describe('runChecks: the context each check gets', () => {
  it('hands a check only its own active exceptions', async () => {
    const exception = (control: string, target: string, expires = '2026-12-31') => ({
      control,
      target,
      reason: 'vendor migration under way',
      approvedBy: 'CISO',
      expires,
    });
    const policy = unitPolicy({ 'mfa.registration': { enabled: true }, 'mfa.weak-methods': { enabled: true } }, [
      exception('mfa.registration', 'Alice@contoso.example'),
      exception('mfa.registration', 'bob@contoso.example', '2026-11-26'),
      exception('mfa.weak-methods', 'carol@contoso.example'),
    ]);
    const user = (name: string) => ({
      id: name,
      userPrincipalName: `${name}@contoso.example`,
      accountEnabled: true,
      userType: 'Member',
    });
    const registration = (name: string) => ({
      id: name,
      userPrincipalName: `${name}@contoso.example`,
      isMfaRegistered: true,
      isMfaCapable: true,
      methodsRegistered: ['microsoftAuthenticatorPush'],
    });
    const names = ['alice', 'bob', 'carol', 'dave'];
    const snapshot = snapshotOf(
      { 'graph.users': OK, 'graph.userRegistrationDetails': OK, 'graph.authenticationMethodsPolicy': FAILED_SOURCE },
      { 'graph.users': names.map(user), 'graph.userRegistrationDetails': names.map(registration) },
    );
    const out = await runChecks(snapshot, policy, selectControls(policy), { now: UNIT_NOW, domains: [] });
    const honoured = (out.findings.get('mfa.registration') ?? []).flatMap((f) => f.honouredExceptions ?? []);
    expect(honoured).toEqual(['alice@contoso.example']);
  });

  it('hands a DNS check the audited domains, the tenant and the cloud (worldwide when the manifest has none)', async () => {
    const policy = unitPolicy({ 'spf.authorizes-m365': { enabled: true }, 'dkim.keys': { enabled: true } });
    const run = (extra: Partial<Manifest>, domains: readonly string[]) =>
      runChecks(
        snapshotOf({ dns: OK }, { dns: { answers: {} } } as Data, extra),
        policy,
        selectControls(policy, { scope: extra.tenantId === null ? 'dns-only' : 'tenant' }),
        { now: UNIT_NOW, domains },
      );
    const dnsOnly = await run({ tenantId: null }, ['contoso.onmicrosoft.com', 'contoso.example']);
    // Microsoft runs the initial domain's DNS: a pass that read none.
    expect(dnsOnly.findings.get('dkim.keys')?.find((f) => f.target === 'contoso.onmicrosoft.com')?.status).toBe('pass');
    const spf = dnsOnly.findings.get('spf.authorizes-m365') ?? [];
    expect(spf.map((f) => f.target).sort()).toEqual(['contoso.example', 'contoso.onmicrosoft.com']);
    expect(spf.find((f) => f.target === 'contoso.example')?.evidence.cloud).toBe('global');
    const usgov = await run({ tenantId: null, cloud: 'usgov' }, ['contoso.example']);
    expect(usgov.findings.get('spf.authorizes-m365')?.map((f) => f.evidence.cloud)).toEqual(['usgov']);
    // A tenant always has its initial domain: a tenant run that audited no domain is a fault.
    const none = await run({}, []);
    expect(none.findings.get('dkim.keys')?.map((f) => `${f.target} ${f.status}`)).toEqual(['tenant error']);
  });
});

describe('runChecks: streams', () => {
  const signIns = () =>
    unitPolicy({ 'sign-ins.countries': { enabled: true }, 'sign-ins.break-glass': { enabled: true } });

  it('a sign-in stream cut part-way is an error for every fold on it, with what was covered', async () => {
    const policy = signIns();
    const snapshot = snapshotOf(
      { 'graph.signIns': OK },
      { 'graph.signIns': cutStream<SignIn>([[], []], 'connection reset') },
    );
    const out = await runChecks(snapshot, policy, selectControls(policy), { now: UNIT_NOW, domains: [] });
    for (const id of ['sign-ins.countries', 'sign-ins.break-glass']) {
      const [only, ...rest] = out.findings.get(id) ?? [];
      expect(rest).toEqual([]);
      expect(only).toMatchObject({
        target: 'tenant',
        status: 'error',
        message: 'Reading graph.signIns failed part-way: connection reset',
        evidence: { source: 'graph.signIns', error: 'connection reset', covered: { eventsRead: 0 } },
      });
    }
    expect(out.streamFailures).toEqual([
      {
        source: 'graph.signIns',
        reason: 'connection reset',
        covered: { records: 0, pages: 2, earliest: null, latest: null },
      },
    ]);
  });

  it('a sign-in stream cut after some events covers the span of the events read', async () => {
    const policy = signIns();
    const events = [
      signIn({ id: 's1', time: '2026-11-27T09:00:00Z', user: 'alice@contoso.example', ip: '198.51.100.7' }),
      signIn({ id: 's2', time: '2026-11-27T10:30:00Z', user: 'bob@contoso.example', ip: '198.51.100.8' }),
    ];
    const snapshot = snapshotOf({ 'graph.signIns': OK }, { 'graph.signIns': cutStream<SignIn>([events], 'HTTP 504') });
    const out = await runChecks(snapshot, policy, selectControls(policy), { now: UNIT_NOW, domains: [] });
    expect(out.streamFailures).toEqual([
      {
        source: 'graph.signIns',
        reason: 'HTTP 504',
        covered: { records: 2, pages: 1, earliest: '2026-11-27T09:00:00.000Z', latest: '2026-11-27T10:30:00.000Z' },
      },
    ]);
  });

  it('an incremental run carries nothing for a detector that could not read its log, and reads no sign-in log for others', async () => {
    const policy = unitPolicy({
      'sign-ins.countries': { enabled: true },
      'sign-ins.device-code': { enabled: true, useBetaSignInLog: true },
    });
    const refused = snapshotOf(
      { 'graph.signIns': { status: 'ok', betaRefused: 'HTTP 403' } },
      { 'graph.signIns': emptyStream<SignIn>() },
    );
    const out = await runChecks(refused, policy, selectControls(policy), {
      now: UNIT_NOW,
      domains: [],
      incremental: { horizon: UNIT_NOW.getTime() },
    });
    expect([...(out.carried?.keys() ?? [])]).toEqual(['sign-ins.countries']);
    // Inbox rules are not a sign-in stream: an incremental run gives their fold no carry.
    const rules = unitPolicy({ 'forwarding.inbox-rules': { enabled: true } });
    const snapshot = snapshotOf(
      { 'graph.messageRules': OK, 'graph.domains': OK },
      { 'graph.messageRules': emptyStream<MailboxMessageRules>(), 'graph.domains': DOMAINS },
    );
    const inbox = await runChecks(snapshot, rules, selectControls(rules), {
      now: UNIT_NOW,
      domains: [],
      incremental: { horizon: UNIT_NOW.getTime() },
    });
    const messages = (inbox.findings.get('forwarding.inbox-rules') ?? []).map((f) => f.message);
    expect(messages.some((m) => m.startsWith('The check failed'))).toBe(false);
    expect([...(inbox.carried?.keys() ?? [])]).toEqual([]);
  });

  it('an inbox-rule stream cut part-way records the mailboxes and pages read, and no time span', async () => {
    const policy = unitPolicy({ 'forwarding.inbox-rules': { enabled: true } });
    const mailbox: MailboxMessageRules = {
      userId: 'u1',
      userPrincipalName: 'adele@contoso.example',
      status: 200,
      body: { value: [] },
    };
    const snapshot = snapshotOf(
      { 'graph.messageRules': OK, 'graph.domains': OK },
      { 'graph.messageRules': cutStream([[mailbox]], 'HTTP 504'), 'graph.domains': DOMAINS },
    );
    const out = await runChecks(snapshot, policy, selectControls(policy), { now: UNIT_NOW, domains: [] });
    const [failure] = out.streamFailures;
    expect(failure?.source).toBe('graph.messageRules');
    expect(failure?.reason).toBe('HTTP 504');
    expect(Object.keys(failure?.covered ?? {}).sort()).toEqual(['pages', 'records']);
    expect(failure?.covered).toEqual({ records: 1, pages: 1 });
  });

  it('a stream read in full gives each fold its findings; an incremental run carries state', async () => {
    const policy = signIns();
    const data = (): Data => ({ 'graph.signIns': emptyStream<SignIn>() });
    const full = await runChecks(snapshotOf({ 'graph.signIns': OK }, data()), policy, selectControls(policy), {
      now: UNIT_NOW,
      domains: [],
    });
    expect(full.streamFailures).toEqual([]);
    expect([...full.findings.keys()].sort()).toEqual(['sign-ins.break-glass', 'sign-ins.countries']);
    const messages = [...full.findings.values()].flat().map((f) => f.message);
    expect(messages.some((m) => m.includes('failed part-way'))).toBe(false);
    expect('carried' in full).toBe(false);
    const incremental = await runChecks(snapshotOf({ 'graph.signIns': OK }, data()), policy, selectControls(policy), {
      now: UNIT_NOW,
      domains: [],
      incremental: { horizon: UNIT_NOW.getTime() - 3_600_000 },
    });
    expect([...(incremental.carried?.keys() ?? [])].sort()).toEqual(['sign-ins.break-glass', 'sign-ins.countries']);
  });

  it('with release, lets go of what only snapshot checks read, and keeps what stream checks read', async () => {
    const policy = unitPolicy({ 'forwarding.inbox-rules': { enabled: true }, 'mfa.weak-methods': { enabled: true } });
    const build = () =>
      snapshotOf(
        { 'graph.messageRules': OK, 'graph.domains': OK, 'graph.authenticationMethodsPolicy': OK },
        {
          'graph.messageRules': emptyStream<MailboxMessageRules>(),
          'graph.domains': DOMAINS,
          'graph.authenticationMethodsPolicy': {
            authenticationMethodConfigurations: [],
          } as unknown as SourceDataMap['graph.authenticationMethodsPolicy'],
        },
      );
    const released = build();
    await runChecks(released, policy, selectControls(policy), { now: UNIT_NOW, domains: [], release: true });
    expect(() => released.data('graph.authenticationMethodsPolicy')).toThrow(/released/);
    expect(released.data('graph.domains')).toEqual(DOMAINS);
    expect(() => released.data('graph.messageRules')).not.toThrow();
    const kept = build();
    await runChecks(kept, policy, selectControls(policy), { now: UNIT_NOW, domains: [] });
    expect(() => kept.data('graph.authenticationMethodsPolicy')).not.toThrow();
  });
});

describe('startEarlyStream', () => {
  // Inbox rules are a stream too, but not the sign-in log: they never start early.
  const policy = () =>
    unitPolicy({
      'sign-ins.countries': { enabled: true },
      'forwarding.inbox-rules': { enabled: true },
      'mfa.weak-methods': { enabled: true },
    });
  const early = (
    pending: readonly SourceId[],
    sources: Partial<Record<SourceId, SourceStatus>> = { 'graph.signIns': OK },
    extra: Partial<Manifest> = {},
    only?: readonly ('mfa' | 'sign-ins')[],
  ) =>
    startEarlyStream(
      snapshotOf(sources, { 'graph.signIns': emptyStream<SignIn>() }, extra),
      policy(),
      { now: UNIT_NOW, domains: [], ...(only ? { only } : {}) },
      new Set(pending),
    );

  it('starts the sign-in folds while other sources are pending, and runChecks joins them', async () => {
    const started = early(['dns', 'exo.inboxRule']);
    expect([...(started?.controls ?? [])]).toEqual(['sign-ins.countries']);
    const outcome = await started?.outcome;
    expect([...(outcome?.findings.keys() ?? [])]).toEqual(['sign-ins.countries']);
    const p = policy();
    // The early fold already read the log; reading it again here would fail.
    const snapshot = snapshotOf(
      { 'graph.signIns': OK, 'graph.authenticationMethodsPolicy': { status: 'failed', reason: 'HTTP 503' } },
      { 'graph.signIns': cutStream<SignIn>([], 'the log was read twice') },
    );
    const joined = await runChecks(snapshot, p, selectControls(p), {
      now: UNIT_NOW,
      domains: [],
      started: {
        controls: new Set(['sign-ins.countries']),
        outcome: Promise.resolve({ findings: outcome?.findings ?? new Map() }),
      },
    });
    expect(joined.findings.get('sign-ins.countries')).toEqual(outcome?.findings.get('sign-ins.countries'));
    expect(verdicts(joined.findings)['mfa.weak-methods']).toEqual(['tenant error']);
    expect(joined.streamFailures).toEqual([]);
  });

  it('does not start while the stream, or a source a sign-in control reads, is still pending', () => {
    expect(early(['graph.signIns'])).toBeUndefined();
    // graph.users is an optional source of every sign-in detector.
    expect(early(['graph.users'])).toBeUndefined();
  });

  it('does not start when no selected control reads the sign-in log', () => {
    expect(early([], { 'graph.signIns': OK }, {}, ['mfa'])).toBeUndefined();
    // Shards after the first judge no sign-in control.
    expect(early([], { 'graph.signIns': OK }, { shard: { index: 2, count: 2 } })).toBeUndefined();
    expect(early([], { 'graph.signIns': OK }, { shard: { index: 1, count: 2 } })).toBeDefined();
  });

  it('gives a gated sign-in control its gate finding without reading the stream', async () => {
    const started = early([], { 'graph.signIns': { status: 'failed', reason: 'HTTP 429 for an hour' } });
    const outcome = await started?.outcome;
    expect(outcome?.findings.get('sign-ins.countries')).toEqual([
      {
        target: 'tenant',
        status: 'error',
        message: 'Source graph.signIns could not be read: HTTP 429 for an hour',
        evidence: { source: 'graph.signIns', reason: 'HTTP 429 for an hour' },
      },
    ]);
    expect(outcome?.failure).toBeUndefined();
  });
});
