import { CONTROLS } from '../controls/catalog.js';
import type { ControlDefinition } from '../controls/control.js';
import type { Area } from '../model/area.js';
import type { Policy, PolicyControl } from '../policy/policy.js';
import { isShardedControl, SHARD_SCOPE_SOURCES, type Shard } from '../snapshot/shard.js';
import { isTenantSource, type SourceId } from '../snapshot/source-id.js';

export interface SelectedControl {
  readonly definition: ControlDefinition;
  readonly settings: PolicyControl;
}

/**
 * What a run can see. `tenant`: a tenant's data (live, simulated or replayed) and its domains'
 * DNS. `dns-only`: the DNS of the domains it was given, nothing of any tenant.
 */
export type RunScope = 'tenant' | 'dns-only';

/** The scope of a snapshot: a DNS-only run records no tenant. */
export function scopeOf(manifest: { readonly tenantId: string | null }): RunScope {
  return manifest.tenantId === null ? 'dns-only' : 'tenant';
}

export interface Selection {
  /** `--only`: these areas; `undefined` means all. */
  readonly only?: readonly Area[] | undefined;
  /** `--shard i/n`. */
  readonly shard?: Shard | undefined;
  /** Default `tenant`. */
  readonly scope?: RunScope;
}

/**
 * Whether a control can run in a scope. A DNS-only run has no tenant data, so a control whose
 * verdict needs any (`dkim.signing` reads Exchange) does not run at all: absent from the report,
 * never an `error` on every run.
 */
export function runsInScope(definition: ControlDefinition, scope: RunScope): boolean {
  return scope === 'tenant' || definition.sources.every((s) => !isTenantSource(s));
}

/**
 * The sources that decide a control's targets in a scope. In a DNS-only run the targets are the
 * domains given on the command line, so the tenant sources that list them elsewhere do not apply.
 */
export function targetSources(definition: ControlDefinition, scope: RunScope): readonly SourceId[] {
  return scope === 'tenant' ? definition.targets.sources : definition.targets.sources.filter((s) => !isTenantSource(s));
}

/**
 * The controls a run evaluates: enabled in the policy, inside `--only` and the run's scope, in
 * catalog order. Shards after the first judge only the per-mailbox controls; shard 1 also
 * judges the tenant-wide ones, so `merge-reports` gets each result exactly once.
 */
export function selectControls(policy: Policy, selection: Selection = {}): SelectedControl[] {
  const { only, shard, scope = 'tenant' } = selection;
  const selected: SelectedControl[] = [];
  for (const definition of CONTROLS) {
    const settings = policy.controls.get(definition.id);
    if (!settings?.enabled) continue;
    if (only && !only.includes(definition.area)) continue;
    if (!runsInScope(definition, scope)) continue;
    if (shard && shard.index > 1 && !isShardedControl(definition.sources)) continue;
    selected.push({ definition, settings });
  }
  return selected;
}

/**
 * The sources the selected controls need; collect fetches only these. The sources that decide
 * their targets are among them, so a control is never judged on a target list nobody read.
 */
export function requiredSources(controls: readonly SelectedControl[], scope: RunScope = 'tenant'): Set<SourceId> {
  return new Set(
    controls.flatMap((c) => [
      ...c.definition.sources,
      ...(c.definition.optionalSources ?? []),
      ...targetSources(c.definition, scope),
    ]),
  );
}

/**
 * The sources a (possibly sharded) run collects: those of its controls, plus, for a shard after
 * the first, the scope sources the unsharded run would have read (SHARD_SCOPE_SOURCES).
 */
export function collectedSources(policy: Policy, selection: Selection = {}): Set<SourceId> {
  const scope = selection.scope ?? 'tenant';
  const sources = requiredSources(selectControls(policy, selection), scope);
  const shard = selection.shard;
  if (shard && shard.index > 1 && sources.has('exo.inboxRule')) {
    const whole = requiredSources(selectControls(policy, { ...selection, shard: undefined }), scope);
    for (const id of SHARD_SCOPE_SOURCES) if (whole.has(id)) sources.add(id);
  }
  return sources;
}
