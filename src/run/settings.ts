import type { Cloud } from '../model/cloud.js';
import type { TenantTarget } from '../collect/live/tenant-target.js';
import type { RepoRef } from '../issues/github-api.js';
import type { RedactMode } from '../report/redact.js';
import type { Area } from '../model/area.js';
import type { FailOn } from '../model/severity.js';
import type { Shard } from '../snapshot/shard.js';
import type { EvidenceSettings } from '../evidence/write-evidence.js';
import type { IncrementalSettings } from './incremental/incremental-run.js';

/** Where the tenant data comes from. */
export type TargetSettings =
  | TenantTarget
  /** Replay a snapshot folder offline. */
  | { readonly kind: 'snapshot'; readonly dir: string }
  /**
   * A snapshot folder served by the in-process simulator and audited over live HTTP, as of the
   * run's clock; `asCaptured` serves it verbatim and audits it as of its capture time.
   */
  | { readonly kind: 'simulate'; readonly dir: string; readonly asCaptured?: boolean; readonly cloud?: Cloud }
  /** The built-in demo tenant, simulated (as `simulate`). */
  | { readonly kind: 'demo'; readonly asCaptured?: boolean }
  /** DNS-only mode: just these domains' email authentication, no tenant credentials (`--domains`). */
  | { readonly kind: 'dns-only'; readonly domains: readonly string[]; readonly cloud: Cloud };

/** The DNS client's settings (`--dns-server`, input `dns-servers`) and extra domains (`--domains`). */
export interface DnsSettings {
  /** `HOST[:PORT]` or `https://` DoH URLs; empty means the system's resolvers (/etc/resolv.conf). */
  readonly servers: readonly string[];
  /** Domains audited besides the tenant's (in DNS-only mode: the only ones). */
  readonly domains: readonly string[];
}

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
  /** MAILWARDEN_REDACT_KEY (src/entry/env.ts): keys the pseudonyms; without it the tenant ID is the key. */
  readonly redactKey: string | undefined;
  /**
   * `--tenant-label NAME` (input `tenant-label`): when several tenants share one repository, each
   * issue gets `tenant:<name>` and a sync touches only its own tenant's issues. Unset: one tenant.
   */
  readonly tenantName?: string;
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
 * Everything a run needs, read once from Action inputs (`src/action/inputs.ts`) or CLI flags
 * (`src/cli/`), both through `src/entry/read-settings.ts`. Nothing else reads `core.getInput`
 * or `process.argv`.
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
  /** This run's slice of the per-mailbox work (`--shard i/n`); `undefined` means all of it. */
  readonly shard?: Shard;
  /** Write an evidence pack to this folder (`--evidence-dir`, input `evidence-dir`). */
  readonly evidence?: EvidenceSettings;
  /** DNS servers and extra domains; absent means system resolvers and no extra domains. */
  readonly dns?: DnsSettings;
  /** The collection's one deadline in minutes (`--deadline`; default collect/deadline.ts). */
  readonly deadlineMinutes?: number;
  readonly debug: boolean;
  /** Write SARIF 2.1.0 here (`--sarif`, Action output `sarif-path`). */
  readonly sarifPath?: string | undefined;
  readonly issues?: IssuesSettings;
  /**
   * `--incremental STATE` (Action: the Actions cache): an hourly sign-in run that reads the log
   * only since the previous run and carries the detectors' state (docs/incremental-sign-ins.md).
   */
  readonly incremental?: IncrementalSettings;
}

/**
 * `merge-reports` (CLI) or the Action's `merge-reports` input: combine the partial reports of a
 * sharded audit, then publish the merged report as an audit would (report, SARIF, summary) and
 * sync the issues once.
 */
export interface MergeSettings {
  /** Partial report files, or glob patterns (`partial-*.json`). */
  readonly reports: readonly string[];
  /** The policy the shards ran; needed for SARIF and issues, and checked against the reports' sha256. */
  readonly policyPath: string | undefined;
  readonly reportJsonPath: string | undefined;
  readonly summaryMarkdownPath: string | undefined;
  readonly sarifPath?: string | undefined;
  readonly failOn: FailOn;
  readonly issues?: IssuesSettings;
  readonly debug: boolean;
}
