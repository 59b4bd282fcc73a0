import type { RepoRef } from '../issues/github-api.js';

export type { RepoRef };

/**
 * A person's access to the repository, from `GET /repos/{owner}/{repo}/collaborators/{username}/permission`.
 * `permission` is GitHub's base role (maintain shows as write, triage as read); `roleName` the
 * role as granted (maintain, triage or a custom role). Not a collaborator: `none`.
 */
export interface Access {
  readonly permission: 'admin' | 'write' | 'read' | 'none';
  readonly roleName: string;
}

/** The finding issue as it stands now (not as the event payload saw it). */
export interface IssueNow {
  readonly number: number;
  readonly state: 'open' | 'closed';
  readonly body: string;
  readonly labels: readonly string[];
  readonly htmlUrl: string;
  readonly isPullRequest: boolean;
}

export interface FileAtRef {
  readonly text: string;
  /** Blob SHA, which an update of the file must name. */
  readonly sha: string;
}

export interface PullRequestRef {
  readonly number: number;
  readonly htmlUrl: string;
}

/**
 * The GitHub calls `/mailwarden accept` makes, and nothing else: read who commented and the
 * finding issue, read the policy file, write one branch, one commit per request, one pull
 * request, and comments. The Octokit implementation is octokit-accept-api.ts.
 */
export interface AcceptApi {
  getAccess(login: string): Promise<Access>;
  getIssue(number: number): Promise<IssueNow>;
  getDefaultBranch(): Promise<string>;
  /** The file's text at a branch, or `undefined` when the file is not there. */
  readFile(path: string, branch: string): Promise<FileAtRef | undefined>;
  /** The commit a branch points at, or `undefined` when there is no such branch. */
  getBranch(branch: string): Promise<string | undefined>;
  createBranch(branch: string, sha: string): Promise<void>;
  /** Points an existing branch at `sha`, even when that is no fast-forward. */
  resetBranch(branch: string, sha: string): Promise<void>;
  /** Commits the file on the branch; `sha` is the blob being replaced. */
  writeFile(write: {
    readonly path: string;
    readonly branch: string;
    readonly text: string;
    readonly sha: string;
    readonly message: string;
  }): Promise<{ readonly commitSha: string }>;
  /** The open pull request from `branch` of this repository, if there is one. */
  findOpenPullRequest(branch: string): Promise<PullRequestRef | undefined>;
  createPullRequest(pull: {
    readonly title: string;
    readonly body: string;
    readonly head: string;
    readonly base: string;
  }): Promise<PullRequestRef>;
  updatePullRequest(number: number, pull: { readonly title: string; readonly body: string }): Promise<void>;
  /** A comment on an issue or a pull request. */
  comment(number: number, body: string): Promise<{ readonly htmlUrl: string }>;
}
