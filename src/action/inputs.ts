import { checkCertificatePem } from '../collect/live/credential-settings.js';
import type { CredentialSettings } from '../collect/live/tenant-target.js';
import { MAX_DEADLINE_MINUTES } from '../collect/deadline.js';
import type { Env } from '../entry/env.js';
import {
  type OptionSource,
  readDns,
  readEvidence,
  readIncremental,
  readOnly,
  readFailOn,
  optionalSecret,
  readIssues,
  readCloud,
  readTenantTarget,
} from '../entry/read-settings.js';
import { plausibleSecret } from '../model/secrets.js';
import { ConfigurationError } from '../errors.js';
import type { MergeSettings, Settings, TargetSettings } from '../run/settings.js';
import { parseShard } from '../snapshot/shard.js';

/** How inputs are read; `core.getInput` in the Action, a map in tests. */
export type GetInput = (name: string) => string;

/** The Action's inputs, exactly as declared in action.yml. A test keeps the two in step. */
export const ACTION_INPUTS = [
  'policy',
  'tenant-id',
  'client-id',
  'client-secret',
  'certificate',
  'cloud',
  'audience',
  'snapshot',
  'domains',
  'dns-servers',
  'fail-on',
  'report-path',
  'evidence-dir',
  'redact-evidence',
  'issues',
  'labels',
  'max-new-issues',
  'redact',
  'github-token',
  'shard',
  'only',
  'incremental-state',
  'incremental-cache',
  'tenant-label',
  'merge-reports',
  'deadline-minutes',
] as const;

/** The Action's inputs as an OptionSource: values trimmed, empty ones absent, lists split on commas and white space. */
function inputSource(getInput: GetInput): OptionSource {
  const get = (name: string) => getInput(name).trim() || undefined;
  return {
    get,
    list: (name) =>
      getInput(name)
        .split(/[\s,]+/)
        .filter((s) => s !== ''),
    label: (name) => `Input "${name}"`,
    fail: (message) => new ConfigurationError(message),
  };
}

function booleanInput(name: string, value: string, fallback: boolean): boolean {
  const v = value.trim().toLowerCase();
  if (v === '') return fallback;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new ConfigurationError(`Input "${name}": expected true or false, got "${value}"`);
}

/**
 * The live tenant: GitHub OIDC federation unless a client secret or certificate is given, so a
 * scheduled workflow needs no stored secret (`permissions: id-token: write`).
 */
function tenantInputs(getInput: GetInput): TargetSettings {
  const source = inputSource(getInput);
  const tenant = source.get('tenant-id');
  const client = source.get('client-id');
  if (tenant === undefined || client === undefined) {
    throw new ConfigurationError(
      'Inputs "tenant-id" and "client-id" are required to audit a tenant (or set "snapshot" to re-evaluate a saved snapshot folder)',
    );
  }
  const secret = source.get('client-secret');
  const certificate = source.get('certificate');
  if (secret !== undefined && certificate !== undefined)
    throw new ConfigurationError('Inputs "client-secret" and "certificate" cannot be used together');
  let credentials: CredentialSettings = { kind: 'github-oidc' };
  if (secret !== undefined)
    credentials = {
      kind: 'client-secret',
      secret: plausibleSecret(secret, source.label('client-secret'), 'client secret'),
    };
  else if (certificate !== undefined) {
    checkCertificatePem(certificate, 'Input "certificate"');
    credentials = { kind: 'certificate', pem: certificate, source: 'input "certificate"' };
  }
  return readTenantTarget(source, tenant, { value: client, label: source.label('client-id') }, credentials);
}

/**
 * `deadline-minutes`: one deadline for the whole collection (collect/deadline.ts), as the CLI's
 * `--deadline`. A job's own `timeout-minutes` kills the step with no report; this deadline ends
 * collection in time for what was cut to be reported as `error` and the rest judged.
 */
export function deadlineInput(source: OptionSource): number | undefined {
  const value = source.get('deadline-minutes');
  if (value === undefined) return undefined;
  const minutes = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(minutes >= 1 && minutes <= MAX_DEADLINE_MINUTES))
    throw source.fail(
      `${source.label('deadline-minutes')}: expected whole minutes from 1 to ${MAX_DEADLINE_MINUTES}, got "${value}"`,
    );
  return minutes;
}

/**
 * `shard: i/n`: this job's slice of a matrix audit. Only live collection is sliced; a snapshot
 * folder's manifest already names the shard it holds, so the input is refused there.
 */
export function shardInput(getInput: GetInput, target: TargetSettings): Pick<Settings, 'shard'> {
  const value = getInput('shard').trim();
  if (value === '') return {};
  if (target.kind !== 'tenant') {
    throw new ConfigurationError(
      `Input "shard" applies to live tenant audits; the snapshot's manifest already names its shard (got "${value}")`,
    );
  }
  return { shard: parseShard(value, 'Input "shard"') };
}

/**
 * Reads the Action inputs once into Settings, through the parser the CLI shares. This is the
 * only module that knows input names; errors quote the input and the value so the workflow
 * author can fix them.
 */
export function readInputs(getInput: GetInput, workspace: string, env: Env = {}): Settings {
  const source = inputSource(getInput);
  const snapshot = source.get('snapshot');
  const dns = readDns(source, { servers: 'dns-servers' });
  let target: TargetSettings;
  if (snapshot !== undefined) {
    if (dns.domains.length > 0) throw new ConfigurationError('Inputs "snapshot" and "domains" cannot be used together');
    target = { kind: 'snapshot', dir: snapshot };
  } else if (dns.domains.length > 0 && source.get('tenant-id') === undefined && source.get('client-id') === undefined) {
    // Domains without a tenant: the DNS-only audit, no credentials needed.
    target = { kind: 'dns-only', domains: dns.domains, cloud: readCloud(source) };
  } else {
    // The default: the live tenant, over GitHub OIDC unless a secret or certificate is given.
    target = tenantInputs(getInput);
  }
  const shard = shardInput(getInput, target);
  const sharded = shard.shard !== undefined && shard.shard.count > 1;
  // An artifact leaves the tenant's boundary, so the Action redacts evidence by default; the key
  // is random per run, so pseudonyms cannot be linked across nightly packs.
  const redactEvidence = booleanInput('redact-evidence', getInput('redact-evidence'), true);
  const only = readOnly(source);
  if (target.kind === 'dns-only' && only !== undefined)
    throw new ConfigurationError('Input "only" does not apply to a DNS-only audit (it judges email-auth alone)');
  const incremental = readIncremental(source, env, 'incremental-state');
  if (incremental && sharded)
    throw new ConfigurationError(
      'Input "incremental-state" carries one run\'s sign-in state; it cannot be used with "shard"',
    );
  const deadlineMinutes = deadlineInput(source);
  return {
    policyPath: source.get('policy'),
    target,
    ...shard,
    ...(deadlineMinutes !== undefined ? { deadlineMinutes } : {}),
    dns,
    saveSnapshotDir: undefined,
    // DNS-only mode has data for the email-authentication area only.
    only: target.kind === 'dns-only' ? ['email-auth'] : only,
    ...(incremental ? { incremental } : {}),
    reportJsonPath: source.get('report-path') ?? `${workspace}/mailwarden-report.json`,
    ...readEvidence(source, { redact: redactEvidence, redactionKey: undefined }),
    summaryMarkdownPath: undefined,
    failOn: readFailOn(source),
    debug: false,
    // Always written: the `sarif-path` output feeds github/codeql-action/upload-sarif.
    sarifPath: `${workspace}/mailwarden.sarif`,
    issues: issuesInputs(source, env, sharded),
  };
}

/** A shard's partial report never syncs issues (the merge job does): `issues` defaults to off there. */
function issuesInputs(source: OptionSource, env: Env, sharded = false) {
  const issues = readIssues(source, env, {
    defaultMode: sharded ? 'off' : 'on',
    token: optionalSecret(source.get('github-token'), source.label('github-token'), 'GitHub token'),
  });
  if (sharded && issues.mode !== 'off') {
    throw new ConfigurationError(
      `Input "issues" is "${issues.mode}" in a shard job; a partial report must not sync issues: set "issues: off" and sync from the merge job ("merge-reports" input)`,
    );
  }
  return issues;
}

/** What the Action does this job: audit (maybe one shard), or merge the shards' reports. */
export type ActionMode =
  | { readonly kind: 'audit'; readonly settings: Settings }
  | { readonly kind: 'merge'; readonly settings: MergeSettings };

/** Inputs that choose what to audit, which a merge job has no use for. */
const AUDIT_ONLY_INPUTS = [
  'tenant-id',
  'snapshot',
  'domains',
  'shard',
  'evidence-dir',
  'only',
  'incremental-state',
  'incremental-cache',
] as const;

/**
 * Whether an audit-only input asks for something. The runner fills in each input's action.yml
 * default when the workflow leaves it out, so a flag whose default is "false" counts only when true.
 */
function asksForAudit(getInput: GetInput, name: (typeof AUDIT_ONLY_INPUTS)[number]): boolean {
  if (name === 'incremental-cache') return booleanInput(name, getInput(name), false);
  return getInput(name).trim() !== '';
}

/**
 * `merge-reports` (partial report files or globs, whitespace or comma separated) turns the job
 * into the merge job of a sharded audit: merge, write the report, SARIF and summary, and sync
 * the issues once. Otherwise the job audits (readInputs).
 */
export function readActionMode(getInput: GetInput, workspace: string, env: Env = {}): ActionMode {
  const source = inputSource(getInput);
  const reports = source.list('merge-reports');
  if (reports.length === 0) return { kind: 'audit', settings: readInputs(getInput, workspace, env) };
  for (const name of AUDIT_ONLY_INPUTS) {
    if (asksForAudit(getInput, name))
      throw new ConfigurationError(
        `Inputs "merge-reports" and "${name}" cannot be used together: the merge job audits nothing itself`,
      );
  }
  return {
    kind: 'merge',
    settings: {
      reports,
      policyPath: source.get('policy'),
      reportJsonPath: source.get('report-path') ?? `${workspace}/mailwarden-report.json`,
      summaryMarkdownPath: undefined,
      sarifPath: `${workspace}/mailwarden.sarif`,
      failOn: readFailOn(source),
      issues: issuesInputs(source, env),
      debug: false,
    },
  };
}

/**
 * `incremental-cache: true`: keep the `incremental-state` file in the Actions cache, restored
 * before the run and saved after it (src/action/state-cache.ts). Needs `incremental-state`.
 */
export function incrementalCacheInput(getInput: GetInput, settings: Settings): boolean {
  const cache = booleanInput('incremental-cache', getInput('incremental-cache'), false);
  if (cache && settings.incremental === undefined)
    throw new ConfigurationError(
      'Input "incremental-cache" keeps the "incremental-state" file in the Actions cache; set "incremental-state" too',
    );
  return cache;
}
