import type { getOctokit } from '@actions/github';
import type { AcceptApi, Access, RepoRef } from './accept-api.js';

type Octokit = ReturnType<typeof getOctokit>;

function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number'
    ? error.status
    : undefined;
}

/** `undefined` for a 404, the value otherwise; any other error is thrown on. */
async function unlessMissing<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error: unknown) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

const BASE_PERMISSIONS = new Set<Access['permission']>(['admin', 'write', 'read', 'none']);

/** The accept calls over Octokit REST. Writes are not retried on 5xx: a rerun of the comment converges. */
export function octokitAcceptApi(octokit: Octokit, ref: RepoRef): AcceptApi {
  const { owner, repo } = ref;
  return {
    async getAccess(login) {
      const data = await unlessMissing(
        async () => (await octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username: login })).data,
      );
      if (!data) return { permission: 'none', roleName: 'none' };
      const permission = BASE_PERMISSIONS.has(data.permission as Access['permission'])
        ? (data.permission as Access['permission'])
        : 'none';
      return { permission, roleName: data.role_name };
    },
    async getIssue(number) {
      const { data } = await octokit.rest.issues.get({ owner, repo, issue_number: number });
      return {
        number: data.number,
        state: data.state === 'closed' ? 'closed' : 'open',
        body: data.body ?? '',
        labels: data.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter((l) => l !== ''),
        htmlUrl: data.html_url,
        isPullRequest: data.pull_request !== undefined && data.pull_request !== null,
      };
    },
    async getDefaultBranch() {
      return (await octokit.rest.repos.get({ owner, repo })).data.default_branch;
    },
    async readFile(path, branch) {
      const data = await unlessMissing(
        async () => (await octokit.rest.repos.getContent({ owner, repo, path, ref: branch })).data,
      );
      if (data === undefined) return undefined;
      if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) {
        throw new Error(`${path} on ${branch} is a ${Array.isArray(data) ? 'directory' : data.type}, not a file`);
      }
      // Files over 1 MB come without content (encoding "none"); a policy is never that large.
      if (data.encoding !== 'base64') throw new Error(`${path} on ${branch} is too large to read (${data.size} bytes)`);
      return { text: Buffer.from(data.content, 'base64').toString('utf8'), sha: data.sha };
    },
    async getBranch(branch) {
      const data = await unlessMissing(
        async () => (await octokit.rest.git.getRef({ owner, repo, ref: `heads/${branch}` })).data,
      );
      return data?.object.sha;
    },
    async createBranch(branch, sha) {
      await octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha, request: { retries: 0 } });
    },
    async resetBranch(branch, sha) {
      await octokit.rest.git.updateRef({ owner, repo, ref: `heads/${branch}`, sha, force: true });
    },
    async writeFile(write) {
      const { data } = await octokit.rest.repos.createOrUpdateFileContents({
        owner,
        repo,
        path: write.path,
        branch: write.branch,
        message: write.message,
        content: Buffer.from(write.text, 'utf8').toString('base64'),
        sha: write.sha,
        request: { retries: 0 },
      });
      const commitSha = data.commit.sha;
      if (!commitSha) throw new Error(`GitHub answered no commit for ${write.path} on ${write.branch}`);
      return { commitSha };
    },
    async findOpenPullRequest(branch) {
      const { data } = await octokit.rest.pulls.list({ owner, repo, head: `${owner}:${branch}`, state: 'open' });
      const pull = data.find((p) => p.head.ref === branch);
      return pull ? { number: pull.number, htmlUrl: pull.html_url } : undefined;
    },
    async createPullRequest(pull) {
      const { data } = await octokit.rest.pulls.create({ owner, repo, ...pull, request: { retries: 0 } });
      return { number: data.number, htmlUrl: data.html_url };
    },
    async updatePullRequest(number, pull) {
      await octokit.rest.pulls.update({ owner, repo, pull_number: number, ...pull });
    },
    async comment(number, body) {
      const { data } = await octokit.rest.issues.createComment({
        owner,
        repo,
        issue_number: number,
        body,
        request: { retries: 0 },
      });
      return { htmlUrl: data.html_url };
    },
  };
}
