import type { RepoRef } from './issues/github-api.js';
import type { RedactMode } from './issues/redact.js';
import type { Area } from './model/area.js';
import type { FailOn } from './model/severity.js';

/** Where the tenant data comes from. */
export type TargetSettings =
  /** Replay a snapshot folder offline. */
  | { readonly kind: 'snapshot'; readonly dir: string }
  /** The built-in demo tenant. */
  | { readonly kind: 'demo' };

/** The GitHub issues stage (`--issues`, Action input `issues`). */
export interface IssuesSettings {
  /** `off` skips the stage, `dry-run` plans and prints without writing, `on` syncs. */
  readonly mode: 'off' | 'dry-run' | 'on';
  /** `--repo OWNER/NAME`, or GITHUB_REPOSITORY. */
  readonly repo: RepoRef | undefined;
  /** REST base URL: `--github-api-url` or GITHUB_API_URL (GitHub Enterprise Server), else api.github.com. */
  readonly apiUrl: string;
  /** GITHUB_TOKEN (CLI) or the `github-token` input; never logged. */
  readonly token: string | undefined;
  /** Extra labels on every finding issue, besides `mailwarden`, `severity:*` and `area:*`. */
  readonly labels: readonly string[];
  readonly maxNewIssues: number;
  readonly redact: RedactMode;
  /** MAILWARDEN_REDACT_KEY: keys the pseudonyms; without it the tenant ID is the key. */
  readonly redactKey: string | undefined;
}

export const ISSUES_OFF: IssuesSettings = {
  mode: 'off',
  repo: undefined,
  apiUrl: 'https://api.github.com',
  token: undefined,
  labels: [],
  maxNewIssues: 20,
  redact: 'auto',
  redactKey: undefined,
};

/**
 * Everything a run needs, read once from Action inputs (`src/inputs.ts`) or CLI flags
 * (`src/cli.ts`). Nothing else reads `core.getInput` or `process.argv`.
 */
export interface Settings {
  /** Policy file path; `undefined` means the bundled baseline policy. */
  readonly policyPath: string | undefined;
  readonly target: TargetSettings;
  /** Write the collected snapshot to this folder (`--save-snapshot`). */
  readonly saveSnapshotDir: string | undefined;
  /** Evaluate only these areas (`--only`); `undefined` means all. */
  readonly only: readonly Area[] | undefined;
  readonly reportJsonPath: string | undefined;
  readonly summaryMarkdownPath: string | undefined;
  readonly failOn: FailOn;
  readonly debug: boolean;
  /** Write SARIF 2.1.0 here (`--sarif`, Action output `sarif-path`). */
  readonly sarifPath?: string | undefined;
  readonly issues?: IssuesSettings;
}
