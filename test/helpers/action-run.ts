import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import * as core from '@actions/core';
import path from 'node:path';
import { parse } from 'yaml';
import { runAction } from '../../src/action/run-action.js';
import { createOctokit, octokitIssuesApi } from '../../src/issues/octokit-issues-api.js';
import type { Logger } from '../../src/logger.js';
import type { IssuesClientFactory } from '../../src/run/publish-report.js';
import type { FakeGitHub } from '../fakes/github-server.js';
import { tempDir } from './temp.js';

/** What one run of the Action left behind: its log, its job summary, its outputs. */
export interface ActionRun {
  readonly log: string;
  readonly summary: string;
  readonly outputs: Readonly<Record<string, string>>;
  readonly outputFile: string;
  readonly exitCode: number;
  readonly workspace: string;
}

/** `GITHUB_OUTPUT` as core.setOutput writes it: `name<<delimiter`, value, delimiter. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([\w-]+)<<(ghadelimiter_[\w-]+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) if (m[1]) out[m[1]] = m[3] ?? '';
  return out;
}

/** The job token a runner puts in place of the `${{ github.token }}` default. */
export const RUNNER_JOB_TOKEN = 'ghs_runnerjobtoken0123456789abcdefABCDEF';

/**
 * What the runner sets for every input the workflow leaves out: its action.yml default
 * (docs.github.com, metadata syntax: inputs.<input_id>.default), the github-token expression
 * evaluated to the job's token.
 */
export function actionInputDefaults(file = 'action.yml'): Readonly<Record<string, string>> {
  const action = parse(readFileSync(file, 'utf8')) as { inputs: Record<string, { default?: unknown }> };
  return Object.fromEntries(
    Object.entries(action.inputs)
      .filter(([, input]) => input.default !== undefined)
      .map(([name, input]) => [name, name === 'github-token' ? RUNNER_JOB_TOKEN : String(input.default)]),
  );
}

/**
 * Runs the Action in this process as the runner would: inputs as `INPUT_*` (action.yml's defaults
 * for those not given), the runner's
 * `GITHUB_*` variables and files, the log on stdout. Only the GitHub client's pacing is the
 * test's (production spaces creates 3 s apart). The environment and exit code are restored.
 */
export async function runActionOnce(
  inputs: Readonly<Record<string, string>>,
  fake: FakeGitHub,
  options: { readonly workspace?: string; readonly repository?: string; readonly runId?: string } = {},
): Promise<ActionRun> {
  const workspace = options.workspace ?? (await tempDir('mailwarden-workspace-'));
  const runner = await tempDir('mailwarden-runner-');
  const summaryFile = path.join(runner, 'summary.md');
  const outputFile = path.join(runner, 'output');
  await writeFile(summaryFile, '');
  await writeFile(outputFile, '');
  const env: Record<string, string> = {
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: options.repository ?? 'contoso/it-audit',
    GITHUB_API_URL: fake.apiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: options.runId ?? '42',
    GITHUB_SHA: '3f2a9c0d1e4b5a6978877665544332211000ffee',
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
    ...Object.fromEntries(
      Object.entries({ ...actionInputDefaults(), ...inputs }).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]),
    ),
  };
  const saved = { ...process.env };
  const savedExit = process.exitCode;
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  for (const key of Object.keys(process.env))
    if (key.startsWith('INPUT_') || key.startsWith('GITHUB_')) delete process.env[key];
  Object.assign(process.env, env);
  process.exitCode = 0;
  // @actions/core caches the summary file's path on first use; each run here has its own file.
  Reflect.set(core.summary, '_filePath', undefined);
  core.summary.emptyBuffer();
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  let exitCode = 0;
  try {
    // The Action's own (redacting) log, as production wires it; only the pacing is the test's.
    const issuesClient =
      (logger: Logger): IssuesClientFactory =>
      (s) =>
        octokitIssuesApi(
          createOctokit({
            token: s.token,
            baseUrl: s.apiUrl,
            logger,
            pacing: { writeMs: 0, notificationMs: 0, retryBaseMs: 1 },
          }),
          s.repo,
        );
    await runAction({ issuesClient });
    exitCode = Number(process.exitCode ?? 0);
  } finally {
    process.stdout.write = write;
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    process.exitCode = savedExit;
  }
  const outputText = await readFile(outputFile, 'utf8');
  return {
    log: chunks.join(''),
    summary: await readFile(summaryFile, 'utf8'),
    outputs: parseOutputs(outputText),
    outputFile: outputText,
    exitCode,
    workspace,
  };
}
