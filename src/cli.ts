import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readFile } from 'node:fs/promises';
import { folderCollector } from './collect/folder-collector.js';
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
import { EXIT, run } from './run.js';
import type { RepoRef } from './issues/github-api.js';
import { createOctokit, octokitIssuesApi } from './issues/octokit-issues-api.js';
import { isRedactMode } from './issues/redact.js';
import { renderIssuesConsole } from './issues/console.js';
import { ISSUES_OFF, type IssuesSettings, type Settings, type TargetSettings } from './settings.js';
import { TOOL } from './version.js';

/** What the CLI talks to; tests pass in their own. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTty: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => Date;
}

export const USAGE = `Usage: mailwarden <command> [options]

Commands:
  audit                     Audit a tenant, a snapshot folder or the demo tenant
  validate-policy FILE      Check a policy file and exit (0 valid, 2 invalid)
  controls                  List the control catalog

audit options:
  --policy FILE             Policy file (default: the bundled baseline)
  --demo                    Audit the built-in Contoso Health demo tenant
  --snapshot DIR            Re-evaluate a saved snapshot folder offline
  --save-snapshot DIR       Save the collected data as a snapshot folder
  --only AREAS              Comma-separated areas: ${AREAS.join(', ')}
  --report-json FILE        Write the JSON evidence report
  --summary-md FILE         Write the Markdown summary
  --fail-on LEVEL           Exit 1 on a failing finding at or above: none, low, medium, high, critical (default: high)
  --sarif FILE              Write SARIF 2.1.0 for GitHub code scanning (one result per failing finding)
  --issues MODE             GitHub issues: off (default), dry-run (print the plan, write nothing) or on
  --repo OWNER/NAME         Repository for the issues (default: GITHUB_REPOSITORY); token from GITHUB_TOKEN
  --github-api-url URL      REST API of GitHub Enterprise Server, e.g. https://HOST/api/v3 (default: GITHUB_API_URL)
  --labels LIST             Extra comma-separated labels on every finding issue
  --max-new-issues N        New issues per run before the rest go into one rollup issue (default: 20)
  --redact MODE             auto (default: when the repository is public), always or never: pseudonyms for UPNs and IPs
  --debug                   Show debug logs and stack traces

controls options:
  --format FORMAT           text (default), markdown, json or schema (the policy JSON Schema)

Exit codes: 0 done, 1 finding at or above --fail-on, 2 configuration error, 3 every data source failed,
5 the GitHub issues stage failed (the report is still written).
`;

class UsageError extends ConfigurationError {}

const AUDIT_OPTIONS = {
  policy: { type: 'string' },
  demo: { type: 'boolean' },
  snapshot: { type: 'string' },
  'save-snapshot': { type: 'string' },
  only: { type: 'string' },
  'report-json': { type: 'string' },
  'summary-md': { type: 'string' },
  'fail-on': { type: 'string' },
  sarif: { type: 'string' },
  issues: { type: 'string' },
  repo: { type: 'string' },
  'github-api-url': { type: 'string' },
  labels: { type: 'string' },
  'max-new-issues': { type: 'string' },
  redact: { type: 'string' },
  debug: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: readonly string[], options: T, positionals: number) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: positionals > 0, strict: true });
  } catch (error: unknown) {
    throw new UsageError(errorMessage(error));
  }
  if (parsed.positionals.length > positionals) throw new UsageError(`unexpected argument "${parsed.positionals[positionals]}"`);
  return parsed;
}

function parseOnly(value: string | undefined): readonly Area[] | undefined {
  if (value === undefined) return undefined;
  const areas = value.split(',').map((a) => a.trim()).filter((a) => a !== '');
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
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`${flag}: expected an http(s) URL, got "${value}"`);
  return value.replace(/\/+$/, '');
}

/** Reads the issues flags; the token and defaults come from the environment, as in Actions. */
function issuesSettings(values: { [K in keyof typeof AUDIT_OPTIONS]?: string | boolean }, env: CliIo['env']): IssuesSettings {
  const text = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);
  const mode = text(values.issues) ?? 'off';
  if (mode !== 'off' && mode !== 'dry-run' && mode !== 'on') throw new UsageError(`--issues: expected off, dry-run or on, got "${mode}"`);
  const redact = text(values.redact) ?? 'auto';
  if (!isRedactMode(redact)) throw new UsageError(`--redact: expected auto, always or never, got "${redact}"`);
  const max = text(values['max-new-issues']) ?? '20';
  if (!/^\d+$/.test(max)) throw new UsageError(`--max-new-issues: expected a whole number, got "${max}"`);
  const apiFlag = text(values['github-api-url']);
  return {
    mode,
    repo: parseRepo(text(values.repo), '--repo') ?? parseRepo(env.GITHUB_REPOSITORY, 'GITHUB_REPOSITORY'),
    apiUrl: apiFlag !== undefined ? parseApiUrl(apiFlag, '--github-api-url') : env.GITHUB_API_URL ? parseApiUrl(env.GITHUB_API_URL, 'GITHUB_API_URL') : ISSUES_OFF.apiUrl,
    token: env.GITHUB_TOKEN || undefined,
    labels: (text(values.labels) ?? '').split(',').map((l) => l.trim()).filter((l) => l !== ''),
    maxNewIssues: Number(max),
    redact,
    redactKey: env.MAILWARDEN_REDACT_KEY || undefined,
  };
}

/** Reads the audit flags into Settings: the only place CLI flags are interpreted. */
export function auditSettings(args: readonly string[], env: CliIo['env'] = {}): Settings {
  const { values } = parse(args, AUDIT_OPTIONS, 0);
  const targets = [values.demo ? '--demo' : undefined, values.snapshot !== undefined ? '--snapshot' : undefined].filter(
    (t) => t !== undefined,
  );
  if (targets.length > 1) throw new UsageError(`${targets.join(' and ')} cannot be used together`);
  let target: TargetSettings;
  if (values.snapshot !== undefined) target = { kind: 'snapshot', dir: values.snapshot };
  else if (values.demo) target = { kind: 'demo' };
  else throw new UsageError('audit needs a target: --demo or --snapshot DIR');
  return {
    policyPath: values.policy ?? (target.kind === 'demo' ? DEMO_POLICY_PATH : undefined),
    target,
    saveSnapshotDir: values['save-snapshot'],
    only: parseOnly(values.only),
    reportJsonPath: values['report-json'],
    summaryMarkdownPath: values['summary-md'],
    failOn: parseFailOn(values['fail-on']),
    debug: values.debug === true,
    sarifPath: values.sarif,
    issues: issuesSettings(values, env),
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

function collectorFor(target: TargetSettings): Collector {
  switch (target.kind) {
    case 'snapshot':
      return folderCollector(target.dir);
    case 'demo':
      return folderCollector(DEMO_TENANT_DIR, 'simulate');
  }
}

async function audit(args: readonly string[], io: CliIo): Promise<number> {
  const settings = auditSettings(args, io.env);
  const logger = cliLogger(io, settings.debug);
  const collector = collectorFor(settings.target);
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
  io.stdout(`${file}: valid policy ${policy.id} ${policy.version} (${enabled} controls enabled, ${policy.exceptions.length} exceptions)\n`);
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
