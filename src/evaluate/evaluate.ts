import type { Check, CheckContext, Fold, StreamCheck } from '../checks/check.js';
import { CHECKS } from '../checks/registry.js';
import { errorMessage } from '../errors.js';
import type { Area } from '../model/area.js';
import type { Finding } from '../model/finding.js';
import { TENANT_TARGET } from '../model/finding.js';
import type { JsonObject } from '../model/json.js';
import type { AppliedException, Result } from '../model/result.js';
import { maxSeverity } from '../model/severity.js';
import { exceptionExpired, exceptionKey } from '../policy/exceptions.js';
import type { Policy, PolicyException } from '../policy/policy.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { STREAMED_SOURCES } from '../snapshot/folder-layout.js';
import type { SourceId } from '../snapshot/source-id.js';
import { LICENCE_NAMES } from '../snapshot/source-status.js';
import { fingerprint } from './fingerprint.js';
import { selectControls, type SelectedControl } from './selection.js';

/** How one control's evaluation went as a whole. */
export type ControlOutcome =
  | { readonly control: string; readonly status: 'evaluated' }
  | { readonly control: string; readonly status: 'error' | 'not_evaluable'; readonly reason: string };

export interface Evaluation {
  readonly results: readonly Result[];
  readonly controls: readonly ControlOutcome[];
  /** Exceptions that turned a finding into `excepted` (or expired and let it fail). */
  readonly exceptionsApplied: readonly (PolicyException & { readonly expired: boolean })[];
  /** Active exceptions that matched no result: a stale exception is itself an audit finding. */
  readonly unusedExceptions: readonly PolicyException[];
}

export interface EvaluateOptions {
  readonly now: Date;
  readonly only?: readonly Area[];
  readonly domains: readonly string[];
  /** Stream folds already started on an early snapshot (startEarlyStream); evaluate joins them. */
  readonly started?: StartedStream;
  /**
   * Release (Snapshot.release) the sources only snapshot checks read once those checks ran,
   * before the stream sweeps: for a snapshot nothing reads after evaluation.
   */
  readonly release?: boolean;
}

/** A stream whose folds began before collection ended, and the findings they will give. */
export interface StartedStream {
  readonly controls: ReadonlySet<string>;
  readonly findings: Promise<ReadonlyMap<string, readonly Finding[]>>;
}

/** Why a control could not be judged, from the status of the sources it needs. */
function sourceGate(snapshot: Snapshot, control: SelectedControl): Finding | undefined {
  for (const source of control.definition.sources) {
    const status = snapshot.status(source);
    if (status === undefined) {
      return gateFinding('error', `Source ${source} was not collected.`, { source });
    }
    switch (status.status) {
      case 'ok':
        continue;
      case 'failed':
        return gateFinding('error', `Source ${source} could not be read: ${status.reason}`, {
          source,
          reason: status.reason,
        });
      case 'not_licensed':
        return gateFinding('not_evaluable', `Needs ${LICENCE_NAMES[status.licence]} (source ${source}).`, {
          source,
          licence: status.licence,
          reason: status.reason,
        });
      case 'not_permitted':
        return gateFinding('not_evaluable', `Grant the permission ${status.permission} (source ${source}).`, {
          source,
          permission: status.permission,
          reason: status.reason,
        });
    }
  }
  return undefined;
}

function gateFinding(status: 'error' | 'not_evaluable', message: string, evidence: JsonObject): Finding {
  return { target: TENANT_TARGET, status, message, evidence };
}

function checkContext(policy: Policy, control: string, options: EvaluateOptions, snapshot: Snapshot): CheckContext {
  return {
    now: options.now,
    tenantId: snapshot.manifest.tenantId,
    clientId: snapshot.manifest.clientId ?? null,
    policy,
    domains: options.domains,
    exceptions: policy.exceptions.filter((e) => e.control === control && !exceptionExpired(e, options.now)),
  };
}

async function runStream(
  snapshot: Snapshot,
  source: StreamCheck['stream'],
  folds: readonly FoldEntry[],
): Promise<Map<string, readonly Finding[]>> {
  const out = new Map<string, readonly Finding[]>();
  try {
    const stream = snapshot.data(source) as { pages(): AsyncIterable<readonly never[]> };
    for await (const page of stream.pages()) for (const { fold } of folds) fold.add(page);
    for (const { control, fold } of folds) out.set(control.definition.id, fold.finish());
  } catch (error: unknown) {
    // A stream cut short is `error`, never a quiet partial pass; the evidence shows what was covered.
    for (const { control, fold } of folds) {
      out.set(control.definition.id, [
        {
          target: TENANT_TARGET,
          status: 'error',
          message: `Reading ${source} failed part-way: ${errorMessage(error)}`,
          evidence: { source, error: errorMessage(error), covered: fold.coverage() },
        },
      ]);
    }
  }
  return out;
}

type FoldEntry = { control: SelectedControl; fold: Fold<never> };

/** Gates a stream control and starts its fold: a gate or a throwing start is a finding instead. */
function startFold(
  snapshot: Snapshot,
  policy: Policy,
  options: EvaluateOptions,
  control: SelectedControl,
  check: StreamCheck,
): FoldEntry | readonly Finding[] {
  const id = control.definition.id;
  const gate = sourceGate(snapshot, control);
  if (gate) return [gate];
  try {
    const input = {
      snapshot,
      params: control.settings.params,
      context: checkContext(policy, id, options, snapshot),
    };
    return { control, fold: check.start(input) as Fold<never> };
  } catch (error: unknown) {
    return [gateFinding('error', `The check failed: ${errorMessage(error)}`, { error: errorMessage(error) })];
  }
}

/**
 * Starts the sign-in log's folds on the snapshot of the sources collected so far, while the
 * late sources (DNS, hidden inbox rules) are still being read: the sign-in log is paced by the
 * identity-reports limit (5 requests per 10 s, learn.microsoft.com/graph/throttling-limits),
 * the slowest family of the run, so it must not wait idle for sources it does not read. Only
 * when no sign-in control reads a source still pending (`pending`); otherwise `undefined`,
 * and evaluate reads the stream as usual. The folds see the same data and the same "now" as
 * they would after collection, so the findings are the same.
 */
export function startEarlyStream(
  snapshot: Snapshot,
  policy: Policy,
  options: EvaluateOptions,
  pending: ReadonlySet<SourceId>,
): StartedStream | undefined {
  const stream = 'graph.signIns';
  const controls: { control: SelectedControl; check: StreamCheck }[] = [];
  for (const control of selectControls(policy, options.only, snapshot.manifest.shard)) {
    const check = CHECKS[control.definition.id];
    if (check?.kind === 'stream' && check.stream === stream) controls.push({ control, check });
  }
  if (controls.length === 0 || pending.has(stream)) return undefined;
  const reads = (c: SelectedControl) => [...c.definition.sources, ...(c.definition.optionalSources ?? [])];
  if (controls.some(({ control }) => reads(control).some((id) => pending.has(id)))) return undefined;
  const gated = new Map<string, readonly Finding[]>();
  const folds: FoldEntry[] = [];
  for (const { control, check } of controls) {
    const started = startFold(snapshot, policy, options, control, check);
    if ('fold' in started) folds.push(started);
    else gated.set(control.definition.id, started);
  }
  const read =
    folds.length > 0 ? runStream(snapshot, stream, folds) : Promise.resolve(new Map<string, readonly Finding[]>());
  return {
    controls: new Set(controls.map(({ control }) => control.definition.id)),
    findings: read.then((found) => new Map([...gated, ...found])),
  };
}

/**
 * Runs every selected control's pure check over the snapshot. A control whose source failed
 * gets `error`; a missing licence or permission gives `not_evaluable`; neither is a pass.
 * Exceptions turn `fail` into `excepted` until they expire.
 */
export async function evaluate(snapshot: Snapshot, policy: Policy, options: EvaluateOptions): Promise<Evaluation> {
  const tenantId = snapshot.manifest.tenantId;
  const selected = selectControls(policy, options.only, snapshot.manifest.shard);
  const findingsByControl = new Map<string, readonly Finding[]>();
  const streamFolds = new Map<StreamCheck['stream'], FoldEntry[]>();

  for (const control of selected) {
    const id = control.definition.id;
    // Its fold is already reading (startEarlyStream); its findings are joined below.
    if (options.started?.controls.has(id)) continue;
    const gate = sourceGate(snapshot, control);
    if (gate) {
      findingsByControl.set(id, [gate]);
      continue;
    }
    const check: Check | undefined = CHECKS[id];
    if (!check) throw new Error(`control ${id} has no check`);
    const input = { snapshot, params: control.settings.params, context: checkContext(policy, id, options, snapshot) };
    try {
      if (check.kind === 'snapshot') {
        findingsByControl.set(id, await check.evaluate(input));
      } else {
        const started = startFold(snapshot, policy, options, control, check);
        if (!('fold' in started)) {
          findingsByControl.set(id, started);
          continue;
        }
        const folds = streamFolds.get(check.stream) ?? [];
        folds.push(started);
        streamFolds.set(check.stream, folds);
      }
    } catch (error: unknown) {
      // Unexpected data shapes reach here; they are an `error` for this control, never a crash.
      findingsByControl.set(id, [
        gateFinding('error', `The check failed: ${errorMessage(error)}`, { error: errorMessage(error) }),
      ]);
    }
  }
  if (options.release && snapshot.release) {
    // Folds keep what they read at start; a stream control's listed sources are kept anyway.
    const kept = new Set<SourceId>(STREAMED_SOURCES);
    for (const control of selected) {
      const check = CHECKS[control.definition.id];
      if (check?.kind !== 'stream') continue;
      for (const id of [...control.definition.sources, ...(control.definition.optionalSources ?? [])]) kept.add(id);
    }
    for (const id of Object.keys(snapshot.manifest.sources) as SourceId[]) if (!kept.has(id)) snapshot.release(id);
  }
  // Streams are read side by side: each is paced by its own Graph family (sign-ins by the
  // reports limit, inbox rules by Outlook's), so reading them one after the other would add
  // their times instead of overlapping them. Folds stay independent, one stream each.
  const streamed = await Promise.all([
    ...[...streamFolds].map(([source, folds]) => runStream(snapshot, source, folds)),
    ...(options.started ? [options.started.findings] : []),
  ]);
  for (const findings of streamed) for (const [id, found] of findings) findingsByControl.set(id, found);

  const exceptionsByKey = new Map(policy.exceptions.map((e) => [exceptionKey(e.control, e.target), e]));
  const used = new Set<PolicyException>();
  const applied: (PolicyException & { expired: boolean })[] = [];
  const results: Result[] = [];
  const outcomes: ControlOutcome[] = [];

  for (const control of selected) {
    const { definition, settings } = control;
    const findings = findingsByControl.get(definition.id) ?? [];
    const gate = findings.length === 1 && findings[0]?.target === TENANT_TARGET ? findings[0] : undefined;
    if (findings.length === 0) {
      outcomes.push({ control: definition.id, status: 'error', reason: 'the check returned no result' });
    } else if (gate && (gate.status === 'error' || gate.status === 'not_evaluable')) {
      outcomes.push({ control: definition.id, status: gate.status, reason: gate.message });
    } else {
      outcomes.push({ control: definition.id, status: 'evaluated' });
    }
    const sorted = [...findings].sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
    for (const finding of sorted) {
      for (const target of finding.honouredExceptions ?? []) {
        const exception = exceptionsByKey.get(exceptionKey(definition.id, target));
        if (exception) used.add(exception);
      }
      let status: Result['status'] = finding.status;
      let applies: AppliedException | undefined;
      const exception = exceptionsByKey.get(exceptionKey(definition.id, finding.target));
      if (exception && finding.status === 'fail') {
        const expired = exceptionExpired(exception, options.now);
        used.add(exception);
        applied.push({ ...exception, expired });
        applies = {
          reason: exception.reason,
          approvedBy: exception.approvedBy,
          expires: exception.expires,
          ...(exception.ticket !== undefined ? { ticket: exception.ticket } : {}),
          expired,
        };
        if (!expired) status = 'excepted';
      } else if (exception && finding.status === 'pass') {
        used.add(exception);
      }
      results.push({
        control: definition.id,
        controlVersion: definition.version,
        area: definition.area,
        title: definition.title,
        target: finding.target,
        status,
        severity: finding.severity ? maxSeverity(settings.severity, finding.severity) : settings.severity,
        message: finding.message,
        evidence: finding.evidence,
        fingerprint: fingerprint(definition.id, tenantId, finding.target),
        ...(applies ? { exception: applies } : {}),
      });
    }
  }
  const unusedExceptions = policy.exceptions.filter(
    (e) => !used.has(e) && !exceptionExpired(e, options.now) && selected.some((c) => c.definition.id === e.control),
  );
  return { results, controls: outcomes, exceptionsApplied: applied, unusedExceptions };
}
