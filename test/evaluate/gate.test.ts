import { describe, expect, it } from 'vitest';
import { gateFinding, sourceGate } from '../../src/evaluate/gate.js';
import { selectControls } from '../../src/evaluate/selection.js';
import { memorySnapshot } from '../../src/snapshot/snapshot.js';
import type { SourceId } from '../../src/snapshot/source-id.js';
import type { SourceStatus } from '../../src/snapshot/source-status.js';
import { unitManifest, unitPolicy } from '../helpers/evaluate-unit.js';

/*
 * A control is judged only when every source its verdict reads was read: a source not collected
 * or failed is an `error`, a missing licence or permission is `not_evaluable`, never a pass. The
 * first source in the control's order that was not read decides.
 */

/** sign-ins.risk-policies reads graph.conditionalAccessPolicies, then graph.riskyUsers. */
function gate(sources: Partial<Record<SourceId, SourceStatus>>) {
  const [control] = selectControls(unitPolicy({ 'sign-ins.risk-policies': { enabled: true } }));
  if (!control) throw new Error('sign-ins.risk-policies not selected');
  return sourceGate(memorySnapshot(unitManifest(sources), {}), control);
}

const OK: SourceStatus = { status: 'ok' };

describe('sourceGate', () => {
  it('lets a control through when every source it reads was read', () => {
    expect(gate({ 'graph.conditionalAccessPolicies': OK, 'graph.riskyUsers': OK })).toBeUndefined();
  });

  it('is an error for a source not collected', () => {
    expect(gate({ 'graph.conditionalAccessPolicies': OK })).toEqual({
      target: 'tenant',
      status: 'error',
      message: 'Source graph.riskyUsers was not collected.',
      evidence: { source: 'graph.riskyUsers' },
    });
  });

  it('is an error with the reason for a source that failed', () => {
    expect(
      gate({ 'graph.conditionalAccessPolicies': OK, 'graph.riskyUsers': { status: 'failed', reason: 'HTTP 503' } }),
    ).toEqual({
      target: 'tenant',
      status: 'error',
      message: 'Source graph.riskyUsers could not be read: HTTP 503',
      evidence: { source: 'graph.riskyUsers', reason: 'HTTP 503' },
    });
  });

  it('is not_evaluable naming the licence to buy', () => {
    expect(
      gate({
        'graph.conditionalAccessPolicies': OK,
        'graph.riskyUsers': { status: 'not_licensed', licence: 'entra-id-p2', reason: 'HTTP 403 (P2 needed)' },
      }),
    ).toEqual({
      target: 'tenant',
      status: 'not_evaluable',
      message: 'Needs Microsoft Entra ID P2 (source graph.riskyUsers).',
      evidence: { source: 'graph.riskyUsers', licence: 'entra-id-p2', reason: 'HTTP 403 (P2 needed)' },
    });
  });

  it('is not_evaluable naming the permission to grant', () => {
    expect(
      gate({
        'graph.conditionalAccessPolicies': {
          status: 'not_permitted',
          permission: 'Policy.Read.All',
          reason: 'HTTP 403',
        },
        'graph.riskyUsers': { status: 'failed', reason: 'HTTP 503' },
      }),
    ).toEqual({
      target: 'tenant',
      status: 'not_evaluable',
      message: 'Grant the permission Policy.Read.All (source graph.conditionalAccessPolicies).',
      evidence: { source: 'graph.conditionalAccessPolicies', permission: 'Policy.Read.All', reason: 'HTTP 403' },
    });
  });
});

describe('gateFinding', () => {
  it('is a tenant-level finding with the given status, message and evidence', () => {
    expect(gateFinding('not_evaluable', 'why', { a: 1 })).toEqual({
      target: 'tenant',
      status: 'not_evaluable',
      message: 'why',
      evidence: { a: 1 },
    });
  });
});
