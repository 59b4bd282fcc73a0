import type { ExistingIssue } from './existing-issue.js';

/** The repository the issues live in. */
export interface RepoRef {
  readonly owner: string;
  readonly repo: string;
}

export interface IssueWrite {
  readonly title?: string;
  readonly body?: string;
  readonly labels?: readonly string[];
  readonly state?: 'open' | 'closed';
  readonly stateReason?: 'completed' | 'not_planned' | 'duplicate' | 'reopened';
}

/** The dashboard's pin state, read over GraphQL. */
export interface PinState {
  /** The issue's GraphQL node ID (REST `node_id`), which `pinIssue` takes. */
  readonly nodeId: string;
  readonly isPinned: boolean;
  /** Issues pinned in the repository; GitHub allows three. */
  readonly pinnedCount: number;
}

/**
 * The GitHub calls the issues stage makes, and nothing else. `apply` talks to this interface;
 * the Octokit implementation is in octokit-issues-api.ts.
 */
export interface IssuesApi {
  /** Visibility decides `redact: auto`; a 403/404 here is the clear "forbidden repository" error. */
  getRepository(): Promise<{ readonly private: boolean; readonly htmlUrl: string }>;
  /** Every issue with `label`, open and closed, pull requests left out; `since` gives only those updated since. */
  listIssues(label: string, since?: string): Promise<ExistingIssue[]>;
  createIssue(
    write: Required<Pick<IssueWrite, 'title' | 'body' | 'labels'>>,
  ): Promise<{ readonly number: number; readonly htmlUrl: string }>;
  updateIssue(number: number, write: IssueWrite): Promise<{ readonly htmlUrl: string }>;
  createComment(number: number, body: string): Promise<void>;
  listLabels(): Promise<string[]>;
  createLabel(name: string, color: string, description: string): Promise<void>;
  /** GraphQL: whether the issue is pinned, and how many are. Throws where the schema lacks pinning (older GHES). */
  getPinState(number: number): Promise<PinState>;
  /** GraphQL mutation `pinIssue`. */
  pinIssue(nodeId: string): Promise<void>;
}
