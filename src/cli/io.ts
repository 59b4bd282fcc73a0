import type { Env } from '../entry/env.js';

/** What the CLI talks to; tests pass in their own. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTty: boolean;
  readonly env: Env;
  readonly now: () => Date;
  /** Resolves when a long-running command (`simulate`) should stop; default: Ctrl+C or SIGTERM. */
  readonly untilStopped?: () => Promise<void>;
}
