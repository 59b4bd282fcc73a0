import { isConfigurationError, errorMessage } from '../errors.js';
import { EXIT, type ExitCode } from '../run/exit-codes.js';
import { TOOL } from '../version.js';
import { acceptCommand } from './accept.js';
import { UsageError } from './args.js';
import { auditCommand } from './audit.js';
import { controlsCommand } from './controls.js';
import { initCommand } from './init.js';
import type { CliIo } from './io.js';
import { mergeReportsCommand } from './merge-reports.js';
import { simulateCommand } from './simulate.js';
import { commandUsage, USAGE } from './usage.js';
import { validatePolicyCommand } from './validate-policy.js';
import { verifyEvidenceCommand } from './verify-evidence.js';

/** The commands, one file each. */
const COMMANDS: Readonly<Record<string, (args: readonly string[], io: CliIo) => ExitCode | Promise<ExitCode>>> = {
  audit: auditCommand,
  'validate-policy': validatePolicyCommand,
  controls: controlsCommand,
  'merge-reports': mergeReportsCommand,
  'verify-evidence': verifyEvidenceCommand,
  simulate: simulateCommand,
  accept: acceptCommand,
  init: initCommand,
};

/** Runs the CLI and returns the exit code; never throws. */
export async function main(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [command, ...args] = argv;
  const debug = args.includes('--debug');
  try {
    switch (command) {
      case '--version':
      case 'version':
        io.stdout(`${TOOL.name} ${TOOL.version}\n`);
        return EXIT.done;
      case '--help':
      case 'help':
      case '-h':
        io.stdout(USAGE);
        return EXIT.done;
    }
    const handler = command !== undefined && Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (handler === undefined)
      throw new UsageError(command === undefined ? 'no command given' : `unknown command "${command}"`);
    // `audit --help` asks for help wherever it stands, before any other flag is judged.
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout(commandUsage(command as string));
      return EXIT.done;
    }
    return await handler(args, io);
  } catch (error: unknown) {
    if (isConfigurationError(error)) {
      io.stderr(`mailwarden: ${error.message}\n`);
      for (const line of error.details) io.stderr(`  ${line}\n`);
      if (error instanceof UsageError) io.stderr(`\n${USAGE}`);
      if (debug && error.stack) io.stderr(`${error.stack}\n`);
      return EXIT.configuration;
    }
    io.stderr(`mailwarden: internal error: ${errorMessage(error)}\n`);
    if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    else io.stderr('Run again with --debug for the stack trace, and report it as a bug.\n');
    return EXIT.internal;
  }
}
