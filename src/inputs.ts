import { parseCloud, resolveEndpoints } from './collect/live/clouds.js';
import { checkCertificatePem, parseClientId, parseTenantId } from './collect/live/credential-settings.js';
import { ConfigurationError } from './errors.js';
import { isSeverity, type FailOn } from './model/severity.js';
import { isRedactMode } from './issues/redact.js';
import { parseDomainList } from './collect/dns/domain-list.js';
import { parseDnsServer } from './collect/dns/server-address.js';
import { parseShard } from './shard/shard.js';
import {
  ISSUES_OFF,
  type CredentialSettings,
  type DnsSettings,
  type IssuesSettings,
  type MergeSettings,
  type Settings,
  type TargetSettings,
} from './settings.js';

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
  'tenant-label',
  'merge-reports',
] as const;

/** The runner's context variables the Action reads (not inputs). */
export interface ActionEnv {
  readonly GITHUB_REPOSITORY?: string;
  readonly GITHUB_API_URL?: string;
  readonly MAILWARDEN_REDACT_KEY?: string;
}

/** A shard's partial report never syncs issues (the merge job does): `issues` defaults to off there. */
function issuesInputs(getInput: GetInput, env: ActionEnv, sharded = false): IssuesSettings {
  const mode = getInput('issues').trim() || (sharded ? 'off' : 'on');
  if (mode !== 'off' && mode !== 'dry-run' && mode !== 'on') {
    throw new ConfigurationError(`Input "issues": expected off, dry-run or on, got "${mode}"`);
  }
  if (sharded && mode !== 'off') {
    throw new ConfigurationError(
      `Input "issues" is "${mode}" in a shard job; a partial report must not sync issues: set "issues: off" and sync from the merge job ("merge-reports" input)`,
    );
  }
  const redact = getInput('redact').trim() || 'auto';
  if (!isRedactMode(redact))
    throw new ConfigurationError(`Input "redact": expected auto, always or never, got "${redact}"`);
  const max = getInput('max-new-issues').trim() || '20';
  if (!/^\d+$/.test(max)) throw new ConfigurationError(`Input "max-new-issues": expected a whole number, got "${max}"`);
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const tenantName = getInput('tenant-label').trim();
  return {
    mode,
    repo: owner && repo ? { owner, repo } : undefined,
    apiUrl: env.GITHUB_API_URL?.replace(/\/+$/, '') || ISSUES_OFF.apiUrl,
    token: getInput('github-token').trim() || undefined,
    labels: getInput('labels')
      .split(',')
      .map((l) => l.trim())
      .filter((l) => l !== ''),
    maxNewIssues: Number(max),
    redact,
    redactKey: env.MAILWARDEN_REDACT_KEY || undefined,
    ...(tenantName !== '' ? { tenantName } : {}),
  };
}

function failOn(value: string): FailOn {
  const v = value.trim() || 'high';
  if (v === 'none' || isSeverity(v)) return v;
  throw new ConfigurationError(`Input "fail-on": expected none, low, medium, high or critical, got "${value}"`);
}

function booleanInput(name: string, value: string, fallback: boolean): boolean {
  const v = value.trim().toLowerCase();
  if (v === '') return fallback;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new ConfigurationError(`Input "${name}": expected true or false, got "${value}"`);
}

/** `evidence-dir` and `redact-evidence`: an evidence pack, pseudonymised unless turned off. */
function evidenceInputs(getInput: GetInput): Pick<Settings, 'evidence'> {
  const dir = getInput('evidence-dir').trim();
  // An artifact leaves the tenant's boundary, so the Action redacts by default; the key is
  // random per run, so pseudonyms cannot be linked across nightly packs.
  const redact = booleanInput('redact-evidence', getInput('redact-evidence'), true);
  return dir === '' ? {} : { evidence: { dir, redact, redactionKey: undefined } };
}

/**
 * The live tenant: GitHub OIDC federation unless a client secret or certificate is given, so a
 * scheduled workflow needs no stored secret (`permissions: id-token: write`).
 */
function tenantInputs(getInput: GetInput): TargetSettings {
  const tenant = getInput('tenant-id').trim();
  const client = getInput('client-id').trim();
  if (tenant === '' || client === '') {
    throw new ConfigurationError(
      'Inputs "tenant-id" and "client-id" are required to audit a tenant (or set "snapshot" to re-evaluate a saved snapshot folder)',
    );
  }
  const secret = getInput('client-secret').trim();
  const certificate = getInput('certificate').trim();
  if (secret !== '' && certificate !== '')
    throw new ConfigurationError('Inputs "client-secret" and "certificate" cannot be used together');
  let credentials: CredentialSettings = { kind: 'github-oidc' };
  if (secret !== '') credentials = { kind: 'client-secret', secret };
  else if (certificate !== '') {
    checkCertificatePem(certificate, 'Input "certificate"');
    credentials = { kind: 'certificate', pem: certificate, source: 'input "certificate"' };
  }
  const cloud = parseCloud(getInput('cloud'), 'Input "cloud"');
  return {
    kind: 'tenant',
    tenantId: parseTenantId(tenant, 'Input "tenant-id"'),
    clientId: parseClientId(client, 'Input "client-id"'),
    credentials,
    cloud,
    endpoints: resolveEndpoints(cloud, {}),
  };
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
 * Reads the Action inputs once into Settings. This is the only module that knows input names;
 * errors quote the input and the value so the workflow author can fix them.
 */
/** `domains` and `dns-servers`: comma, space or newline separated. */
function dnsInputs(getInput: GetInput): DnsSettings {
  const domains = parseDomainList(getInput('domains'), 'Input "domains"');
  const servers = getInput('dns-servers')
    .split(/[\s,]+/)
    .filter((s) => s !== '');
  for (const server of servers) parseDnsServer(server, 'Input "dns-servers"');
  return { servers, domains };
}

export function readInputs(getInput: GetInput, workspace: string, env: ActionEnv = {}): Settings {
  const snapshot = getInput('snapshot').trim();
  const dns = dnsInputs(getInput);
  let target: TargetSettings;
  if (snapshot !== '') {
    if (dns.domains.length > 0) throw new ConfigurationError('Inputs "snapshot" and "domains" cannot be used together');
    target = { kind: 'snapshot', dir: snapshot };
  } else if (dns.domains.length > 0 && getInput('tenant-id').trim() === '' && getInput('client-id').trim() === '') {
    // Domains without a tenant: the DNS-only audit, no credentials needed.
    target = { kind: 'dns-only', domains: dns.domains };
  } else {
    // The default: the live tenant, over GitHub OIDC unless a secret or certificate is given.
    target = tenantInputs(getInput);
  }
  const reportPath = getInput('report-path').trim() || `${workspace}/mailwarden-report.json`;
  const shard = shardInput(getInput, target);
  return {
    policyPath: getInput('policy').trim() || undefined,
    target,
    ...shard,
    dns,
    saveSnapshotDir: undefined,
    // DNS-only mode has data for the email-authentication area only.
    only: target.kind === 'dns-only' ? ['email-auth'] : undefined,
    reportJsonPath: reportPath,
    ...evidenceInputs(getInput),
    summaryMarkdownPath: undefined,
    failOn: failOn(getInput('fail-on')),
    debug: false,
    // Always written: the `sarif-path` output feeds github/codeql-action/upload-sarif.
    sarifPath: `${workspace}/mailwarden.sarif`,
    issues: issuesInputs(getInput, env, shard.shard !== undefined && shard.shard.count > 1),
  };
}

/** What the Action does this job: audit (maybe one shard), or merge the shards' reports. */
export type ActionMode =
  | { readonly kind: 'audit'; readonly settings: Settings }
  | { readonly kind: 'merge'; readonly settings: MergeSettings };

/** Inputs that choose what to audit, which a merge job has no use for. */
const AUDIT_ONLY_INPUTS = ['tenant-id', 'snapshot', 'domains', 'shard', 'evidence-dir'] as const;

/**
 * `merge-reports` (partial report files or globs, whitespace or comma separated) turns the job
 * into the merge job of a sharded audit: merge, write the report, SARIF and summary, and sync
 * the issues once. Otherwise the job audits (readInputs).
 */
export function readActionMode(getInput: GetInput, workspace: string, env: ActionEnv = {}): ActionMode {
  const reports = getInput('merge-reports')
    .split(/[\s,]+/)
    .filter((r) => r !== '');
  if (reports.length === 0) return { kind: 'audit', settings: readInputs(getInput, workspace, env) };
  for (const name of AUDIT_ONLY_INPUTS) {
    if (getInput(name).trim() !== '')
      throw new ConfigurationError(
        `Inputs "merge-reports" and "${name}" cannot be used together: the merge job audits nothing itself`,
      );
  }
  return {
    kind: 'merge',
    settings: {
      reports,
      policyPath: getInput('policy').trim() || undefined,
      reportJsonPath: getInput('report-path').trim() || `${workspace}/mailwarden-report.json`,
      summaryMarkdownPath: undefined,
      sarifPath: `${workspace}/mailwarden.sarif`,
      failOn: failOn(getInput('fail-on')),
      issues: issuesInputs(getInput, env),
      debug: false,
    },
  };
}
