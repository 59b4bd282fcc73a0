import { DEFAULT_DEADLINE_MINUTES, MAX_DEADLINE_MINUTES } from '../collect/deadline.js';
import type { ParseArgsConfig } from 'node:util';
import { checkCertificatePem } from '../collect/live/credential-settings.js';
import type { CredentialSettings, TenantTarget } from '../collect/live/tenant-target.js';
import { createCollector } from '../entry/create-collector.js';
import { ENV, type Env } from '../entry/env.js';
import { octokitIssuesClient } from '../entry/issues-client.js';
import {
  type OptionSource,
  readDns,
  readEvidence,
  readFailOn,
  readIssues,
  readOnly,
  readCloud,
  readIncremental,
  readTenantTarget,
  deprecatedEnvWarning,
  githubToken,
  redactKey,
} from '../entry/read-settings.js';
import { plausibleSecret } from '../model/secrets.js';
import { decodeUtf8, readInputFileSync, SMALL_FILE_MAX_BYTES } from '../model/input-file.js';
import { errorMessage } from '../errors.js';
import { renderIssuesConsole } from '../issues/console.js';
import { DEMO_POLICY_PATH } from '../paths.js';
import { renderConsole } from '../report/console.js';
import { createDisclosure } from '../report/disclosure.js';
import type { ExitCode } from '../run/exit-codes.js';
import { runAudit } from '../run/run-audit.js';
import type { Settings, TargetSettings } from '../run/settings.js';
import { parseShard, type Shard } from '../snapshot/shard.js';
import { count, flagSource, PUBLISH_OPTIONS, parse, UsageError } from './args.js';
import { cliLogger } from './cli-logger.js';
import type { CliIo } from './io.js';

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
  incremental: { type: 'string' },
  shard: { type: 'string' },
  'report-json': { type: 'string' },
  'summary-md': { type: 'string' },
  'evidence-dir': { type: 'string' },
  'redact-evidence': { type: 'boolean' },
  'as-captured': { type: 'boolean' },
  deadline: { type: 'string' },
  ...PUBLISH_OPTIONS,
} as const satisfies ParseArgsConfig['options'];

/** Flags that only mean something with `--tenant-id`. */
const TENANT_ONLY_FLAGS = [
  'client-id',
  'client-secret',
  'certificate',
  'graph-url',
  'authority-url',
  'exchange-url',
] as const;

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

/**
 * How the CLI signs in: a client secret, a certificate file, @azure/identity's environment
 * credentials (AZURE_*), else the Azure CLI login.
 */
function cliCredentials(source: OptionSource, env: Env): CredentialSettings {
  const secret = source.get('client-secret');
  const certificate = source.get('certificate');
  if (secret !== undefined && certificate !== undefined)
    throw new UsageError('--client-secret and --certificate cannot be used together');
  if (secret !== undefined) {
    if (secret === '') throw new UsageError('--client-secret is empty');
    return { kind: 'client-secret', secret: plausibleSecret(secret, '--client-secret', 'client secret') };
  }
  if (certificate !== undefined) {
    const bytes = readInputFileSync(certificate, 'certificate file', SMALL_FILE_MAX_BYTES);
    const pem = decodeUtf8(bytes, certificate, 'certificate file');
    checkCertificatePem(pem, `--certificate ${certificate}`);
    return { kind: 'certificate', pem, source: certificate };
  }
  if (env[ENV.azureClientSecret] || env[ENV.azureClientCertificatePath]) return { kind: 'environment' };
  return { kind: 'azure-cli' };
}

function tenantTarget(source: OptionSource, tenantId: string, env: Env): TenantTarget {
  const credentials = cliCredentials(source, env);
  const flag = source.get('client-id');
  const clientId = flag ?? (credentials.kind === 'environment' ? env[ENV.azureClientId] : undefined);
  if (clientId === undefined && (credentials.kind === 'client-secret' || credentials.kind === 'certificate')) {
    throw new UsageError('--client-secret and --certificate need --client-id');
  }
  return readTenantTarget(
    source,
    tenantId,
    { value: clientId, label: flag !== undefined ? '--client-id' : ENV.azureClientId },
    credentials,
  );
}

/** Reads the audit flags into Settings, through the parser the Action shares. */
export function auditSettings(args: readonly string[], env: Env = {}): Settings {
  const { values } = parse(args, AUDIT_OPTIONS, 0);
  const source = flagSource(values);
  if (values['redact-evidence'] && values['evidence-dir'] === undefined) {
    throw new UsageError('--redact-evidence needs --evidence-dir DIR');
  }
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
  const dns = readDns(source, { servers: 'dns-server' });
  if ((values.snapshot !== undefined || values.demo) && (dns.domains.length > 0 || dns.servers.length > 0)) {
    throw new UsageError('--domains and --dns-server collect live DNS; they cannot be used with --snapshot or --demo');
  }
  if (values.cloud !== undefined && (values.snapshot !== undefined || values.demo)) {
    throw new UsageError(
      `--cloud names the tenant's cloud for live collection; ${values.demo ? 'the demo tenant is worldwide' : "a snapshot's manifest records its cloud"}`,
    );
  }
  const asCaptured = values['as-captured'] === true;
  if (asCaptured && !values.demo && values.simulate === undefined)
    throw new UsageError('--as-captured applies to --demo and --simulate (a --snapshot replay is always as captured)');
  let target: TargetSettings;
  if (values.snapshot !== undefined) target = { kind: 'snapshot', dir: values.snapshot };
  else if (values.demo) target = { kind: 'demo', ...(asCaptured ? { asCaptured } : {}) };
  else if (values.simulate !== undefined)
    target = {
      kind: 'simulate',
      dir: values.simulate,
      ...(asCaptured ? { asCaptured } : {}),
      ...(values.cloud !== undefined ? { cloud: readCloud(source) } : {}),
    };
  else if (tenantId !== undefined) target = tenantTarget(source, tenantId, env);
  else if (dns.domains.length > 0) target = { kind: 'dns-only', domains: dns.domains, cloud: readCloud(source) };
  else
    throw new UsageError(
      'audit needs a target: --tenant-id ID, --domains LIST, --demo, --simulate DIR or --snapshot DIR',
    );
  // DNS-only mode has data for the email-authentication area only.
  const only = readOnly(source) ?? (target.kind === 'dns-only' ? (['email-auth'] as const) : undefined);
  const shard = cliShard(values.shard, target);
  const issues = readIssues(source, env, { defaultMode: 'off', token: githubToken(env) });
  if (shard && shard.count > 1 && issues.mode !== 'off') {
    throw new UsageError(
      `--shard ${shard.index}/${shard.count} writes a partial report: sync issues from merge-reports, not with --issues ${issues.mode}`,
    );
  }
  // One deadline for the whole collection (collect/deadline.ts); a nightly job's default.
  const deadlineMinutes = count('deadline', values.deadline, 1, MAX_DEADLINE_MINUTES) ?? DEFAULT_DEADLINE_MINUTES;
  const incremental = readIncremental(source, env);
  if (incremental && shard && shard.count > 1) {
    throw new UsageError(`--incremental carries one run's sign-in state; it cannot be split with --shard`);
  }
  return {
    dns,
    deadlineMinutes,
    policyPath: values.policy ?? (target.kind === 'demo' ? DEMO_POLICY_PATH : undefined),
    target,
    saveSnapshotDir: values['save-snapshot'],
    only,
    ...(shard ? { shard } : {}),
    ...(incremental ? { incremental } : {}),
    reportJsonPath: values['report-json'],
    summaryMarkdownPath: values['summary-md'],
    ...readEvidence(source, { redact: values['redact-evidence'] === true, redactionKey: redactKey(env) }),
    failOn: readFailOn(source),
    debug: values.debug === true,
    sarifPath: values.sarif,
    issues,
  };
}

/** `mailwarden audit`: collect, judge, report; prints the console table (and the issues plan). */
export async function auditCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const settings = auditSettings(args, io.env);
  // The one redaction step wraps the log first, so every line (the clients' too) goes through it.
  const disclosure = createDisclosure();
  const logger = disclosure.logger(cliLogger(io, settings.debug));
  if (settings.evidence?.redactionKey) logger.secret(settings.evidence.redactionKey);
  const deprecated = deprecatedEnvWarning(io.env);
  if (deprecated) logger.warning(deprecated);
  const collector = createCollector(settings.target, settings.dns, {
    logger,
    now: io.now,
    ...(settings.deadlineMinutes !== undefined ? { deadlineMinutes: settings.deadlineMinutes } : {}),
  });
  try {
    const outcome = await runAudit(settings, {
      logger,
      now: io.now,
      collector,
      issuesClient: octokitIssuesClient(logger),
      disclosure,
    });
    io.stdout(`${renderConsole(outcome.shown, io.isTty && io.env[ENV.noColor] === undefined)}\n`);
    if (outcome.issues) io.stdout(`${renderIssuesConsole(outcome.issues)}\n`);
    return outcome.exitCode;
  } finally {
    await collector.close?.();
  }
}
