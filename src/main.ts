import * as core from '@actions/core';
import type { Collector } from './collect/collector.js';
import { dnsOnlyCollector } from './collect/dns/dns-only.js';
import { liveDnsClients } from './collect/dns/live-dns-clients.js';
import { folderCollector } from './collect/folder-collector.js';
import { createLiveClients } from './collect/live/create-clients.js';
import { liveCollector } from './collect/live/live-collector.js';
import { ConfigurationError, errorMessage, isConfigurationError } from './errors.js';
import { readActionMode } from './inputs.js';
import { createOctokit, octokitIssuesApi } from './issues/octokit-issues-api.js';
import type { Settings } from './settings.js';
import { runMerge } from './shard/merge-run.js';
import type { Logger } from './logger.js';
import { EXIT, run as runPipeline, type IssuesClientFactory } from './run.js';

function actionsLogger(): Logger {
  return {
    debug: (m) => core.debug(m),
    info: (m) => core.info(m),
    warning: (m) => core.warning(m),
    error: (m) => core.error(m),
    secret: (value) => {
      // Masking is per line, so a multi-line secret (a PEM certificate) is masked line by line.
      for (const line of value.split(/\r?\n/)) if (line.trim() !== '') core.setSecret(line);
    },
  };
}

function runContext(env: NodeJS.ProcessEnv): { repository?: string; gitSha?: string; runUrl?: string } {
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const repository = env.GITHUB_REPOSITORY;
  return {
    ...(repository ? { repository } : {}),
    ...(env.GITHUB_SHA ? { gitSha: env.GITHUB_SHA } : {}),
    ...(repository && env.GITHUB_RUN_ID ? { runUrl: `${server}/${repository}/actions/runs/${env.GITHUB_RUN_ID}` } : {}),
  };
}

/** GitHub's OIDC token for the cloud's token-exchange audience (workload identity federation). */
async function githubIdToken(audience: string): Promise<string> {
  try {
    return await core.getIDToken(audience);
  } catch (error: unknown) {
    throw new Error(
      `cannot get a GitHub OIDC token (${errorMessage(error)}); give the job \`permissions: id-token: write\`, or pass client-secret or certificate`,
    );
  }
}

function collectorFor(settings: Settings, logger: Logger): Collector {
  const target = settings.target;
  const dns = settings.dns ?? { servers: [], domains: [] };
  switch (target.kind) {
    case 'snapshot':
      return folderCollector(target.dir);
    case 'dns-only':
      return dnsOnlyCollector(target, dns, { logger, now: () => new Date() });
    case 'tenant': {
      const created = createLiveClients(target, { logger, getIdToken: githubIdToken });
      return liveCollector({
        mode: 'tenant',
        tenantId: target.tenantId,
        clients: { ...created.clients, ...liveDnsClients(dns, { logger }) },
        extraDomains: dns.domains,
        now: () => new Date(),
        close: () => created.close(),
      });
    }
    default:
      throw new ConfigurationError(`The Action cannot audit a ${target.kind} target`);
  }
}

/** The Action: read inputs, run the pipeline, publish outputs and the job summary. */
export async function run(): Promise<void> {
  const logger = actionsLogger();
  try {
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const mode = readActionMode((name) => core.getInput(name), workspace, process.env);
    const issuesClient: IssuesClientFactory = (s) =>
      octokitIssuesApi(createOctokit({ token: s.token, baseUrl: s.apiUrl, logger }), s.repo);
    const settings = mode.settings;
    let outcome;
    if (mode.kind === 'merge') {
      outcome = await runMerge(mode.settings, { logger, now: () => new Date(), issuesClient, workspace });
    } else {
      const collector = collectorFor(mode.settings, logger);
      try {
        outcome = await runPipeline(mode.settings, {
          logger,
          now: () => new Date(),
          collector,
          runContext: runContext(process.env),
          issuesClient,
          workspace,
        });
      } finally {
        await collector.close?.();
      }
    }
    const { byStatus } = outcome.report.summary;
    core.setOutput('report-path', settings.reportJsonPath ?? '');
    core.setOutput('failed', byStatus.fail);
    core.setOutput('passed', byStatus.pass);
    core.setOutput('errors', byStatus.error);
    core.setOutput('sarif-path', settings.sarifPath ?? '');
    core.setOutput('issues-opened', outcome.issues?.opened ?? 0);
    core.setOutput('issues-closed', outcome.issues?.closed ?? 0);
    core.setOutput('evidence-dir', mode.kind === 'audit' ? (mode.settings.evidence?.dir ?? '') : '');
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(outcome.summaryMarkdown).write();
    if (outcome.exitCode === EXIT.findings) core.setFailed(`Findings at or above fail-on: ${byStatus.fail} failed`);
    else if (outcome.exitCode === EXIT.allSourcesFailed) core.setFailed('Every data source failed; nothing was judged');
    else if (outcome.exitCode === EXIT.issues) core.setFailed(outcome.issuesError ?? 'The GitHub issues stage failed');
  } catch (error: unknown) {
    if (isConfigurationError(error)) {
      core.setFailed([error.message, ...error.details].join('\n'));
    } else {
      core.setFailed(`mailwarden internal error: ${errorMessage(error)}`);
      if (error instanceof Error && error.stack) core.debug(error.stack);
    }
  }
}
