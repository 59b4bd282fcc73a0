import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { folderCollector } from './collect/folder-collector.js';
import { parseCloud, parseEndpointUrl, resolveEndpoints } from './collect/live/clouds.js';
import { checkCertificatePem, parseClientId, parseTenantId } from './collect/live/credential-settings.js';
import { createLiveClients } from './collect/live/create-clients.js';
import { liveCollector } from './collect/live/live-collector.js';
import { simulatorCollector } from './collect/simulator-collector.js';
import { parseDomainList } from './collect/dns/domain-list.js';
import { dnsOnlyCollector } from './collect/dns/dns-only.js';
import { liveDnsClients } from './collect/dns/live-dns-clients.js';
import { parseDnsServer } from './collect/dns/server-address.js';
import type { Collector } from './collect/collector.js';
import { CONTROLS } from './controls/catalog.js';
import { renderCatalogJson, renderCatalogMarkdown, renderCatalogText } from './controls/render-catalog.js';
import { ConfigurationError, errorMessage, isConfigurationError } from './errors.js';
import type { Logger } from './logger.js';
import { AREAS, isArea, type Area } from './model/area.js';
import { isSeverity, type FailOn } from './model/severity.js';
import { DEMO_POLICY_PATH, DEMO_TENANT_DIR } from './paths.js';
import { parsePolicy } from './policy/parse-policy.js';
import { buildPolicySchema } from './policy/policy-schema.js';
import { renderConsole } from './report/console.js';
import { verifyEvidencePack } from './evidence/verify-evidence.js';
import { EXIT, run } from './run.js';
import type { RepoRef } from './issues/github-api.js';
import { createOctokit, octokitIssuesApi } from './issues/octokit-issues-api.js';
import { isRedactMode } from './issues/redact.js';
import { renderIssuesConsole } from './issues/console.js';
import {
  ISSUES_OFF,
  type CredentialSettings,
  type DnsSettings,
  type IssuesSettings,
  type MergeSettings,
  type Settings,
  type TargetSettings,
  type TenantTarget,
} from './settings.js';
import { runMerge } from './shard/merge-run.js';
import { parseShard, type Shard } from './shard/shard.js';
import { generateTenant, type GenerateOptions } from './simulator/generator/generate-tenant.js';
import { applyOverlay } from './simulator/generator/overlay.js';
import { runSimulate, type SimulateSettings } from './simulator/simulate-command.js';
import { TOOL } from './version.js';

/** What the CLI talks to; tests pass in their own. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTty: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => Date;
  /** Resolves when a long-running command (`simulate`) should stop; default: Ctrl+C or SIGTERM. */
  readonly untilStopped?: () => Promise<void>;
}

export const USAGE = `Usage: mailwarden <command> [options]

Commands:
  audit                     Audit a tenant, some domains (DNS only), a snapshot folder or the demo tenant
  validate-policy FILE      Check a policy file and exit (0 valid, 2 invalid)
  controls                  List the control catalog
  merge-reports FILE...     Combine the partial reports of a sharded audit, then write and sync as audit does
  verify-evidence DIR       Check an evidence pack: checksums, then re-evaluate and compare every verdict (0 verified, 1 not)
  simulate                  Serve a snapshot folder as a simulated tenant (Graph, Exchange, login, DNS) on 127.0.0.1

audit options:
  --policy FILE             Policy file (default: the bundled baseline)
  --demo                    Audit the built-in Contoso Health demo tenant (simulated, over live HTTP)
  --simulate DIR            Serve a snapshot folder as a simulated tenant on loopback and audit it live
  --snapshot DIR            Re-evaluate a saved snapshot folder offline
  --domains LIST            Comma-separated domains: alone, a DNS-only audit of their SPF, DKIM and DMARC
                            (no credentials); with --tenant-id, audited besides the tenant's domains
  --dns-server HOST[:PORT]  DNS server to ask, repeatable; an https:// URL uses DNS-over-HTTPS
                            (default: the nameservers in /etc/resolv.conf)
  --tenant-id ID            Audit this live tenant (GUID or verified domain)
  --client-id ID            App registration (client) ID
  --client-secret SECRET    Authenticate with a client secret
  --certificate FILE        Authenticate with a PEM holding the certificate and its private key
                            (neither: AZURE_* environment credentials, else the Azure CLI login)
  --cloud CLOUD             global (default), usgov (GCC High), dod or china
  --graph-url URL           Override the cloud's Microsoft Graph endpoint
  --authority-url URL       Override the cloud's Entra ID authority
  --exchange-url URL        Override the cloud's Exchange Online endpoint
  --save-snapshot DIR       Save the collected data as a snapshot folder
  --only AREAS              Comma-separated areas: ${AREAS.join(', ')}
  --shard I/N               Audit slice I of N (--tenant-id, --simulate, --demo): per-mailbox work split by a
                            stable hash, tenant-wide sources by shard 1 only; combine with merge-reports
  --report-json FILE        Write the JSON evidence report
  --summary-md FILE         Write the Markdown summary
  --evidence-dir DIR        Write an evidence pack: report.json, policy.json, snapshot/, SHA256SUMS
  --redact-evidence         Pseudonymise people (addresses, names, IPs) in the pack's snapshot; the key is
                            MAILWARDEN_REDACTION_KEY, or a fresh random key per run
  --fail-on LEVEL           Exit 1 on a failing finding at or above: none, low, medium, high, critical (default: high)
  --sarif FILE              Write SARIF 2.1.0 for GitHub code scanning (one result per failing finding)
  --issues MODE             GitHub issues: off (default), dry-run (print the plan, write nothing) or on
  --repo OWNER/NAME         Repository for the issues (default: GITHUB_REPOSITORY); token from GITHUB_TOKEN
  --github-api-url URL      REST API of GitHub Enterprise Server, e.g. https://HOST/api/v3 (default: GITHUB_API_URL)
  --labels LIST             Extra comma-separated labels on every finding issue
  --max-new-issues N        New issues per run before the rest go into one rollup issue (default: 20)
  --redact MODE             auto (default: when the repository is public), always or never: pseudonyms for UPNs and IPs
  --tenant-label NAME       Several tenants in one repository: label issues tenant:NAME and sync only those
  --debug                   Show debug logs and stack traces

merge-reports options:
  FILE...                   The partial reports (a missing or duplicate shard is refused), or quoted globs
  --policy FILE             The policy the shards ran (needed with --sarif or --issues; checked by sha256)
  --report-json, --summary-md, --sarif, --fail-on, --debug: as for audit
  --issues, --repo, --github-api-url, --labels, --max-new-issues, --redact, --tenant-label: as for audit;
                            the merged report is synced once, with the dashboard

simulate options:
  --tenant DIR              The snapshot folder to serve (docs/snapshot-format.md)
  --port N                  Graph on N, Exchange on N+1, login on N+2, DNS on N+3, MTA-STS on N+4 (default: free ports)
  --realism FILE            Latency, throttling, licence, permission and fault settings (JSON)
  --realistic               Graph's documented throttling and ~80 ms latency (without --realism)
  --ca-cert-out FILE        Write the login endpoint's TLS certificate (for NODE_EXTRA_CA_CERTS)
  --generate                Instead of serving, write a generated tenant: --users N --seed S --out DIR
                            [--sign-ins N (default 20 per user)] [--name NAME] [--domains A,B,C]
                            [--overlay DIR (hand-written records merged in, as for the demo tenant)]

controls options:
  --format FORMAT           text (default), markdown, json or schema (the policy JSON Schema)

Exit codes: 0 done, 1 finding at or above --fail-on, 2 configuration error, 3 every data source failed,
5 the GitHub issues stage failed (the report is still written).
`;

class UsageError extends ConfigurationError {}

/** What audit and merge-reports share: the exit threshold, SARIF and the issues stage. */
const PUBLISH_OPTIONS = {
  'fail-on': { type: 'string' },
  sarif: { type: 'string' },
  issues: { type: 'string' },
  repo: { type: 'string' },
  'github-api-url': { type: 'string' },
  labels: { type: 'string' },
  'max-new-issues': { type: 'string' },
  redact: { type: 'string' },
  'tenant-label': { type: 'string' },
  debug: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

const AUDIT_OPTIONS = {
  policy: { type: 'string' },
  demo: { type: 'boolean' },
  simulate: { type: 'string' },
  snapshot: { type: 'string' },
  'save-snapshot': { type: 'string' },
  domains: { type: 'string' },
  'dns-server': { type: 'string', multiple: true },
  'tenant-id': { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  certificate: { type: 'string' },
  cloud: { type: 'string' },
  'graph-url': { type: 'string' },
  'authority-url': { type: 'string' },
  'exchange-url': { type: 'string' },
  only: { type: 'string' },
  shard: { type: 'string' },
  'report-json': { type: 'string' },
  'summary-md': { type: 'string' },
  'evidence-dir': { type: 'string' },
  'redact-evidence': { type: 'boolean' },
  ...PUBLISH_OPTIONS,
} as const satisfies ParseArgsConfig['options'];

function parse<T extends NonNullable<ParseArgsConfig['options']>>(
  args: readonly string[],
  options: T,
  positionals: number,
) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: positionals > 0, strict: true });
  } catch (error: unknown) {
    throw new UsageError(errorMessage(error));
  }
  if (parsed.positionals.length > positionals)
    throw new UsageError(`unexpected argument "${parsed.positionals[positionals]}"`);
  return parsed;
}

function parseOnly(value: string | undefined): readonly Area[] | undefined {
  if (value === undefined) return undefined;
  const areas = value
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  for (const area of areas) {
    if (!isArea(area)) throw new UsageError(`--only: unknown area "${area}"; expected ${AREAS.join(', ')}`);
  }
  return areas as Area[];
}

function parseFailOn(value: string | undefined): FailOn {
  if (value === undefined) return 'high';
  if (value === 'none' || isSeverity(value)) return value;
  throw new UsageError(`--fail-on: expected none, low, medium, high or critical, got "${value}"`);
}

/**
 * `--shard i/n` slices live collection: a tenant, or a simulated tenant served over loopback
 * (`--simulate`, `--demo`), which is collected exactly as a tenant is. A snapshot folder
 * already says which shard it holds.
 */
function cliShard(value: string | undefined, target: TargetSettings): Shard | undefined {
  if (value === undefined) return undefined;
  if (target.kind !== 'tenant' && target.kind !== 'simulate' && target.kind !== 'demo') {
    throw new UsageError(
      `--shard applies to live audits (--tenant-id, --simulate, --demo); a snapshot's manifest already names its shard`,
    );
  }
  try {
    return parseShard(value);
  } catch (error: unknown) {
    throw new UsageError(errorMessage(error));
  }
}

function parseRepo(value: string | undefined, flag: string): RepoRef | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const match = /^([A-Za-z0-9][A-Za-z0-9-]*)\/([A-Za-z0-9._-]+)$/.exec(value.trim());
  if (!match?.[1] || !match[2]) throw new UsageError(`${flag}: expected OWNER/NAME, got "${value}"`);
  return { owner: match[1], repo: match[2] };
}

function parseApiUrl(value: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag}: expected an http(s) URL, got "${value}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UsageError(`${flag}: expected an http(s) URL, got "${value}"`);
  return value.replace(/\/+$/, '');
}

/** Reads the issues flags; the token and defaults come from the environment, as in Actions. */
type IssuesFlags = 'issues' | 'redact' | 'repo' | 'max-new-issues' | 'github-api-url' | 'labels' | 'tenant-label';

function issuesSettings(values: { readonly [K in IssuesFlags]?: string }, env: CliIo['env']): IssuesSettings {
  const text = (v: string | undefined) => v;
  const mode = text(values.issues) ?? 'off';
  if (mode !== 'off' && mode !== 'dry-run' && mode !== 'on')
    throw new UsageError(`--issues: expected off, dry-run or on, got "${mode}"`);
  const redact = text(values.redact) ?? 'auto';
  if (!isRedactMode(redact)) throw new UsageError(`--redact: expected auto, always or never, got "${redact}"`);
  const max = text(values['max-new-issues']) ?? '20';
  if (!/^\d+$/.test(max)) throw new UsageError(`--max-new-issues: expected a whole number, got "${max}"`);
  const apiFlag = text(values['github-api-url']);
  const tenantName = text(values['tenant-label'])?.trim();
  if (tenantName === '') throw new UsageError('--tenant-label is empty');
  return {
    mode,
    repo: parseRepo(text(values.repo), '--repo') ?? parseRepo(env.GITHUB_REPOSITORY, 'GITHUB_REPOSITORY'),
    apiUrl:
      apiFlag !== undefined
        ? parseApiUrl(apiFlag, '--github-api-url')
        : env.GITHUB_API_URL
          ? parseApiUrl(env.GITHUB_API_URL, 'GITHUB_API_URL')
          : ISSUES_OFF.apiUrl,
    token: env.GITHUB_TOKEN || undefined,
    labels: (text(values.labels) ?? '')
      .split(',')
      .map((l) => l.trim())
      .filter((l) => l !== ''),
    maxNewIssues: Number(max),
    redact,
    redactKey: env.MAILWARDEN_REDACT_KEY || undefined,
    ...(tenantName !== undefined ? { tenantName } : {}),
  };
}

type AuditValues = ReturnType<typeof parse<typeof AUDIT_OPTIONS>>['values'];

function cliCredentials(values: AuditValues, env: CliIo['env']): CredentialSettings {
  const secret = values['client-secret'];
  const certificate = values.certificate;
  if (secret !== undefined && certificate !== undefined)
    throw new UsageError('--client-secret and --certificate cannot be used together');
  if (secret !== undefined) {
    if (secret === '') throw new UsageError('--client-secret is empty');
    return { kind: 'client-secret', secret };
  }
  if (certificate !== undefined) {
    let pem: string;
    try {
      pem = readFileSync(certificate, 'utf8');
    } catch (error: unknown) {
      throw new ConfigurationError(`--certificate ${certificate}: cannot read the file (${errorMessage(error)})`);
    }
    checkCertificatePem(pem, `--certificate ${certificate}`);
    return { kind: 'certificate', pem, source: certificate };
  }
  if (env.AZURE_CLIENT_SECRET || env.AZURE_CLIENT_CERTIFICATE_PATH) return { kind: 'environment' };
  return { kind: 'azure-cli' };
}

function tenantTarget(values: AuditValues, tenantId: string, env: CliIo['env']): TenantTarget {
  const credentials = cliCredentials(values, env);
  const clientIdFlag = values['client-id'] ?? (credentials.kind === 'environment' ? env.AZURE_CLIENT_ID : undefined);
  if (clientIdFlag === undefined && (credentials.kind === 'client-secret' || credentials.kind === 'certificate')) {
    throw new UsageError('--client-secret and --certificate need --client-id');
  }
  const cloud = parseCloud(values.cloud, '--cloud');
  const url = (name: 'graph-url' | 'authority-url' | 'exchange-url') => {
    const value = values[name];
    return value === undefined ? undefined : parseEndpointUrl(value, `--${name}`);
  };
  const graph = url('graph-url');
  const authority = url('authority-url');
  const exchange = url('exchange-url');
  return {
    kind: 'tenant',
    tenantId: parseTenantId(tenantId, '--tenant-id'),
    clientId:
      clientIdFlag === undefined
        ? undefined
        : parseClientId(clientIdFlag, values['client-id'] !== undefined ? '--client-id' : 'AZURE_CLIENT_ID'),
    credentials,
    cloud,
    endpoints: resolveEndpoints(cloud, {
      ...(graph ? { graph } : {}),
      ...(authority ? { authority } : {}),
      ...(exchange ? { exchange } : {}),
    }),
  };
}

const TENANT_ONLY_FLAGS = [
  'client-id',
  'client-secret',
  'certificate',
  'cloud',
  'graph-url',
  'authority-url',
  'exchange-url',
] as const;

/** Reads the audit flags into Settings: the only place CLI flags are interpreted. */
export function auditSettings(args: readonly string[], env: CliIo['env'] = {}): Settings {
  const { values } = parse(args, AUDIT_OPTIONS, 0);
  if (values['redact-evidence'] && values['evidence-dir'] === undefined) {
    throw new UsageError('--redact-evidence needs --evidence-dir DIR');
  }
  const redactionKey = env.MAILWARDEN_REDACTION_KEY?.trim() || undefined;
  const targets = [
    values.demo ? '--demo' : undefined,
    values.simulate !== undefined ? '--simulate' : undefined,
    values.snapshot !== undefined ? '--snapshot' : undefined,
    values['tenant-id'] !== undefined ? '--tenant-id' : undefined,
  ].filter((t) => t !== undefined);
  if (targets.length > 1) throw new UsageError(`${targets.join(' and ')} cannot be used together`);
  const tenantId = values['tenant-id'];
  if (tenantId === undefined) {
    const stray = TENANT_ONLY_FLAGS.find((flag) => values[flag] !== undefined);
    if (stray) throw new UsageError(`--${stray} needs --tenant-id`);
  }
  const domains = values.domains === undefined ? [] : parseDomainList(values.domains, '--domains');
  if (values.domains !== undefined && domains.length === 0) throw new UsageError('--domains is empty');
  const dnsServersFlag = values['dns-server'] ?? [];
  for (const server of dnsServersFlag) parseDnsServer(server, '--dns-server');
  if ((values.snapshot !== undefined || values.demo) && (domains.length > 0 || dnsServersFlag.length > 0)) {
    throw new UsageError('--domains and --dns-server collect live DNS; they cannot be used with --snapshot or --demo');
  }
  let target: TargetSettings;
  if (values.snapshot !== undefined) target = { kind: 'snapshot', dir: values.snapshot };
  else if (values.demo) target = { kind: 'demo' };
  else if (values.simulate !== undefined) target = { kind: 'simulate', dir: values.simulate };
  else if (tenantId !== undefined) target = tenantTarget(values, tenantId, env);
  else if (domains.length > 0) target = { kind: 'dns-only', domains };
  else
    throw new UsageError(
      'audit needs a target: --tenant-id ID, --domains LIST, --demo, --simulate DIR or --snapshot DIR',
    );
  // DNS-only mode has data for the email-authentication area only.
  const only = parseOnly(values.only) ?? (target.kind === 'dns-only' ? (['email-auth'] as const) : undefined);
  const shard = cliShard(values.shard, target);
  const issues = issuesSettings(values, env);
  if (shard && shard.count > 1 && issues.mode !== 'off') {
    throw new UsageError(
      `--shard ${shard.index}/${shard.count} writes a partial report: sync issues from merge-reports, not with --issues ${issues.mode}`,
    );
  }
  return {
    dns: { servers: dnsServersFlag, domains },
    policyPath: values.policy ?? (target.kind === 'demo' ? DEMO_POLICY_PATH : undefined),
    target,
    saveSnapshotDir: values['save-snapshot'],
    only,
    ...(shard ? { shard } : {}),
    reportJsonPath: values['report-json'],
    summaryMarkdownPath: values['summary-md'],
    ...(values['evidence-dir'] !== undefined
      ? { evidence: { dir: values['evidence-dir'], redact: values['redact-evidence'] === true, redactionKey } }
      : {}),
    failOn: parseFailOn(values['fail-on']),
    debug: values.debug === true,
    sarifPath: values.sarif,
    issues,
  };
}

function cliLogger(io: CliIo, debug: boolean): Logger {
  const secrets: string[] = [];
  const mask = (text: string): string => secrets.reduce((t, s) => t.split(s).join('***'), text);
  return {
    debug: (m) => {
      if (debug) io.stderr(`debug: ${mask(m)}\n`);
    },
    info: (m) => io.stderr(`${mask(m)}\n`),
    warning: (m) => io.stderr(`warning: ${mask(m)}\n`),
    error: (m) => io.stderr(`error: ${mask(m)}\n`),
    secret: (value) => {
      if (value !== '') secrets.push(value);
    },
  };
}

function collectorFor(target: TargetSettings, dns: DnsSettings, logger: Logger, io: CliIo): Collector {
  switch (target.kind) {
    case 'dns-only':
      return dnsOnlyCollector(target, dns, { logger, now: io.now });
    case 'tenant': {
      const created = createLiveClients(target, { logger });
      return liveCollector({
        mode: 'tenant',
        tenantId: target.tenantId,
        clients: { ...created.clients, ...liveDnsClients(dns, { logger }) },
        extraDomains: dns.domains,
        now: io.now,
        close: () => created.close(),
      });
    }
    case 'snapshot':
      return folderCollector(target.dir);
    case 'simulate':
      return simulatorCollector({ dir: target.dir, logger, now: io.now });
    case 'demo':
      // The demo runs the whole live path (auth, paging, batching, DNS) against the simulator.
      return simulatorCollector({ dir: DEMO_TENANT_DIR, logger, now: io.now });
  }
}

async function audit(args: readonly string[], io: CliIo): Promise<number> {
  const settings = auditSettings(args, io.env);
  const logger = cliLogger(io, settings.debug);
  if (settings.evidence?.redactionKey) logger.secret(settings.evidence.redactionKey);
  const collector = collectorFor(settings.target, settings.dns ?? { servers: [], domains: [] }, logger, io);
  try {
    const outcome = await run(settings, {
      logger,
      now: io.now,
      collector,
      issuesClient: (s) => octokitIssuesApi(createOctokit({ token: s.token, baseUrl: s.apiUrl, logger }), s.repo),
    });
    io.stdout(`${renderConsole(outcome.report, io.isTty && io.env.NO_COLOR === undefined)}\n`);
    if (outcome.issues) io.stdout(`${renderIssuesConsole(outcome.issues)}\n`);
    return outcome.exitCode;
  } finally {
    await collector.close?.();
  }
}

async function validatePolicy(args: readonly string[], io: CliIo): Promise<number> {
  const { positionals } = parse(args, {}, 1);
  const file = positionals[0];
  if (file === undefined) throw new UsageError('validate-policy needs a FILE');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error: unknown) {
    throw new ConfigurationError(`${file}: cannot read policy file (${errorMessage(error)})`);
  }
  const { policy, warnings } = parsePolicy(text, file, io.now());
  for (const warning of warnings) io.stderr(`warning: ${warning}\n`);
  const enabled = [...policy.controls.values()].filter((c) => c.enabled).length;
  io.stdout(
    `${file}: valid policy ${policy.id} ${policy.version} (${enabled} controls enabled, ${policy.exceptions.length} exceptions)\n`,
  );
  return EXIT.done;
}

function controls(args: readonly string[], io: CliIo): number {
  const { values } = parse(args, { format: { type: 'string' } }, 0);
  const format = values.format ?? 'text';
  switch (format) {
    case 'text':
      io.stdout(renderCatalogText(CONTROLS));
      return EXIT.done;
    case 'markdown':
      io.stdout(renderCatalogMarkdown(CONTROLS));
      return EXIT.done;
    case 'json':
      io.stdout(renderCatalogJson(CONTROLS));
      return EXIT.done;
    case 'schema':
      io.stdout(`${JSON.stringify(buildPolicySchema(CONTROLS), null, 2)}\n`);
      return EXIT.done;
    default:
      throw new UsageError(`--format: expected text, markdown, json or schema, got "${format}"`);
  }
}

const MERGE_OPTIONS = {
  policy: { type: 'string' },
  'report-json': { type: 'string' },
  'summary-md': { type: 'string' },
  ...PUBLISH_OPTIONS,
} as const satisfies ParseArgsConfig['options'];

/** Reads the merge-reports flags: the outputs and issues flags are audit's. */
export function mergeSettings(args: readonly string[], env: CliIo['env'] = {}): MergeSettings {
  const { values, positionals } = parse(args, MERGE_OPTIONS, Number.MAX_SAFE_INTEGER);
  if (positionals.length === 0) throw new UsageError('merge-reports needs the partial report files');
  return {
    reports: positionals,
    policyPath: values.policy,
    reportJsonPath: values['report-json'],
    summaryMarkdownPath: values['summary-md'],
    sarifPath: values.sarif,
    failOn: parseFailOn(values['fail-on']),
    issues: issuesSettings(values, env),
    debug: values.debug === true,
  };
}

async function mergeReportsCommand(args: readonly string[], io: CliIo): Promise<number> {
  const settings = mergeSettings(args, io.env);
  const logger = cliLogger(io, settings.debug);
  const outcome = await runMerge(settings, {
    logger,
    now: io.now,
    issuesClient: (s) => octokitIssuesApi(createOctokit({ token: s.token, baseUrl: s.apiUrl, logger }), s.repo),
  });
  io.stdout(`${renderConsole(outcome.report, io.isTty && io.env.NO_COLOR === undefined)}\n`);
  if (outcome.issues) io.stdout(`${renderIssuesConsole(outcome.issues)}\n`);
  return outcome.exitCode;
}

async function verifyEvidence(args: readonly string[], io: CliIo): Promise<number> {
  const { positionals } = parse(args, { debug: { type: 'boolean' } }, 1);
  const dir = positionals[0];
  if (dir === undefined) throw new UsageError('verify-evidence needs the evidence pack folder DIR');
  const verification = await verifyEvidencePack(dir);
  if (verification.problems.length > 0) {
    io.stderr(
      `${dir}: evidence pack NOT verified (${verification.problems.length} difference${verification.problems.length === 1 ? '' : 's'})\n`,
    );
    for (const problem of verification.problems) io.stderr(`  ${problem}\n`);
    return EXIT.findings;
  }
  io.stdout(
    `${dir}: evidence pack verified: checksums match and re-evaluation at ${verification.capturedAt ?? '?'} reproduces all ${verification.resultsChecked} results\n`,
  );
  return EXIT.done;
}

const SIMULATE_OPTIONS = {
  tenant: { type: 'string' },
  port: { type: 'string' },
  realism: { type: 'string' },
  realistic: { type: 'boolean' },
  'ca-cert-out': { type: 'string' },
  generate: { type: 'boolean' },
  users: { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
  'sign-ins': { type: 'string' },
  name: { type: 'string' },
  domains: { type: 'string' },
  overlay: { type: 'string' },
  debug: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

function count(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw new UsageError(`--${flag}: expected a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}

/** Reads `simulate --generate` flags. */
export function generateSettings(args: readonly string[]): GenerateOptions & { readonly overlay?: string } {
  const { values } = parse(args, SIMULATE_OPTIONS, 0);
  for (const flag of ['tenant', 'port', 'realism', 'realistic', 'ca-cert-out'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} cannot be used with --generate`);
  }
  const users = count('users', values.users, 1, 10_000_000);
  const seed = count('seed', values.seed, 0, 4_294_967_295);
  if (users === undefined || seed === undefined || values.out === undefined)
    throw new UsageError('--generate needs --users N, --seed S and --out DIR');
  const domains = values.domains
    ?.split(',')
    .map((d) => d.trim().toLowerCase())
    .filter((d) => d !== '');
  if (domains !== undefined && (domains.length === 0 || domains.some((d) => !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(d)))) {
    throw new UsageError(`--domains: expected comma-separated domain names, got "${values.domains}"`);
  }
  return {
    out: values.out,
    users,
    seed,
    signIns: count('sign-ins', values['sign-ins'], 0, 100_000_000),
    name: values.name,
    domains,
    overlay: values.overlay,
  };
}

/** Reads the simulate flags; the only place they are interpreted. */
export function simulateSettings(args: readonly string[]): SimulateSettings {
  const { values } = parse(args, SIMULATE_OPTIONS, 0);
  for (const flag of ['users', 'seed', 'out', 'sign-ins', 'name', 'domains', 'overlay'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} needs --generate`);
  }
  if (values.tenant === undefined) throw new UsageError('simulate needs --tenant DIR (or --generate)');
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port < 1024 || port > 65531)
      throw new UsageError(`--port: expected a number from 1024 to 65531, got "${values.port}"`);
  }
  if (values.realism !== undefined && values.realistic === true)
    throw new UsageError('--realism and --realistic cannot be used together');
  return {
    tenantDir: values.tenant,
    port,
    realismPath: values.realism,
    realistic: values.realistic === true,
    caCertificateOut: values['ca-cert-out'],
  };
}

async function simulate(args: readonly string[], io: CliIo): Promise<number> {
  if (args.includes('--generate')) {
    const options = generateSettings(args);
    const started = performance.now();
    const summary = await generateTenant(options);
    if (options.overlay !== undefined) await applyOverlay(options.out, options.overlay);
    io.stdout(
      `Wrote ${options.out}: ${summary.users} users, ${summary.mailboxes} mailboxes, ${summary.inboxRules} inbox rules, ${summary.signIns} sign-ins, domains ${summary.domains.join(', ')} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`,
    );
    return EXIT.done;
  }
  const settings = simulateSettings(args);
  await runSimulate(settings, io.stdout, cliLogger(io, args.includes('--debug')), io.untilStopped);
  return EXIT.done;
}

/** Runs the CLI and returns the exit code; never throws. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...args] = argv;
  const debug = args.includes('--debug');
  try {
    switch (command) {
      case 'audit':
        return await audit(args, io);
      case 'validate-policy':
        return await validatePolicy(args, io);
      case 'controls':
        return controls(args, io);
      case 'merge-reports':
        return await mergeReportsCommand(args, io);
      case 'verify-evidence':
        return await verifyEvidence(args, io);
      case 'simulate':
        return await simulate(args, io);
      case '--version':
      case 'version':
        io.stdout(`${TOOL.name} ${TOOL.version}\n`);
        return EXIT.done;
      case '--help':
      case 'help':
      case '-h':
        io.stdout(USAGE);
        return EXIT.done;
      default:
        throw new UsageError(command === undefined ? 'no command given' : `unknown command "${command}"`);
    }
  } catch (error: unknown) {
    if (isConfigurationError(error)) {
      io.stderr(`mailwarden: ${error.message}\n`);
      for (const line of error.details) io.stderr(`  ${line}\n`);
      if (error instanceof UsageError) io.stderr(`\n${USAGE}`);
      if (debug && error.stack) io.stderr(`${error.stack}\n`);
      return EXIT.configuration;
    }
    io.stderr(`mailwarden: internal error: ${errorMessage(error)}\n`);
    if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    else io.stderr('Run again with --debug for the stack trace, and report it as a bug.\n');
    return 4;
  }
}
