import { loadPolicy } from '../policy/load-policy.js';
import { EXIT, type ExitCode } from '../run/exit-codes.js';
import { parse, UsageError } from './args.js';
import type { CliIo } from './io.js';

/** `mailwarden validate-policy FILE`: exit 0 when valid, 2 (a ConfigurationError) when not. */
export async function validatePolicyCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { positionals } = parse(args, {}, 1);
  const file = positionals[0];
  if (file === undefined) throw new UsageError('validate-policy needs a FILE');
  // Read as `audit` reads it: bytes, bounded, strict UTF-8.
  const { policy, warnings } = await loadPolicy(file, io.now());
  for (const warning of warnings) io.stderr(`warning: ${warning}\n`);
  const enabled = [...policy.controls.values()].filter((c) => c.enabled).length;
  io.stdout(
    `${file}: valid policy ${policy.id} ${policy.version} (${enabled} controls enabled, ${policy.exceptions.length} exceptions)\n`,
  );
  return EXIT.done;
}
