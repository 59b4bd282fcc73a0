import { AREAS, type Area } from '../model/area.js';
import type { Result } from '../model/result.js';
import type { RunMode } from '../model/run-mode.js';
import { STATUSES, type Status } from '../model/status.js';
import type { ControlOutcome } from '../evaluate/evaluation.js';
import type { Evaluation } from '../evaluate/evaluation.js';
import type { Policy, PolicyException } from '../policy/policy.js';
import type { Manifest } from '../snapshot/manifest.js';

/** Version of the JSON evidence report; docs/report.schema.json describes it. */
export const REPORT_SCHEMA_VERSION = 1;

export type StatusCounts = Readonly<Record<Status, number>>;

/** Where the run happened, so an auditor can tie a report to a workflow run. */
export interface RunInfo {
  readonly startedAt: string;
  readonly finishedAt: string;
  /** `tenant` (live), `simulate`, `snapshot` (replay) or `dns-only`. */
  readonly mode: RunMode;
  readonly tenantId: string | null;
  readonly repository?: string;
  readonly gitSha?: string;
  readonly runUrl?: string;
  /** The areas `--only` limited the run to; absent means every area. */
  readonly only?: readonly Area[];
}

/** How the snapshot in an evidence pack was pseudonymised (src/evidence/redact-snapshot.ts). */
export interface RedactionInfo {
  readonly method: 'keyed-hash-pseudonyms';
  /** `per-run`: a random key, so pseudonyms cannot be linked across runs; `configured`: a fixed key. */
  readonly key: 'per-run' | 'configured';
  /** How many values were replaced, by kind. */
  readonly pseudonymised: { readonly emails: number; readonly names: number; readonly ips: number };
  /** Identifiers left in clear because the policy's exceptions already name them. */
  readonly keptInClear: readonly string[];
}

/** The JSON evidence report: everything an auditor needs to check one run. */
export interface Report {
  readonly schemaVersion: number;
  readonly tool: { readonly name: string; readonly version: string };
  readonly run: RunInfo;
  readonly policy: {
    readonly path: string;
    readonly sha256: string;
    readonly id: string;
    readonly version: string;
    readonly title: string;
  };
  readonly snapshot: Manifest;
  /** Present in an evidence pack whose snapshot was pseudonymised; results then refer to pseudonyms. */
  readonly redaction?: RedactionInfo;
  readonly controls: readonly ControlOutcome[];
  readonly results: readonly Result[];
  readonly exceptions: {
    readonly applied: readonly (Omit<PolicyException, 'pointer'> & { readonly expired: boolean })[];
    readonly unused: readonly Omit<PolicyException, 'pointer'>[];
  };
  readonly summary: {
    readonly total: number;
    readonly byStatus: StatusCounts;
    readonly byArea: Readonly<Record<Area, StatusCounts>>;
  };
}

export function emptyCounts(): Record<Status, number> {
  return Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
}

export function summarise(results: readonly Result[]): Report['summary'] {
  const byStatus = emptyCounts();
  const byArea = Object.fromEntries(AREAS.map((a) => [a, emptyCounts()])) as Record<Area, Record<Status, number>>;
  for (const result of results) {
    byStatus[result.status]++;
    byArea[result.area][result.status]++;
  }
  return { total: results.length, byStatus, byArea };
}

function withoutPointer<T extends { pointer: string }>(value: T): Omit<T, 'pointer'> {
  const { pointer: _pointer, ...rest } = value;
  return rest;
}

export interface BuildReportInput {
  readonly tool: { readonly name: string; readonly version: string };
  readonly run: RunInfo;
  readonly policy: Policy;
  readonly manifest: Manifest;
  readonly evaluation: Evaluation;
}

export function buildReport({ tool, run, policy, manifest, evaluation }: BuildReportInput): Report {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool,
    run,
    policy: { path: policy.path, sha256: policy.sha256, id: policy.id, version: policy.version, title: policy.title },
    snapshot: manifest,
    controls: evaluation.controls,
    results: evaluation.results,
    exceptions: {
      applied: evaluation.exceptionsApplied.map(withoutPointer),
      unused: evaluation.unusedExceptions.map(withoutPointer),
    },
    summary: summarise(evaluation.results),
  };
}
