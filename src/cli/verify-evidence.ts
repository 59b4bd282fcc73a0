import { verifyEvidencePack } from '../evidence/verify-evidence.js';
import { EXIT, type ExitCode } from '../run/exit-codes.js';
import { parse, UsageError } from './args.js';
import type { CliIo } from './io.js';

/** `mailwarden verify-evidence DIR`: checksums, then re-evaluation; exit 0 verified, 1 not. */
export async function verifyEvidenceCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { positionals } = parse(args, { debug: { type: 'boolean' } }, 1);
  const dir = positionals[0];
  if (dir === undefined) throw new UsageError('verify-evidence needs the evidence pack folder DIR');
  const verification = await verifyEvidencePack(dir, io.now);
  if (verification.problems.length > 0) {
    io.stderr(
      `${dir}: evidence pack NOT verified (${verification.problems.length} difference${verification.problems.length === 1 ? '' : 's'})\n`,
    );
    for (const problem of verification.problems) io.stderr(`  ${problem}\n`);
    return EXIT.findings;
  }
  io.stdout(
    `${dir}: evidence pack verified: checksums match and re-evaluation at ${verification.capturedAt ?? '?'} reproduces all ${verification.resultsChecked} results\n`,
  );
  return EXIT.done;
}
