import type { ParseArgsConfig } from 'node:util';
import { ENV, type Env } from '../entry/env.js';
import { octokitIssuesClient } from '../entry/issues-client.js';
import { githubToken, readFailOn, readIssues } from '../entry/read-settings.js';
import { renderIssuesConsole } from '../issues/console.js';
import { renderConsole } from '../report/console.js';
import { createDisclosure } from '../report/disclosure.js';
import type { ExitCode } from '../run/exit-codes.js';
import { runMerge } from '../run/run-merge.js';
import type { MergeSettings } from '../run/settings.js';
import { flagSource, PUBLISH_OPTIONS, parse, UsageError } from './args.js';
import { cliLogger } from './cli-logger.js';
import type { CliIo } from './io.js';

const MERGE_OPTIONS = {
  policy: { type: 'string' },
  'report-json': { type: 'string' },
  'summary-md': { type: 'string' },
  ...PUBLISH_OPTIONS,
} as const satisfies ParseArgsConfig['options'];

/** Reads the merge-reports flags: the outputs and issues flags are audit's. */
export function mergeSettings(args: readonly string[], env: Env = {}): MergeSettings {
  const { values, positionals } = parse(args, MERGE_OPTIONS, Number.MAX_SAFE_INTEGER);
  if (positionals.length === 0) throw new UsageError('merge-reports needs the partial report files');
  const source = flagSource(values);
  return {
    reports: positionals,
    policyPath: values.policy,
    reportJsonPath: values['report-json'],
    summaryMarkdownPath: values['summary-md'],
    sarifPath: values.sarif,
    failOn: readFailOn(source),
    issues: readIssues(source, env, { defaultMode: 'off', token: githubToken(env) }),
    debug: values.debug === true,
  };
}

/** `mailwarden merge-reports FILE...`: combine a sharded audit's partial reports, then publish as audit does. */
export async function mergeReportsCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const settings = mergeSettings(args, io.env);
  const disclosure = createDisclosure();
  const logger = disclosure.logger(cliLogger(io, settings.debug));
  const outcome = await runMerge(settings, {
    logger,
    now: io.now,
    issuesClient: octokitIssuesClient(logger),
    disclosure,
  });
  io.stdout(`${renderConsole(outcome.shown, io.isTty && io.env[ENV.noColor] === undefined)}\n`);
  if (outcome.issues) io.stdout(`${renderIssuesConsole(outcome.issues)}\n`);
  return outcome.exitCode;
}
