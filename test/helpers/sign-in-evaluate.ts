import { evaluate } from '../../src/evaluate/evaluate.js';
import type { JsonObject } from '../../src/model/json.js';
import type { Result } from '../../src/model/result.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import type { Policy } from '../../src/policy/policy.js';
import type { GraphUser, RiskDetection, RiskyUser, SignIn } from '../../src/snapshot/graph-types.js';
import { SNAPSHOT_FORMAT_VERSION, type Manifest } from '../../src/snapshot/manifest.js';
import { memorySnapshot, type PageStream } from '../../src/snapshot/snapshot.js';
import type { SourceId } from '../../src/snapshot/source-id.js';
import type { SourceStatus } from '../../src/snapshot/source-status.js';

export const SIGN_IN_STREAM_CONTROLS = [
  'legacy-auth.sign-ins',
  'sign-ins.countries',
  'sign-ins.impossible-travel',
  'sign-ins.password-spray',
  'sign-ins.mfa-fatigue',
] as const;

/** A policy with exactly the given controls on, each with its parameters. */
export function signInPolicy(
  controls: Readonly<Record<string, JsonObject>>,
  now: Date,
  exceptions: readonly JsonObject[] = [],
): Policy {
  const document = {
    id: 'test',
    title: 'sign-in test policy',
    version: '1.0.0',
    description: 'test',
    controls: Object.fromEntries(Object.entries(controls).map(([id, params]) => [id, { enabled: true, ...params }])),
    domains: { include: [], exclude: [], parked: [] },
    exceptions,
  };
  return parsePolicy(JSON.stringify(document), 'test-policy.json', now).policy;
}

/** Every sign-in control on, with US and CA allowed. */
export function allSignInControls(overrides: Readonly<Record<string, JsonObject>> = {}): Record<string, JsonObject> {
  return {
    'legacy-auth.sign-ins': {},
    'sign-ins.countries': { allowedCountries: ['US', 'CA'] },
    'sign-ins.impossible-travel': {},
    'sign-ins.password-spray': {},
    'sign-ins.mfa-fatigue': {},
    'sign-ins.risky-users': {},
    ...overrides,
  };
}

export interface SignInRun {
  readonly now: Date;
  readonly pages: PageStream<SignIn> | readonly (readonly SignIn[])[];
  readonly controls: Readonly<Record<string, JsonObject>>;
  readonly riskyUsers?: readonly RiskyUser[];
  readonly riskDetections?: readonly RiskDetection[];
  readonly statuses?: Partial<Record<SourceId, SourceStatus>>;
  readonly exceptions?: readonly JsonObject[];
  /** The tenant's users (graph.users), when the test gives them. */
  readonly users?: readonly GraphUser[];
}

/** Runs the real engine over an in-memory snapshot and returns its results. */
export async function evaluateSignIns(run: SignInRun): Promise<readonly Result[]> {
  const policy = signInPolicy(run.controls, run.now, run.exceptions);
  const pages = run.pages;
  const stream: PageStream<SignIn> =
    'pages' in pages && typeof pages.pages === 'function'
      ? pages
      : {
          async *pages() {
            for (const page of pages as readonly (readonly SignIn[])[]) yield page;
          },
        };
  const manifest: Manifest = {
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    tenantId: '00000000-0000-0000-0000-00000000beef',
    capturedAt: run.now.toISOString(),
    tool: { name: 'mailwarden', version: 'test' },
    licences: { 'entra-id-p1': true, 'entra-id-p2': true },
    sources: {
      'graph.signIns': { status: 'ok' },
      'graph.riskyUsers': { status: 'ok' },
      'graph.riskDetections': { status: 'ok' },
      ...(run.users ? { 'graph.users': { status: 'ok' } } : {}),
      ...run.statuses,
    },
  };
  const snapshot = memorySnapshot(manifest, {
    'graph.signIns': stream,
    'graph.riskyUsers': run.riskyUsers ?? [],
    'graph.riskDetections': run.riskDetections ?? [],
    ...(run.users ? { 'graph.users': run.users } : {}),
  });
  return (await evaluate(snapshot, policy, { now: run.now, domains: [] })).results;
}

/** `control → sorted failing targets`, the shape recall and precision are judged on. */
export function failingTargets(results: readonly Result[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const r of results) {
    if (r.status !== 'fail') continue;
    const targets = out[r.control] ?? [];
    out[r.control] = targets;
    targets.push(r.target);
  }
  for (const list of Object.values(out)) list.sort();
  return out;
}

export function resultsOf(results: readonly Result[], control: string): readonly Result[] {
  return results.filter((r) => r.control === control);
}
