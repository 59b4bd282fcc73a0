import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck';
import type { Logger } from '../logger.js';
import type { ExistingIssue } from './existing-issue.js';
import type { IssuesApi, IssueWrite, RepoRef } from './github-api.js';
import { PIN_ISSUE_MUTATION, PIN_STATE_QUERY } from './pin-operations.js';

export interface OctokitOptions {
  readonly token: string;
  /** REST base URL: https://api.github.com, or https://HOST/api/v3 on GitHub Enterprise Server. */
  readonly baseUrl: string;
  readonly logger: Logger;
  /** Tests pass a fetch bound to the loopback fake; production uses the global fetch. */
  readonly fetch?: typeof fetch;
  /**
   * Spacing of writes and of notification-triggering writes (creates, comments). Defaults are the
   * throttling plugin's (1 s and 3 s), which keep us under GitHub's 80 content-creating requests a
   * minute (docs: "Rate limits for the REST API", secondary rate limits). Tests shorten them.
   */
  readonly pacing?: { readonly writeMs: number; readonly notificationMs: number; readonly retryBaseMs: number };
  /** Retries after a secondary rate limit before giving up on that request. */
  readonly maxRateLimitRetries?: number;
}

type Octokit = ReturnType<typeof getOctokit>;

/** Builds the Octokit the issues stage uses: throttled, retried, pointed at `baseUrl`. */
export function createOctokit(options: OctokitOptions): Octokit {
  const { logger } = options;
  const maxRetries = options.maxRateLimitRetries ?? 3;
  const pacing = options.pacing;
  const limitHandler =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
      logger.warning(
        `GitHub ${kind} rate limit on ${request.method} ${request.url}; retry ${retryCount + 1} of ${maxRetries} after ${retryAfter} s`,
      );
      return retryCount < maxRetries;
    };
  logger.secret(options.token);
  return getOctokit(
    options.token,
    {
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      request: options.fetch ? { fetch: options.fetch } : {},
      log: {
        debug: () => undefined,
        info: () => undefined,
        warn: (m: string) => logger.debug(m),
        error: (m: string) => logger.debug(m),
      },
      throttle: {
        onRateLimit: limitHandler('primary'),
        onSecondaryRateLimit: limitHandler('secondary'),
        ...(pacing
          ? {
              retryAfterBaseValue: pacing.retryBaseMs,
              // A fresh id keeps these groups apart from the plugin's process-wide defaults.
              id: `mailwarden-${Math.random().toString(36).slice(2)}`,
              write: new Bottleneck.Group({ maxConcurrent: 1, minTime: pacing.writeMs }),
              notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: pacing.notificationMs }),
            }
          : {}),
      },
      retry: pacing ? { retryAfterBaseValue: pacing.retryBaseMs } : {},
    },
    throttling,
    retry,
  );
}

interface RawIssue {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  state_reason?: string | null;
  labels: (string | { name?: string })[];
  html_url: string;
  created_at: string;
  closed_at: string | null;
  pull_request?: unknown;
}

/** The shape of PIN_STATE_QUERY's answer. */
interface PinStateData {
  repository: {
    issue: { id: string; isPinned: boolean | null } | null;
    pinnedIssues: { totalCount: number } | null;
  } | null;
}

function toExisting(raw: RawIssue): ExistingIssue {
  return {
    number: raw.number,
    title: raw.title,
    body: raw.body ?? null,
    state: raw.state === 'closed' ? 'closed' : 'open',
    stateReason: raw.state_reason ?? null,
    labels: raw.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter((l) => l !== ''),
    htmlUrl: raw.html_url,
    createdAt: raw.created_at,
    closedAt: raw.closed_at,
  };
}

/** The issues API over Octokit REST calls. No Search API: it lags, and a quick rerun would duplicate. */
export function octokitIssuesApi(octokit: Octokit, ref: RepoRef): IssuesApi {
  const { owner, repo } = ref;
  return {
    async getRepository() {
      const { data } = await octokit.rest.repos.get({ owner, repo });
      return { private: data.private, htmlUrl: data.html_url };
    },
    async listIssues(label, since) {
      const raw = (await octokit.paginate(octokit.rest.issues.listForRepo, {
        owner,
        repo,
        labels: label,
        state: 'all',
        per_page: 100,
        ...(since ? { since, sort: 'updated' as const, direction: 'desc' as const } : {}),
      })) as RawIssue[];
      // The issues list includes pull requests; they are never ours.
      return raw.filter((i) => i.pull_request === undefined || i.pull_request === null).map(toExisting);
    },
    async createIssue(write) {
      // Not retried: a create that reached GitHub but answered 5xx would otherwise be duplicated.
      // The next run finds it by its fingerprint and converges.
      const { data } = await octokit.rest.issues.create({
        owner,
        repo,
        title: write.title,
        body: write.body,
        labels: [...write.labels],
        request: { retries: 0 },
      });
      return { number: data.number, htmlUrl: data.html_url };
    },
    async updateIssue(number, write: IssueWrite) {
      const { data } = await octokit.rest.issues.update({
        owner,
        repo,
        issue_number: number,
        ...(write.title !== undefined ? { title: write.title } : {}),
        ...(write.body !== undefined ? { body: write.body } : {}),
        ...(write.labels !== undefined ? { labels: [...write.labels] } : {}),
        ...(write.state !== undefined ? { state: write.state } : {}),
        ...(write.stateReason !== undefined ? { state_reason: write.stateReason } : {}),
      });
      return { htmlUrl: data.html_url };
    },
    async createComment(number, body) {
      await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body, request: { retries: 0 } });
    },
    async listLabels() {
      const labels = await octokit.paginate(octokit.rest.issues.listLabelsForRepo, { owner, repo, per_page: 100 });
      return labels.map((l) => l.name);
    },
    async createLabel(name, color, description) {
      await octokit.rest.issues.createLabel({ owner, repo, name, color, description });
    },
    // GraphQL goes to {baseUrl}/graphql, or /api/graphql on GHES (@octokit/graphql maps /api/v3),
    // through the same throttling and retry plugins as the REST calls.
    async getPinState(number) {
      const data = await octokit.graphql<PinStateData>(PIN_STATE_QUERY, { owner, name: repo, number });
      const issue = data.repository?.issue;
      if (!issue) throw new Error(`issue #${number} not found over GraphQL`);
      return {
        nodeId: issue.id,
        isPinned: issue.isPinned === true,
        pinnedCount: data.repository?.pinnedIssues?.totalCount ?? 0,
      };
    },
    async pinIssue(nodeId) {
      await octokit.graphql(PIN_ISSUE_MUTATION, { issueId: nodeId, request: { retries: 0 } });
    },
  };
}
