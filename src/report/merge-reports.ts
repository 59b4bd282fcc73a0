import { CONTROLS } from '../controls/catalog.js';
import { ConfigurationError } from '../errors.js';
import type { ControlOutcome } from '../evaluate/evaluation.js';
import { TENANT_TARGET } from '../model/finding.js';
import type { Json, JsonObject } from '../model/json.js';
import type { Result } from '../model/result.js';
import type { Status } from '../model/status.js';
import { isShardedControl } from '../snapshot/shard.js';
import type { Manifest } from '../snapshot/manifest.js';
import type { SourceStatus } from '../snapshot/source-status.js';
import type { SourceId } from '../snapshot/source-id.js';
import { REPORT_SCHEMA_VERSION, summarise, type Report } from './report.js';

/** A partial report read from a file, named for error messages. */
export interface NamedReport {
  readonly file: string;
  readonly report: Report;
}

const SEVERITY_OF_STATUS: Readonly<Record<SourceStatus['status'], number>> = {
  ok: 0,
  not_licensed: 1,
  not_permitted: 2,
  failed: 3,
};

const CATALOG_ORDER = new Map(CONTROLS.map((c, i) => [c.id, i]));
const SHARDED_CONTROLS: ReadonlySet<string> = new Set(
  CONTROLS.filter((c) => isShardedControl(c.sources)).map((c) => c.id),
);

/** When two shards give one target different verdicts, the worse one stands (fail closed). */
const STATUS_RANK: Readonly<Record<Status, number>> = { pass: 0, excepted: 1, not_evaluable: 2, fail: 3, error: 4 };

/** Adds the numbers of two evidence objects key by key (sweep coverage counts); the rest is kept from `a`. */
function sumCounts(a: JsonObject, b: JsonObject): JsonObject {
  const out: Record<string, Json> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const mine = out[key];
    if (typeof mine === 'number' && typeof value === 'number') out[key] = mine + value;
    else if (
      mine !== null &&
      typeof mine === 'object' &&
      !Array.isArray(mine) &&
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value)
    ) {
      out[key] = sumCounts(mine as JsonObject, value as JsonObject);
    } else if (mine === undefined) out[key] = value;
  }
  return out;
}

/**
 * The results of the shards, one per fingerprint. A per-mailbox control's tenant-level `pass`
 * ("no rule breaks this control") holds for the tenant only when every shard passed: then one
 * pass stands with the shards' coverage counts added up; when any shard found something, the
 * passes of the others are dropped, as the unsharded run would never have emitted one.
 */
function mergeResults(ordered: readonly NamedReport[], count: number): Result[] {
  const results = new Map<string, Result>();
  const tenantPasses = new Map<string, Result[]>();
  const judged = new Set<string>();
  for (const { report } of ordered) {
    for (const result of report.results) {
      if (SHARDED_CONTROLS.has(result.control) && result.target === TENANT_TARGET && result.status === 'pass') {
        tenantPasses.set(result.control, [...(tenantPasses.get(result.control) ?? []), result]);
        continue;
      }
      if (SHARDED_CONTROLS.has(result.control)) judged.add(result.control);
      const earlier = results.get(result.fingerprint);
      if (!earlier || STATUS_RANK[result.status] > STATUS_RANK[earlier.status]) results.set(result.fingerprint, result);
    }
  }
  for (const [control, passes] of tenantPasses) {
    if (judged.has(control)) continue;
    const [first, ...rest] = passes;
    if (!first) continue;
    const evidence = rest.reduce((sum, r) => sumCounts(sum, r.evidence), first.evidence);
    results.set(first.fingerprint, {
      ...first,
      message:
        count > 1 && passes.length === count
          ? `Passes in all ${count} shards; the evidence adds up their coverage.`
          : first.message,
      evidence: count > 1 ? { ...evidence, shards: passes.length } : evidence,
    });
  }
  if (count <= 1) return [...results.values()];
  // Every result of a per-mailbox control carries its shard's sweep coverage; the merged results
  // carry the whole tenant's (the shards' counts added up), as the unsharded run's do, so an
  // issue body does not change with the number of shards.
  const sweeps = new Map<string, JsonObject>();
  for (const { report } of ordered) {
    const seenHere = new Set<string>();
    for (const result of report.results) {
      const sweep = result.evidence.sweep;
      if (!SHARDED_CONTROLS.has(result.control) || seenHere.has(result.control) || !isObject(sweep)) continue;
      seenHere.add(result.control);
      const sum = sweeps.get(result.control);
      sweeps.set(result.control, sum ? sumCounts(sum, sweep) : sweep);
    }
  }
  return [...results.values()].map((r) => {
    const sweep = sweeps.get(r.control);
    return sweep && isObject(r.evidence.sweep) && !(r.target === TENANT_TARGET && r.status === 'pass')
      ? { ...r, evidence: { ...r.evidence, sweep } }
      : r;
  });
}

function isObject(value: Json | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function sameEverywhere(
  reports: readonly NamedReport[],
  what: string,
  pick: (r: Report) => string | number | null | undefined,
): void {
  const first = reports[0];
  if (!first) return;
  const expected = pick(first.report);
  for (const { file, report } of reports) {
    const value = pick(report);
    if (value !== expected) {
      throw new ConfigurationError(
        `merge-reports: ${file} has ${what} ${JSON.stringify(value)}, but ${first.file} has ${JSON.stringify(expected)}; partial reports must come from one run`,
      );
    }
  }
}

const COVERAGE_RANK = { complete: 0, listed: 1, partial: 2 } as const;

/** One control across shards: not judged anywhere wins, then the least coverage, with every unread source. */
function mergeOutcome(a: ControlOutcome | undefined, b: ControlOutcome): ControlOutcome {
  if (!a) return b;
  if (a.status === 'evaluated' && b.status === 'evaluated') {
    const coverage = COVERAGE_RANK[a.coverage] >= COVERAGE_RANK[b.coverage] ? a.coverage : b.coverage;
    const unread = [...new Set([...(a.unread ?? []), ...(b.unread ?? [])])];
    return { ...a, coverage, ...(unread.length > 0 ? { unread } : {}) };
  }
  if (a.status === 'evaluated') return b;
  if (b.status === 'evaluated') return a;
  return a.status === 'error' ? a : b;
}

/**
 * Combines the partial reports of a sharded audit into one. They must share the tool
 * version, policy, tenant and shard count, and every shard 1..n must be there exactly once:
 * a missing shard is an error, never silently merged as passes.
 */
export function mergeReports(reports: readonly NamedReport[]): Report {
  if (reports.length === 0) throw new ConfigurationError('merge-reports needs at least one report');
  for (const { file, report } of reports) {
    if (report.schemaVersion !== REPORT_SCHEMA_VERSION) {
      throw new ConfigurationError(
        `merge-reports: ${file} has report schemaVersion ${report.schemaVersion}, expected ${REPORT_SCHEMA_VERSION}`,
      );
    }
  }
  sameEverywhere(reports, 'tool version', (r) => r.tool.version);
  sameEverywhere(reports, 'policy sha256', (r) => r.policy.sha256);
  sameEverywhere(reports, 'tenant', (r) => r.run.tenantId);
  sameEverywhere(reports, 'shard count', (r) => r.snapshot.shard?.count ?? 1);

  const count = reports[0]?.report.snapshot.shard?.count ?? 1;
  const seen = new Map<number, string>();
  for (const { file, report } of reports) {
    const index = report.snapshot.shard?.index ?? 1;
    const earlier = seen.get(index);
    if (earlier)
      throw new ConfigurationError(`merge-reports: shard ${index}/${count} appears twice (${earlier} and ${file})`);
    seen.set(index, file);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0) {
    throw new ConfigurationError(
      `merge-reports: missing shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')}; refusing to merge a partial audit`,
    );
  }

  const ordered = [...reports].sort(
    (a, b) => (a.report.snapshot.shard?.index ?? 1) - (b.report.snapshot.shard?.index ?? 1),
  );
  const first = ordered[0]?.report;
  if (first === undefined) throw new ConfigurationError('merge-reports: no partial reports to merge');
  const outcomes = new Map<string, ControlOutcome>();
  const sources: Partial<Record<SourceId, SourceStatus>> = {};
  for (const { report } of ordered) {
    for (const outcome of report.controls)
      outcomes.set(outcome.control, mergeOutcome(outcomes.get(outcome.control), outcome));
    for (const [id, status] of Object.entries(report.snapshot.sources) as [SourceId, SourceStatus][]) {
      const current = sources[id];
      if (!current || SEVERITY_OF_STATUS[status.status] > SEVERITY_OF_STATUS[current.status]) {
        sources[id] = status;
      } else if (
        current.status === 'ok' &&
        status.status === 'ok' &&
        current.count !== undefined &&
        status.count !== undefined
      ) {
        sources[id] = { ...current, count: current.count + status.count };
      }
    }
  }
  const order = (control: string): number => CATALOG_ORDER.get(control) ?? Number.MAX_SAFE_INTEGER;
  const mergedResults = mergeResults(ordered, count).sort(
    (a, b) => order(a.control) - order(b.control) || (a.target < b.target ? -1 : a.target > b.target ? 1 : 0),
  );
  const mergedControls = [...outcomes.values()].sort((a, b) => order(a.control) - order(b.control));
  // An exception is unused only if no shard used it.
  const unusedEverywhere = first.exceptions.unused.filter((e) =>
    ordered.every(({ report }) =>
      report.exceptions.unused.some((u) => u.control === e.control && u.target === e.target),
    ),
  );
  const { shard: _shard, ...manifestWithoutShard } = first.snapshot;
  const snapshot: Manifest = {
    ...manifestWithoutShard,
    capturedAt:
      ordered
        .map((r) => r.report.snapshot.capturedAt)
        .sort()
        .at(-1) ?? first.snapshot.capturedAt,
    sources,
  };
  return {
    ...first,
    run: {
      ...first.run,
      startedAt: ordered.map((r) => r.report.run.startedAt).sort()[0] ?? first.run.startedAt,
      finishedAt:
        ordered
          .map((r) => r.report.run.finishedAt)
          .sort()
          .at(-1) ?? first.run.finishedAt,
    },
    snapshot,
    controls: mergedControls,
    results: mergedResults,
    exceptions: {
      applied: ordered.flatMap((r) => r.report.exceptions.applied),
      unused: unusedEverywhere,
    },
    summary: summarise(mergedResults),
  };
}
