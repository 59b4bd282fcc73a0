import type { Check, CheckContext, Fold, StreamCheck } from '../checks/check.js';
import { CHECKS } from '../checks/registry.js';
import { errorMessage } from '../errors.js';
import type { Finding } from '../model/finding.js';
import type { JsonObject } from '../model/json.js';
import { TENANT_TARGET } from '../model/finding.js';
import { exceptionExpired } from '../policy/exceptions.js';
import type { Policy } from '../policy/policy.js';
import { STREAMED_SOURCES } from '../snapshot/folder-layout.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import type { SourceId } from '../snapshot/source-id.js';
import type { CoveredSpan } from '../snapshot/source-status.js';
import type { CarriedControl } from '../snapshot/carried-sign-ins.js';
import { gateFinding, sourceGate } from './gate.js';
import type { StreamFailure } from './evaluation.js';
import type { EvaluateOptions, StartedStream, StreamOutcome } from './options.js';
import { type SelectedControl, scopeOf, selectControls } from './selection.js';

/**
 * A gate finding for each audited domain of a domain control (a dead resolver errs on each
 * domain it was asked about, as the per-domain checks would), else the one tenant-level finding.
 */
function perTarget(gate: Finding, control: SelectedControl, options: EvaluateOptions): readonly Finding[] {
  if (control.definition.targets.kind !== 'domain' || options.domains.length === 0) return [gate];
  return options.domains.map((domain) => ({ ...gate, target: domain }));
}

function checkContext(policy: Policy, control: string, options: EvaluateOptions, snapshot: Snapshot): CheckContext {
  return {
    now: options.now,
    tenantId: snapshot.manifest.tenantId,
    // Folders written before the cloud was recorded were all read as worldwide.
    cloud: snapshot.manifest.cloud ?? 'global',
    clientId: snapshot.manifest.clientId ?? null,
    policy,
    domains: options.domains,
    exceptions: policy.exceptions.filter((e) => e.control === control && !exceptionExpired(e, options.now)),
  };
}

/** The span a fold saw, with the records and pages the stream gave before it failed. */
function coveredSpan(records: number, pages: number, coverage: JsonObject | undefined): CoveredSpan {
  const earliest = coverage?.earliest;
  const latest = coverage?.latest;
  return {
    records,
    pages,
    ...(typeof earliest === 'string' || earliest === null ? { earliest } : {}),
    ...(typeof latest === 'string' || latest === null ? { latest } : {}),
  };
}

async function runStream(
  snapshot: Snapshot,
  source: StreamCheck['stream'],
  folds: readonly FoldEntry[],
): Promise<StreamOutcome> {
  const out = new Map<string, readonly Finding[]>();
  let records = 0;
  let pages = 0;
  try {
    const stream = snapshot.data(source) as { pages(): AsyncIterable<readonly never[]> };
    for await (const page of stream.pages()) {
      records += page.length;
      pages++;
      for (const { fold } of folds) fold.add(page);
    }
    for (const { control, fold } of folds) out.set(control.definition.id, fold.finish());
    const carried = new Map<string, CarriedControl>();
    for (const { control, fold, carrying } of folds) {
      if (!carrying) continue;
      // A detector that cannot carry its state would make every later run blind to its past.
      if (!fold.carried) throw new Error(`${control.definition.id} does not carry its state between runs`);
      const next = fold.carried();
      if (next !== undefined) carried.set(control.definition.id, next);
    }
    return { findings: out, ...(carried.size > 0 ? { carried } : {}) };
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
    const covered = coveredSpan(records, pages, folds[0]?.fold.coverage());
    return { findings: out, failure: { source, reason: errorMessage(error), covered } };
  }
}

type FoldEntry = { control: SelectedControl; fold: Fold<never>; carrying: boolean };

/** An incremental run's carry for a sign-in detector: what the stream holds for it, and the horizon. */
function carryInput(snapshot: Snapshot, options: EvaluateOptions, control: string, check: StreamCheck) {
  if (options.incremental === undefined || check.stream !== 'graph.signIns') return undefined;
  const carried = snapshot.data('graph.signIns').carried;
  return {
    readFrom: carried?.readFrom ?? Number.NEGATIVE_INFINITY,
    carried: carried?.controls[control],
    horizon: options.incremental.horizon,
  };
}

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
    const carry = carryInput(snapshot, options, id, check);
    const input = {
      snapshot,
      params: control.settings.params,
      context: checkContext(policy, id, options, snapshot),
      ...(carry ? { carry } : {}),
    };
    return { control, fold: check.start(input) as Fold<never>, carrying: carry !== undefined };
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
  const selection = { only: options.only, shard: snapshot.manifest.shard, scope: scopeOf(snapshot.manifest) };
  for (const control of selectControls(policy, selection)) {
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
  const read: Promise<StreamOutcome> =
    folds.length > 0 ? runStream(snapshot, stream, folds) : Promise.resolve({ findings: new Map() });
  return {
    controls: new Set(controls.map(({ control }) => control.definition.id)),
    outcome: read.then((done) => ({ ...done, findings: new Map([...gated, ...done.findings]) })),
  };
}

/**
 * Runs the check of every selected control: gated first (a source that failed, or a missing
 * licence or permission, gives one tenant-level finding instead), snapshot checks at once,
 * stream checks as folds over one shared pass of each stream. A check that throws is an `error`
 * for its control, never a crash. Findings by control ID, before exceptions, and the streams
 * that failed part-way.
 */
export async function runChecks(
  snapshot: Snapshot,
  policy: Policy,
  selected: readonly SelectedControl[],
  options: EvaluateOptions,
): Promise<{
  readonly findings: Map<string, readonly Finding[]>;
  readonly streamFailures: readonly StreamFailure[];
  readonly carried?: ReadonlyMap<string, CarriedControl>;
}> {
  const findingsByControl = new Map<string, readonly Finding[]>();
  const streamFolds = new Map<StreamCheck['stream'], FoldEntry[]>();

  for (const control of selected) {
    const id = control.definition.id;
    // Its fold is already reading (startEarlyStream); its findings are joined below.
    if (options.started?.controls.has(id)) continue;
    const gate = sourceGate(snapshot, control);
    if (gate) {
      findingsByControl.set(id, perTarget(gate, control, options));
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
    // Folds keep what they read at start (their optional sources are read then: a count of
    // enabled users, the hidden rules); a stream control's verdict sources are kept anyway.
    const kept = new Set<SourceId>(STREAMED_SOURCES);
    for (const control of selected) {
      const check = CHECKS[control.definition.id];
      if (check?.kind !== 'stream') continue;
      for (const id of control.definition.sources) kept.add(id);
    }
    for (const id of Object.keys(snapshot.manifest.sources) as SourceId[]) if (!kept.has(id)) snapshot.release(id);
  }
  // Streams are read side by side: each is paced by its own Graph family (sign-ins by the
  // reports limit, inbox rules by Outlook's), so reading them one after the other would add
  // their times instead of overlapping them. Folds stay independent, one stream each.
  const streamed = await Promise.all([
    ...[...streamFolds].map(([source, folds]) => runStream(snapshot, source, folds)),
    ...(options.started ? [options.started.outcome] : []),
  ]);
  for (const { findings } of streamed) for (const [id, found] of findings) findingsByControl.set(id, found);
  const carried = new Map(streamed.flatMap((o) => [...(o.carried ?? [])]));
  return {
    findings: findingsByControl,
    streamFailures: streamed.flatMap((o) => (o.failure ? [o.failure] : [])),
    ...(options.incremental ? { carried } : {}),
  };
}
