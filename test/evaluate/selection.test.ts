import { describe, expect, it } from 'vitest';
import { findControl } from '../../src/controls/catalog.js';
import {
  collectedSources,
  requiredSources,
  runsInScope,
  scopeOf,
  selectControls,
  targetSources,
} from '../../src/evaluate/selection.js';
import { unitPolicy } from '../helpers/evaluate-unit.js';

/*
 * Which controls a run judges (enabled, `--only`, the run's scope, the shard) and which sources
 * it must collect for them: every source a verdict reads and every source that lists targets.
 */

const ids = (policy: Parameters<typeof selectControls>[0], selection?: Parameters<typeof selectControls>[1]) =>
  selectControls(policy, selection).map((c) => c.definition.id);

const definition = (id: string) => {
  const found = findControl(id);
  if (!found) throw new Error(`no control ${id}`);
  return found;
};

// Built inside each test: code that runs outside a test does not count for mutation testing.
const mixed = () =>
  unitPolicy({
    'spf.record': { enabled: true },
    'mfa.registration': { enabled: true },
    'mfa.enforcement': { enabled: false },
    'dkim.signing': { enabled: true },
    'forwarding.inbox-rules': { enabled: true },
    'mailbox.delegation': { enabled: true },
  });

describe('selectControls', () => {
  it('takes the enabled controls in catalog order', () => {
    expect(ids(mixed())).toEqual([
      'mfa.registration',
      'forwarding.inbox-rules',
      'mailbox.delegation',
      'spf.record',
      'dkim.signing',
    ]);
  });

  it('keeps only the areas of --only', () => {
    expect(ids(mixed(), { only: ['email-auth', 'mfa'] })).toEqual(['mfa.registration', 'spf.record', 'dkim.signing']);
  });

  it('a DNS-only run leaves out every control that reads tenant data', () => {
    expect(ids(mixed(), { scope: 'dns-only' })).toEqual(['spf.record']);
  });

  it('shard 1 judges everything; later shards only the per-mailbox controls', () => {
    expect(ids(mixed(), { shard: { index: 1, count: 3 } })).toEqual(ids(mixed()));
    expect(ids(mixed(), { shard: { index: 2, count: 3 } })).toEqual(['forwarding.inbox-rules', 'mailbox.delegation']);
  });
});

describe('scopes and sources', () => {
  it('a manifest without a tenant is a DNS-only run', () => {
    expect(scopeOf({ tenantId: null })).toBe('dns-only');
    expect(scopeOf({ tenantId: 'tenant-1' })).toBe('tenant');
  });

  it('a control runs in a DNS-only run only when it reads no tenant source', () => {
    expect(runsInScope(definition('spf.record'), 'dns-only')).toBe(true);
    expect(runsInScope(definition('dkim.signing'), 'dns-only')).toBe(false);
    expect(runsInScope(definition('dkim.signing'), 'tenant')).toBe(true);
  });

  it('the target sources of a domain control are its tenant sources only in a tenant run', () => {
    expect(targetSources(definition('spf.record'), 'tenant')).toEqual(['graph.domains']);
    expect(targetSources(definition('spf.record'), 'dns-only')).toEqual([]);
  });

  it('requires the verdict, optional and target sources, in a tenant run by default', () => {
    const policy = unitPolicy({ 'spf.record': { enabled: true }, 'forwarding.concealment-rules': { enabled: true } });
    const tenant = ['graph.messageRules', 'graph.domains', 'exo.inboxRule', 'graph.mailFolders', 'dns'];
    expect([...requiredSources(selectControls(policy))].sort()).toEqual([...tenant].sort());
    expect([...requiredSources(selectControls(policy), 'tenant')].sort()).toEqual([...tenant].sort());
    expect([...requiredSources(selectControls(policy, { scope: 'dns-only' }), 'dns-only')]).toEqual(['dns']);
  });
});

const forwarding = () =>
  unitPolicy({
    'forwarding.inbox-rules': { enabled: true },
    'forwarding.mailbox': { enabled: true },
    'sign-ins.risky-users': { enabled: true },
    'spf.record': { enabled: true },
  });

describe('collectedSources', () => {
  it('is what the selected controls require, in a tenant run by default', () => {
    expect([...collectedSources(forwarding())].sort()).toEqual(
      [...requiredSources(selectControls(forwarding()), 'tenant')].sort(),
    );
    expect(collectedSources(forwarding()).has('graph.domains')).toBe(true);
    expect([...collectedSources(forwarding(), { scope: 'dns-only' })]).toEqual(['dns']);
  });

  it('a later shard also reads the scope sources the whole run reads, to pick the same mailboxes', () => {
    const shard2 = collectedSources(forwarding(), { shard: { index: 2, count: 2 } });
    expect([...shard2].sort()).toEqual(
      ['exo.inboxRule', 'exo.mailbox', 'graph.domains', 'graph.messageRules', 'graph.riskyUsers'].sort(),
    );
    // Shard 1 judges the tenant-wide controls and reads their sources anyway.
    const shard1 = collectedSources(forwarding(), { shard: { index: 1, count: 2 } });
    expect([...shard1].sort()).toEqual([...collectedSources(forwarding())].sort());
  });

  it('adds only the scope sources the whole run would read', () => {
    const narrow = unitPolicy({ 'forwarding.inbox-rules': { enabled: true }, 'spf.record': { enabled: true } });
    expect([...collectedSources(narrow, { shard: { index: 2, count: 2 } })].sort()).toEqual(
      ['exo.inboxRule', 'graph.domains', 'graph.messageRules'].sort(),
    );
  });

  it('reads the tenant sources that list the targets of a domain control, unless the run is DNS-only', () => {
    const spf = unitPolicy({ 'spf.record': { enabled: true } });
    expect([...collectedSources(spf)].sort()).toEqual(['dns', 'graph.domains']);
    expect([...collectedSources(spf, { scope: 'dns-only' })]).toEqual(['dns']);
  });

  it('a later shard under --only reads only the scope sources of the areas it audits', () => {
    const sources = collectedSources(forwarding(), { shard: { index: 2, count: 2 }, only: ['forwarding'] });
    expect([...sources].sort()).toEqual(['exo.inboxRule', 'exo.mailbox', 'graph.domains', 'graph.messageRules'].sort());
  });

  it('a later shard without inbox rules reads no scope source', () => {
    const delegation = unitPolicy({
      'mailbox.delegation': { enabled: true },
      'sign-ins.risky-users': { enabled: true },
    });
    expect([...collectedSources(delegation, { shard: { index: 2, count: 2 } })].sort()).toEqual(
      ['exo.mailbox', 'exo.mailboxPermission', 'exo.recipientPermission', 'exo.servicePrincipal'].sort(),
    );
  });
});
