import { describe, expect, it } from 'vitest';
import { selectControls } from '../../src/evaluate/selection.js';
import {
  type UnreadSource,
  unreadTargetSources,
  withTargetCoverage,
  withUnreadTargets,
} from '../../src/evaluate/target-coverage.js';
import type { Finding } from '../../src/model/finding.js';
import { memorySnapshot } from '../../src/snapshot/snapshot.js';
import type { SourceId } from '../../src/snapshot/source-id.js';
import type { SourceStatus } from '../../src/snapshot/source-status.js';
import { unitManifest, unitPolicy } from '../helpers/evaluate-unit.js';

/*
 * A control's target set: the sources that list its targets must be read in full before a
 * tenant-wide pass means anything, and before sync may close its issues. An unread target source
 * turns the pass into `error` (or `not_evaluable` when only access is missing) and the control's
 * coverage into `partial`.
 */

const OK: SourceStatus = { status: 'ok' };

const finding = (target: string, status: Finding['status'], extra: Partial<Finding> = {}): Finding => ({
  target,
  status,
  message: `${target} ${status}`,
  evidence: { n: 1 },
  ...extra,
});

function selected(controls: Record<string, Record<string, unknown>>, scope: 'tenant' | 'dns-only' = 'tenant') {
  return selectControls(unitPolicy(controls), { scope });
}

function snapshot(sources: Partial<Record<SourceId, SourceStatus>>, tenantId: string | null = 'tenant-1') {
  return memorySnapshot(unitManifest(sources, { tenantId }), {});
}

const FAILED: UnreadSource = { source: 'exo.mailbox', status: 'failed', reason: 'HTTP 503' };
const NOT_LICENSED: UnreadSource = {
  source: 'graph.riskyUsers',
  status: 'not_licensed',
  reason: 'no P2',
  licence: 'entra-id-p2',
};
const NOT_PERMITTED: UnreadSource = {
  source: 'graph.servicePrincipals',
  status: 'not_permitted',
  reason: 'HTTP 403',
  permission: 'Application.Read.All',
};

describe('unreadTargetSources', () => {
  it('lists each target source not read, with why and what to grant or buy', () => {
    const [control] = selected({ 'mailbox.delegation': { enabled: true } });
    if (!control) throw new Error('mailbox.delegation not selected');
    const unread = unreadTargetSources(
      snapshot({
        'exo.mailbox': { status: 'failed', reason: 'HTTP 503' },
        'exo.mailboxPermission': { status: 'not_permitted', reason: 'HTTP 403', permission: 'Exchange.ManageAsApp' },
      }),
      control,
      'tenant',
    );
    expect(unread).toEqual([
      { source: 'exo.mailbox', status: 'failed', reason: 'HTTP 503' },
      {
        source: 'exo.mailboxPermission',
        status: 'not_permitted',
        reason: 'HTTP 403',
        permission: 'Exchange.ManageAsApp',
      },
      { source: 'exo.recipientPermission', status: 'not_collected', reason: 'not collected in this run' },
    ]);
    // No empty permission or licence field where none applies.
    expect(unread.map((u) => Object.keys(u).join(','))).toEqual([
      'source,status,reason',
      'source,status,reason,permission',
      'source,status,reason',
    ]);
  });

  it('names the licence of a source refused for want of one, and nothing for sources read', () => {
    const [control] = selected({ 'sign-ins.risky-users': { enabled: true } });
    if (!control) throw new Error('sign-ins.risky-users not selected');
    const notLicensed = { status: 'not_licensed', reason: 'no P2', licence: 'entra-id-p2' } as const;
    const unread = unreadTargetSources(snapshot({ 'graph.riskyUsers': notLicensed }), control, 'tenant');
    expect(unread).toEqual([
      { source: 'graph.riskyUsers', status: 'not_licensed', reason: 'no P2', licence: 'entra-id-p2' },
    ]);
    expect(Object.keys(unread[0] ?? {})).toEqual(['source', 'status', 'reason', 'licence']);
    expect(unreadTargetSources(snapshot({ 'graph.riskyUsers': OK }), control, 'tenant')).toEqual([]);
  });

  it('a DNS-only run does not ask for the tenant sources that list domains', () => {
    const [control] = selected({ 'spf.record': { enabled: true } }, 'dns-only');
    if (!control) throw new Error('spf.record not selected');
    expect(unreadTargetSources(snapshot({}, null), control, 'dns-only')).toEqual([]);
    expect(unreadTargetSources(snapshot({}), control, 'tenant').map((u) => u.source)).toEqual(['graph.domains']);
  });
});

describe('withUnreadTargets', () => {
  it('changes nothing when every target source was read', () => {
    const findings = [finding('tenant', 'pass')];
    expect(withUnreadTargets(findings, [])).toBe(findings);
  });

  it('keeps a tenant fail or error as it is, adding the unread sources to its evidence', () => {
    const other = finding('alice@contoso.example', 'fail');
    for (const status of ['fail', 'error'] as const) {
      const tenant = finding('tenant', status);
      const out = withUnreadTargets([other, tenant], [FAILED]);
      expect(out).toHaveLength(2);
      expect(out[0]).toBe(other);
      expect(out[1]).toEqual({
        ...tenant,
        evidence: { n: 1, unreadSources: [{ source: 'exo.mailbox', status: 'failed', reason: 'HTTP 503' }] },
      });
    }
  });

  it('turns a tenant pass into an error naming each unread source, with what the pass saw', () => {
    const other = finding('alice@contoso.example', 'fail');
    const out = withUnreadTargets(
      [finding('tenant', 'pass', { message: 'All 3 mailboxes audited' }), other],
      [FAILED, { source: 'exo.recipient', status: 'not_collected', reason: 'not collected in this run' }],
    );
    expect(out).toEqual([
      other,
      {
        target: 'tenant',
        status: 'error',
        message:
          'Not every target could be seen: exo.mailbox (failed: HTTP 503); exo.recipient (not collected: not collected in this run). What was read is judged; targets only these sources show are not, and no issue of this control is closed.',
        evidence: {
          unreadSources: [
            { source: 'exo.mailbox', status: 'failed', reason: 'HTTP 503' },
            { source: 'exo.recipient', status: 'not_collected', reason: 'not collected in this run' },
          ],
          seen: { message: 'All 3 mailboxes audited', n: 1 },
        },
        incomplete: true,
      },
    ]);
  });

  it('is not_evaluable when only a licence or a permission is missing, and says so in words', () => {
    const out = withUnreadTargets([finding('alice@contoso.example', 'fail')], [NOT_LICENSED, NOT_PERMITTED]);
    expect(out[1]).toEqual({
      target: 'tenant',
      status: 'not_evaluable',
      message:
        'Not every target could be seen: graph.riskyUsers (not licensed: no P2); graph.servicePrincipals (not permitted: HTTP 403). What was read is judged; targets only these sources show are not, and no issue of this control is closed.',
      evidence: {
        unreadSources: [
          { source: 'graph.riskyUsers', status: 'not_licensed', reason: 'no P2', licence: 'entra-id-p2' },
          {
            source: 'graph.servicePrincipals',
            status: 'not_permitted',
            reason: 'HTTP 403',
            permission: 'Application.Read.All',
          },
        ],
      },
      incomplete: true,
    });
    const sources = (out[1]?.evidence.unreadSources ?? []) as readonly Record<string, unknown>[];
    expect(sources.map((u) => Object.keys(u).join(','))).toEqual([
      'source,status,reason,licence',
      'source,status,reason,permission',
    ]);
    const failed = withUnreadTargets([], [FAILED])[0]?.evidence.unreadSources as readonly Record<string, unknown>[];
    expect(failed.map((u) => Object.keys(u).join(','))).toEqual(['source,status,reason']);
    expect(withUnreadTargets([], [NOT_PERMITTED, FAILED])[0]?.status).toBe('error');
    expect(withUnreadTargets([], [FAILED, NOT_LICENSED])[0]?.status).toBe('error');
  });
});

describe('withTargetCoverage', () => {
  const controls = {
    'forwarding.mailbox': { enabled: true },
    'forwarding.remote-domains': { enabled: true },
    'forwarding.outbound-policy': { enabled: true },
    'audit.unified-log': { enabled: true },
  };
  const allRead = {
    'exo.mailbox': OK,
    'exo.remoteDomain': OK,
    'exo.hostedOutboundSpamFilterPolicy': OK,
  } as const;

  it('is complete when every target source was read, listed in a DNS-only run, partial when a check saw less', () => {
    const pass = [finding('tenant', 'pass')];
    const findings = new Map<string, readonly Finding[]>([
      ['forwarding.mailbox', pass],
      [
        'forwarding.remote-domains',
        [finding('contoso.example', 'fail', { incomplete: true }), finding('fabrikam.example', 'pass')],
      ],
      ['audit.unified-log', [finding('tenant', 'fail')]],
    ]);
    const out = withTargetCoverage(snapshot(allRead), selected(controls), findings, 'tenant');
    expect(out.findings.get('forwarding.mailbox')).toBe(pass);
    expect([...out.coverage]).toEqual([
      ['forwarding.mailbox', { coverage: 'complete', unread: [] }],
      ['forwarding.remote-domains', { coverage: 'partial', unread: [] }],
      ['audit.unified-log', { coverage: 'complete', unread: [] }],
    ]);
    // No check returned anything for forwarding.outbound-policy: left as it is, never weighed.
    expect(out.findings.get('forwarding.outbound-policy')).toEqual([]);
    const dns = withTargetCoverage(snapshot(allRead), selected(controls), findings, 'dns-only');
    expect(dns.coverage.get('forwarding.mailbox')).toEqual({ coverage: 'listed', unread: [] });
  });

  it('a target source not read makes the control partial and its pass an error', () => {
    const findings = new Map<string, readonly Finding[]>([['forwarding.mailbox', [finding('tenant', 'pass')]]]);
    const out = withTargetCoverage(
      snapshot({ 'exo.mailbox': { status: 'failed', reason: 'HTTP 503' } }),
      selected(controls),
      findings,
      'tenant',
    );
    expect(out.coverage.get('forwarding.mailbox')).toEqual({ coverage: 'partial', unread: ['exo.mailbox'] });
    expect(out.findings.get('forwarding.mailbox')?.map((f) => `${f.target} ${f.status}`)).toEqual(['tenant error']);
  });

  it('leaves a control gated on its verdict sources as it is; weighs a lone error on a target, or two findings', () => {
    const gated = [finding('tenant', 'error')];
    const notEvaluable = [finding('tenant', 'not_evaluable')];
    const onTarget = [finding('contoso.example', 'error')];
    const two = [finding('tenant', 'error'), finding('alice@contoso.example', 'fail')];
    const findings = new Map<string, readonly Finding[]>([
      ['forwarding.mailbox', gated],
      ['forwarding.remote-domains', onTarget],
      ['forwarding.outbound-policy', two],
      ['audit.unified-log', notEvaluable],
    ]);
    const unreadAll = snapshot({});
    const out = withTargetCoverage(unreadAll, selected(controls), findings, 'tenant');
    expect(out.findings.get('forwarding.mailbox')).toBe(gated);
    expect(out.findings.get('audit.unified-log')).toBe(notEvaluable);
    expect(out.coverage.has('forwarding.mailbox')).toBe(false);
    expect(out.coverage.has('audit.unified-log')).toBe(false);
    expect(out.coverage.get('forwarding.remote-domains')).toEqual({
      coverage: 'partial',
      unread: ['exo.remoteDomain'],
    });
    expect(out.coverage.get('forwarding.outbound-policy')).toEqual({
      coverage: 'partial',
      unread: ['exo.hostedOutboundSpamFilterPolicy'],
    });
    expect(out.findings.get('forwarding.remote-domains')?.map((f) => `${f.target} ${f.status}`)).toEqual([
      'contoso.example error',
      'tenant error',
    ]);
  });
});
