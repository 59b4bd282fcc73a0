import { parseDomainList } from '../collect/dns/domain-list.js';
import { parseDnsServer } from '../collect/dns/server-address.js';
import { parseCloud, parseEndpointUrl, resolveEndpoints } from '../collect/live/clouds.js';
import { parseClientId, parseTenantId } from '../collect/live/credential-settings.js';
import type { CredentialSettings, TenantTarget } from '../collect/live/tenant-target.js';
import type { EvidenceSettings } from '../evidence/write-evidence.js';
import type { RepoRef } from '../issues/github-api.js';
import { isRedactMode } from '../report/redact.js';
import { AREAS, type Area, isArea } from '../model/area.js';
import type { Cloud } from '../model/cloud.js';
import { type FailOn, isSeverity } from '../model/severity.js';
import { type DnsSettings, ISSUES_OFF, type IssuesSettings } from '../run/settings.js';
import type { IncrementalSettings } from '../run/incremental/incremental-run.js';
import { ENV, type Env } from './env.js';
import { plausibleSecret } from '../model/secrets.js';

/*
 * The one settings parser of both entry points. The CLI's flags (`--fail-on high`) and the
 * Action's inputs (`fail-on: high`) share their names, so each entry hands its own values in
 * through an OptionSource and gets the same checks, defaults and settings out; every message
 * names the option the way its user wrote it.
 */

/** Where option values come from: command-line flags or Action inputs. */
export interface OptionSource {
  /** The value given, or `undefined` when absent (an empty Action input counts as absent). */
  get(name: string): string | undefined;
  /** A list option: every `--dns-server`, or an input's comma, space or newline separated items. */
  list(name: string): readonly string[];
  /** How messages name an option: `--fail-on` or `Input "fail-on"`. */
  label(name: string): string;
  /** The error for a bad value: the CLI's prints the usage after it, the Action's does not. */
  fail(message: string): Error;
}

/** An option with a fixed set of values is read in any case (`fail-on: High`), as `cloud` is. */
function choice(source: OptionSource, name: string): string | undefined {
  return source.get(name)?.trim().toLowerCase();
}

/** `fail-on`: the lowest severity whose failing finding fails the run (default `high`). */
export function readFailOn(source: OptionSource): FailOn {
  const value = choice(source, 'fail-on');
  if (value === undefined) return 'high';
  if (value === 'none' || isSeverity(value)) return value;
  throw source.fail(
    `${source.label('fail-on')}: expected none, low, medium, high or critical, got "${source.get('fail-on') ?? ''}"`,
  );
}

/** `only`: comma-separated areas; `undefined` means all. */
export function readOnly(source: OptionSource): readonly Area[] | undefined {
  const value = source.get('only');
  if (value === undefined) return undefined;
  const areas = value
    .split(',')
    .map((a) => a.trim().toLowerCase())
    .filter((a) => a !== '');
  for (const area of areas) {
    if (!isArea(area))
      throw source.fail(`${source.label('only')}: unknown area "${area}"; expected ${AREAS.join(', ')}`);
  }
  return areas as Area[];
}

function parseRepo(source: OptionSource, value: string | undefined, label: string): RepoRef | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const match = /^([A-Za-z0-9][A-Za-z0-9-]*)\/([A-Za-z0-9._-]+)$/.exec(value.trim());
  if (!match?.[1] || !match[2]) throw source.fail(`${label}: expected OWNER/NAME, got "${value}"`);
  return { owner: match[1], repo: match[2] };
}

function parseApiUrl(source: OptionSource, value: string, label: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:')
    throw source.fail(`${label}: expected an http(s) URL, got "${value}"`);
  return value.replace(/\/+$/, '');
}

/**
 * The issues stage: `issues`, `redact`, `max-new-issues`, `labels`, `tenant-label`, and on the
 * command line `repo` and `github-api-url`; the repository, API URL and redaction key fall back
 * to the runner's environment, as in Actions.
 */
export function readIssues(
  source: OptionSource,
  env: Env,
  options: { readonly defaultMode: IssuesSettings['mode']; readonly token: string | undefined },
): IssuesSettings {
  const mode = choice(source, 'issues') ?? options.defaultMode;
  if (mode !== 'off' && mode !== 'dry-run' && mode !== 'on')
    throw source.fail(`${source.label('issues')}: expected off, dry-run or on, got "${source.get('issues') ?? ''}"`);
  const redact = choice(source, 'redact') ?? 'auto';
  if (!isRedactMode(redact))
    throw source.fail(`${source.label('redact')}: expected auto, always or never, got "${source.get('redact') ?? ''}"`);
  const max = source.get('max-new-issues') ?? '20';
  if (!/^\d+$/.test(max)) throw source.fail(`${source.label('max-new-issues')}: expected a whole number, got "${max}"`);
  const tenantName = source.get('tenant-label')?.trim();
  if (tenantName === '') throw source.fail(`${source.label('tenant-label')} is empty`);
  const apiUrl = source.get('github-api-url');
  const envApiUrl = env[ENV.githubApiUrl];
  return {
    mode,
    repo:
      parseRepo(source, source.get('repo'), source.label('repo')) ??
      parseRepo(source, env[ENV.githubRepository], ENV.githubRepository),
    apiUrl:
      apiUrl !== undefined
        ? parseApiUrl(source, apiUrl, source.label('github-api-url'))
        : envApiUrl
          ? parseApiUrl(source, envApiUrl, ENV.githubApiUrl)
          : ISSUES_OFF.apiUrl,
    token: options.token,
    labels: (source.get('labels') ?? '')
      .split(',')
      .map((l) => l.trim())
      .filter((l) => l !== ''),
    maxNewIssues: Number(max),
    redact,
    redactKey: redactKey(env),
    ...(tenantName !== undefined ? { tenantName } : {}),
  };
}

/**
 * The key of every pseudonym: MAILWARDEN_REDACT_KEY, else the deprecated MAILWARDEN_REDACTION_KEY
 * (trimmed, as it always was); unset when empty. A key too short to be one is refused.
 */
export function redactKey(env: Env): string | undefined {
  const label = env[ENV.redactKey] ? ENV.redactKey : ENV.deprecatedRedactionKey;
  return optionalSecret(
    env[ENV.redactKey] || env[ENV.deprecatedRedactionKey]?.trim() || undefined,
    label,
    'redaction key',
  );
}

/**
 * `--incremental STATE` (input `incremental-state`): the state file and the key that seals it,
 * MAILWARDEN_STATE_KEY else MAILWARDEN_REDACT_KEY. Without a key the state is not written at
 * all: it holds personal data, and a plain copy in a cache or a workspace is readable by others.
 */
export function readIncremental(source: OptionSource, env: Env, name = 'incremental'): IncrementalSettings | undefined {
  const statePath = source.get(name);
  if (statePath === undefined) return undefined;
  if (statePath.trim() === '') throw source.fail(`${source.label(name)} is empty`);
  const key = optionalSecret(env[ENV.stateKey] || undefined, ENV.stateKey, 'state key') ?? redactKey(env);
  if (key === undefined) {
    throw source.fail(
      `${source.label(name)} needs ${ENV.stateKey} (or ${ENV.redactKey}): the state holds user names and addresses and is stored encrypted with it`,
    );
  }
  return { statePath, key };
}

/** A secret that may be absent, but when given must be plausible (see plausibleSecret). */
export function optionalSecret(value: string | undefined, label: string, what: string): string | undefined {
  return value === undefined ? undefined : plausibleSecret(value, label, what);
}

/** The CLI's GitHub token: GITHUB_TOKEN, unset when empty. */
export function githubToken(env: Env): string | undefined {
  return optionalSecret(env[ENV.githubToken] || undefined, ENV.githubToken, 'GitHub token');
}

/** A warning for a deprecated variable the environment still sets, for the entry to log. */
export function deprecatedEnvWarning(env: Env): string | undefined {
  return env[ENV.deprecatedRedactionKey] !== undefined
    ? `${ENV.deprecatedRedactionKey} is deprecated: set ${ENV.redactKey} instead (it keys issue and evidence pseudonyms alike)`
    : undefined;
}

/** `domains` and `dns-server(s)`: extra domains to audit, and the DNS servers to ask. */
export function readDns(source: OptionSource, names: { readonly servers: string }): DnsSettings {
  const given = source.get('domains');
  const domains = given === undefined ? [] : parseDomainList(given, source.label('domains'));
  if (given !== undefined && domains.length === 0) throw source.fail(`${source.label('domains')} is empty`);
  const servers = source.list(names.servers);
  for (const server of servers) parseDnsServer(server, source.label(names.servers));
  return { servers, domains };
}

/** `evidence-dir` and `redact-evidence`: an evidence pack, and whether its snapshot is pseudonymised. */
export function readEvidence(
  source: OptionSource,
  options: { readonly redact: boolean; readonly redactionKey: string | undefined },
): { readonly evidence?: EvidenceSettings } {
  const dir = source.get('evidence-dir');
  return dir === undefined ? {} : { evidence: { dir, redact: options.redact, redactionKey: options.redactionKey } };
}

/** `cloud`: the tenant's Microsoft 365 cloud (default `global`); hosts, sign-in and the email checks follow it. */
export function readCloud(source: OptionSource): Cloud {
  return parseCloud(source.get('cloud'), source.label('cloud'));
}

/**
 * A live tenant: `tenant-id`, `client-id`, `cloud` and, on the command line, the endpoint
 * overrides `graph-url`, `authority-url` and `exchange-url`. How the app signs in differs
 * between the entries, so the credentials come in already read.
 */
export function readTenantTarget(
  source: OptionSource,
  tenantId: string,
  clientId: { readonly value: string | undefined; readonly label: string },
  credentials: CredentialSettings,
): TenantTarget {
  const cloud = readCloud(source);
  const url = (name: 'graph-url' | 'authority-url' | 'exchange-url') => {
    const value = source.get(name);
    return value === undefined ? undefined : parseEndpointUrl(value, source.label(name));
  };
  const graph = url('graph-url');
  const authority = url('authority-url');
  const exchange = url('exchange-url');
  // The federated credential's audience (Entra's default per cloud, clouds.ts); one token, no spaces.
  const audience = source.get('audience');
  if (audience !== undefined && !/^\S+$/.test(audience))
    throw source.fail(`${source.label('audience')}: "${audience}" must be one audience without spaces`);
  return {
    kind: 'tenant',
    tenantId: parseTenantId(tenantId, source.label('tenant-id')),
    clientId: clientId.value === undefined ? undefined : parseClientId(clientId.value, clientId.label),
    credentials,
    cloud,
    endpoints: resolveEndpoints(cloud, {
      ...(graph ? { graph } : {}),
      ...(authority ? { authority } : {}),
      ...(exchange ? { exchange } : {}),
      ...(audience ? { audience } : {}),
    }),
  };
}
