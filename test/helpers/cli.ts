import { main } from '../../src/cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with captured output; the same `main` the bundle calls. */
export async function runCli(
  argv: readonly string[],
  options: { now?: Date; env?: Record<string, string> } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    isTty: false,
    env: options.env ?? {},
    now: () => options.now ?? new Date('2026-11-27T12:00:00Z'),
  });
  return { code, stdout, stderr };
}
