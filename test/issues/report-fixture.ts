import { readFileSync } from 'node:fs';
import type { ControlOutcome } from '../../src/evaluate/evaluation.js';
import { fingerprint } from '../../src/evaluate/fingerprint.js';
import type { JsonObject } from '../../src/model/json.js';
import type { Result } from '../../src/model/result.js';
import type { Severity } from '../../src/model/severity.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import type { Policy } from '../../src/policy/policy.js';
import { createDisclosure, type PublicReport, type ShownResult } from '../../src/report/disclosure.js';
import { summarise, type Report } from '../../src/report/report.js';

export const TENANT = '8d1f2c4e-5a6b-4c7d-9e0f-1a2b3c4d5e6f';

/** The demo policy, parsed: real control lines for SARIF and real exception settings. */
export function demoPolicy(): Policy {
  return parsePolicy(
    readFileSync('demo/demo-policy.json', 'utf8'),
    'demo/demo-policy.json',
    new Date('2026-11-27T06:00:00Z'),
  ).policy;
}

export interface ResultSpec {
  readonly control?: string;
  readonly target: string;
  readonly status?: Result['status'];
  readonly severity?: Severity;
  readonly evidence?: JsonObject;
  readonly message?: string;
  readonly exception?: Result['exception'];
}

export function result(spec: ResultSpec): Result {
  const control = spec.control ?? 'mfa.registration';
  return {
    control,
    controlVersion: 1,
    area: 'mfa',
    title: 'MFA registration coverage',
    target: spec.target,
    status: spec.status ?? 'fail',
    severity: spec.severity ?? 'high',
    message: spec.message ?? `${spec.target} is not registered for MFA.`,
    evidence: spec.evidence ?? { upn: spec.target, reason: 'not registered' },
    fingerprint: fingerprint(control, TENANT, spec.target),
    ...(spec.exception ? { exception: spec.exception } : {}),
  };
}

/** A report over the given results; every control in them is `evaluated` unless overridden. */
export function report(
  results: readonly Result[],
  options: { capturedAt?: string; runUrl?: string; gitSha?: string; controls?: readonly ControlOutcome[] } = {},
): Report {
  const capturedAt = options.capturedAt ?? '2026-11-27T06:00:00.000Z';
  const controls =
    options.controls ??
    [...new Set(results.map((r) => r.control).concat('mfa.registration'))].map((control) => ({
      control,
      status: 'evaluated' as const,
      coverage: 'complete' as const,
    }));
  return {
    schemaVersion: 1,
    tool: { name: 'mailwarden', version: '0.1.0' },
    run: {
      startedAt: capturedAt,
      finishedAt: capturedAt,
      mode: 'snapshot',
      tenantId: TENANT,
      runUrl: options.runUrl ?? 'https://github.com/contoso/it-audit/actions/runs/1',
      ...(options.gitSha ? { gitSha: options.gitSha } : {}),
    },
    policy: { path: 'demo/demo-policy.json', sha256: '0', id: 'demo', version: '1.0.0', title: 'Demo' },
    snapshot: {
      formatVersion: 1,
      tenantId: TENANT,
      capturedAt,
      tool: { name: 'mailwarden', version: '0.1.0' },
      licences: { 'entra-id-p1': true, 'entra-id-p2': true },
      sources: {},
    },
    controls,
    results,
    exceptions: { applied: [], unused: [] },
    summary: summarise(results),
  };
}

export function users(n: number, domain = 'contosohealth.example'): Result[] {
  return Array.from({ length: n }, (_, i) => result({ target: `user${String(i).padStart(3, '0')}@${domain}` }));
}

/** A report as the one redaction step shows it: unredacted, or redacted with pseudonyms keyed by `redactKey`. */
export function shown(rep: Report, redactKey?: string): PublicReport {
  return createDisclosure({
    decision: { redact: redactKey !== undefined, why: redactKey !== undefined ? 'redact: always' : 'redact: never' },
    key: redactKey ?? 'mailwarden',
  }).show(rep);
}

/** One result as the one redaction step shows it. */
export function shownResult(r: Result, redactKey?: string): ShownResult {
  const [one] = shown(report([r]), redactKey).results;
  if (!one) throw new Error('no result');
  return one;
}

/** Where an issue says the policy is, for renderFindingIssue. */
export function place(policyPath = 'demo/demo-policy.json'): { readonly path: string; readonly bundled: boolean } {
  return { path: policyPath, bundled: false };
}
