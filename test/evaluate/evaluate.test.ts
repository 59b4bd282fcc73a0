import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';
import type { SignIn } from '../../src/snapshot/graph-types.js';
import type { Manifest } from '../../src/snapshot/manifest.js';
import { memorySnapshot } from '../../src/snapshot/snapshot.js';
import type { SourceId } from '../../src/snapshot/source-id.js';
import type { SourceStatus } from '../../src/snapshot/source-status.js';
import { UNIT_NOW, unitManifest, unitPolicy } from '../helpers/evaluate-unit.js';

/*
 * The engine as a whole takes the run's scope and shard from the snapshot's manifest, `--only`
 * from the options, and hands on the sign-in state only in an incremental run.
 */

const FAILED: SourceStatus = { status: 'failed', reason: 'HTTP 503' };

function snapshot(sources: Partial<Record<SourceId, SourceStatus>>, extra: Partial<Manifest> = {}) {
  return memorySnapshot(unitManifest(sources, extra), {
    'graph.signIns': {
      async *pages() {
        yield [] as SignIn[];
      },
    },
  });
}

const controlsOf = (results: readonly { control: string }[]) => [...new Set(results.map((r) => r.control))];

describe('evaluate', () => {
  it('judges in a DNS-only run only the controls that read no tenant data', async () => {
    const policy = unitPolicy({ 'spf.record': { enabled: true }, 'dkim.signing': { enabled: true } });
    const out = await evaluate(snapshot({ dns: FAILED }, { tenantId: null }), policy, {
      now: UNIT_NOW,
      domains: ['contoso.example'],
    });
    expect(out.results.map((r) => `${r.control} ${r.target} ${r.status}`)).toEqual([
      'spf.record contoso.example error',
    ]);
    expect(out.controls.map((c) => c.control)).toEqual(['spf.record']);
  });

  it('judges on a later shard only the per-mailbox controls, and only the areas of --only', async () => {
    const policy = unitPolicy({ 'mfa.weak-methods': { enabled: true }, 'forwarding.inbox-rules': { enabled: true } });
    const sources = { 'graph.authenticationMethodsPolicy': FAILED, 'graph.messageRules': FAILED };
    const whole = await evaluate(snapshot(sources), policy, { now: UNIT_NOW, domains: [] });
    expect(controlsOf(whole.results)).toEqual(['mfa.weak-methods', 'forwarding.inbox-rules']);
    const shard = await evaluate(snapshot(sources, { shard: { index: 2, count: 2 } }), policy, {
      now: UNIT_NOW,
      domains: [],
    });
    expect(controlsOf(shard.results)).toEqual(['forwarding.inbox-rules']);
    const only = await evaluate(snapshot(sources), policy, { now: UNIT_NOW, domains: [], only: ['mfa'] });
    expect(controlsOf(only.results)).toEqual(['mfa.weak-methods']);
  });

  it('hands on what the sign-in detectors carry only in an incremental run', async () => {
    const policy = unitPolicy({ 'sign-ins.countries': { enabled: true } });
    const sources = { 'graph.signIns': { status: 'ok' } } as const;
    const plain = await evaluate(snapshot(sources), policy, { now: UNIT_NOW, domains: [] });
    expect('carried' in plain).toBe(false);
    expect(plain.streamFailures).toEqual([]);
    const incremental = await evaluate(snapshot(sources), policy, {
      now: UNIT_NOW,
      domains: [],
      incremental: { horizon: UNIT_NOW.getTime() },
    });
    expect([...(incremental.carried?.keys() ?? [])]).toEqual(['sign-ins.countries']);
  });
});
