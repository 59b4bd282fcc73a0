import type { Finding } from '../model/finding.js';
import { TENANT_TARGET } from '../model/finding.js';
import type { JsonObject } from '../model/json.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import type { SourceId } from '../snapshot/source-id.js';
import { type RunScope, type SelectedControl, targetSources } from './selection.js';

/**
 * How much of a control's target set a run saw, which decides what issue sync may close:
 * - `complete`: every source that lists its targets was read in full; a target it no longer
 *   reports is gone.
 * - `listed`: the targets were given to the run (a DNS-only run's domains); only they were
 *   judged, and a target not given says nothing.
 * - `partial`: a source that lists targets was not read in full (or a check could not read some
 *   of them): what was seen is reported, and no issue of the control is closed.
 */
export type TargetCoverage = 'complete' | 'listed' | 'partial';

/** A source that decides a control's targets and was not read. */
export interface UnreadSource {
  readonly source: SourceId;
  readonly status: 'failed' | 'not_licensed' | 'not_permitted' | 'not_collected';
  readonly reason: string;
}

/** The target sources of a control (in the run's scope) that were not read in full. */
export function unreadTargetSources(snapshot: Snapshot, control: SelectedControl, scope: RunScope): UnreadSource[] {
  const unread: UnreadSource[] = [];
  for (const source of targetSources(control.definition, scope)) {
    const status = snapshot.status(source);
    if (status?.status === 'ok') continue;
    unread.push(
      status === undefined
        ? { source, status: 'not_collected', reason: 'not collected in this run' }
        : { source, status: status.status, reason: status.reason },
    );
  }
  return unread;
}

function describe(u: UnreadSource): string {
  const how = u.status === 'not_collected' ? 'not collected' : u.status.replace('_', ' ');
  return `${u.source} (${how}: ${u.reason})`;
}

/**
 * The findings of a control some of whose targets could not be seen. Fails and errors stay as
 * they are: what was seen is still true. A tenant-wide pass (or "nothing to judge") claims the
 * whole target set, so it becomes one `error` (or `not_evaluable` when only a licence or a
 * permission is missing) naming the unread sources, with what the pass counted as evidence.
 */
export function withUnreadTargets(findings: readonly Finding[], unread: readonly UnreadSource[]): readonly Finding[] {
  if (unread.length === 0) return findings;
  const unreadSources: JsonObject[] = unread.map((u) => ({ source: u.source, status: u.status, reason: u.reason }));
  const tenant = findings.find((f) => f.target === TENANT_TARGET);
  if (tenant && (tenant.status === 'fail' || tenant.status === 'error')) {
    return findings.map((f) => (f === tenant ? { ...f, evidence: { ...f.evidence, unreadSources } } : f));
  }
  const onlyAccess = unread.every((u) => u.status === 'not_licensed' || u.status === 'not_permitted');
  const replacement: Finding = {
    target: TENANT_TARGET,
    status: onlyAccess ? 'not_evaluable' : 'error',
    message: `Not every target could be seen: ${unread.map(describe).join('; ')}. What was read is judged; targets only these sources show are not, and no issue of this control is closed.`,
    evidence: { unreadSources, ...(tenant ? { seen: { message: tenant.message, ...tenant.evidence } } : {}) },
    incomplete: true,
  };
  return [...findings.filter((f) => f !== tenant), replacement];
}

/** A control's findings and coverage once its target sources were weighed. */
export interface CoveredFindings {
  readonly findings: ReadonlyMap<string, readonly Finding[]>;
  /** Per judged control: its coverage and the target sources it could not read. */
  readonly coverage: ReadonlyMap<string, { readonly coverage: TargetCoverage; readonly unread: readonly SourceId[] }>;
}

/**
 * Weighs each judged control's target set: a control gated on its verdict sources (a lone
 * tenant-level `error` or `not_evaluable`) is left as it is; any other has its unread target
 * sources folded into its findings (withUnreadTargets) and a coverage: `partial` when a target
 * source or a check could not see every target, `listed` in a DNS-only run, else `complete`.
 */
export function withTargetCoverage(
  snapshot: Snapshot,
  selected: readonly SelectedControl[],
  findingsByControl: ReadonlyMap<string, readonly Finding[]>,
  scope: RunScope,
): CoveredFindings {
  const findings = new Map<string, readonly Finding[]>();
  const coverage = new Map<string, { coverage: TargetCoverage; unread: readonly SourceId[] }>();
  for (const control of selected) {
    const id = control.definition.id;
    const judged = findingsByControl.get(id) ?? [];
    const only = judged.length === 1 && judged[0]?.target === TENANT_TARGET ? judged[0] : undefined;
    if (judged.length === 0 || (only && (only.status === 'error' || only.status === 'not_evaluable'))) {
      findings.set(id, judged);
      continue;
    }
    const unread = unreadTargetSources(snapshot, control, scope);
    const weighed = withUnreadTargets(judged, unread);
    findings.set(id, weighed);
    const partial = unread.length > 0 || weighed.some((f) => f.incomplete === true);
    coverage.set(id, {
      coverage: partial ? 'partial' : scope === 'dns-only' ? 'listed' : 'complete',
      unread: unread.map((u) => u.source),
    });
  }
  return { findings, coverage };
}
