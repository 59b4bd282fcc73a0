import { CONTROLS } from '../controls/catalog.js';
import type { ControlDefinition } from '../controls/control.js';
import type { Area } from '../model/area.js';
import type { Policy, PolicyControl } from '../policy/policy.js';
import { isShardedControl, SHARD_SCOPE_SOURCES, type Shard } from '../snapshot/shard.js';
import type { SourceId } from '../snapshot/source-id.js';

export interface SelectedControl {
  readonly definition: ControlDefinition;
  readonly settings: PolicyControl;
}

/**
 * The controls a run evaluates: enabled in the policy and inside `--only`, in catalog order.
 * Shards after the first judge only the per-mailbox controls; shard 1 also judges the
 * tenant-wide ones, so `merge-reports` gets each result exactly once.
 */
export function selectControls(policy: Policy, only: readonly Area[] | undefined, shard?: Shard): SelectedControl[] {
  const selected: SelectedControl[] = [];
  for (const definition of CONTROLS) {
    const settings = policy.controls.get(definition.id);
    if (!settings?.enabled) continue;
    if (only && !only.includes(definition.area)) continue;
    if (shard && shard.index > 1 && !isShardedControl(definition.sources)) continue;
    selected.push({ definition, settings });
  }
  return selected;
}

/** The sources the selected controls need; collect fetches only these. */
export function requiredSources(controls: readonly SelectedControl[]): Set<SourceId> {
  return new Set(controls.flatMap((c) => [...c.definition.sources, ...(c.definition.optionalSources ?? [])]));
}

/**
 * The sources a (possibly sharded) run collects: those of its controls, plus, for a shard after
 * the first, the scope sources the unsharded run would have read (SHARD_SCOPE_SOURCES).
 */
export function collectedSources(policy: Policy, only: readonly Area[] | undefined, shard?: Shard): Set<SourceId> {
  const sources = requiredSources(selectControls(policy, only, shard));
  if (shard && shard.index > 1 && sources.has('exo.inboxRule')) {
    const whole = requiredSources(selectControls(policy, only));
    for (const id of SHARD_SCOPE_SOURCES) if (whole.has(id)) sources.add(id);
  }
  return sources;
}
