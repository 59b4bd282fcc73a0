import { CONTROLS } from '../controls/catalog.js';
import type { ControlDefinition } from '../controls/control.js';
import type { Area } from '../model/area.js';
import type { Policy, PolicyControl } from '../policy/policy.js';
import type { SourceId } from '../snapshot/source-id.js';

export interface SelectedControl {
  readonly definition: ControlDefinition;
  readonly settings: PolicyControl;
}

/** The controls a run evaluates: enabled in the policy and inside `--only`, in catalog order. */
export function selectControls(policy: Policy, only: readonly Area[] | undefined): SelectedControl[] {
  const selected: SelectedControl[] = [];
  for (const definition of CONTROLS) {
    const settings = policy.controls.get(definition.id);
    if (!settings?.enabled) continue;
    if (only && !only.includes(definition.area)) continue;
    selected.push({ definition, settings });
  }
  return selected;
}

/** The sources the selected controls need; collect fetches only these. */
export function requiredSources(controls: readonly SelectedControl[]): Set<SourceId> {
  return new Set(controls.flatMap((c) => [...c.definition.sources, ...(c.definition.optionalSources ?? [])]));
}
