import type { Area } from './model/area.js';
import type { FailOn } from './model/severity.js';
import type { Shard } from './shard/shard.js';
import type { EvidenceSettings } from './evidence/write-evidence.js';

/** Where the tenant data comes from. */
export type TargetSettings =
  /** Replay a snapshot folder offline. */
  | { readonly kind: 'snapshot'; readonly dir: string }
  /** The built-in demo tenant. */
  | { readonly kind: 'demo' };

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
  /** This run's slice of the per-mailbox work (`--shard i/n`); `undefined` means all of it. */
  readonly shard?: Shard;
  /** Write an evidence pack to this folder (`--evidence-dir`, input `evidence-dir`). */
  readonly evidence?: EvidenceSettings;
  readonly debug: boolean;
}
