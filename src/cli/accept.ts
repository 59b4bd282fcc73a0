import { acceptInFile } from '../accept/accept-in-file.js';
import { parseExpirySpec } from '../accept/expiry.js';
import { ConfigurationError } from '../errors.js';
import { EXIT, type ExitCode } from '../run/exit-codes.js';
import { parse } from './args.js';
import type { CliIo } from './io.js';

const OPTIONS = {
  policy: { type: 'string' },
  control: { type: 'string' },
  target: { type: 'string' },
  until: { type: 'string' },
  reason: { type: 'string' },
  'approved-by': { type: 'string' },
  ticket: { type: 'string' },
  debug: { type: 'boolean' },
} as const;

const REQUIRED = ['policy', 'control', 'target', 'until', 'reason', 'approved-by'] as const;

/**
 * `mailwarden accept`: the edit `/mailwarden accept` makes, without GitHub. The same rules (the
 * policy's maximum expiry and minimum reason length), the same byte-preserving edit, and the
 * file is replaced only when the result validates. Every mistake is one line and exit code 2.
 */
export async function acceptCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values } = parse(args, OPTIONS, 0);
  const missing = REQUIRED.filter((name) => values[name] === undefined);
  if (missing.length > 0) {
    throw new ConfigurationError(
      `accept needs --policy FILE --control ID --target T --until DATE --reason TEXT --approved-by NAME (missing: ${missing.map((m) => `--${m}`).join(', ')})`,
    );
  }
  const file = values.policy as string;
  const until = values.until as string;
  const expiry = parseExpirySpec(until);
  if (!expiry) {
    throw new ConfigurationError(
      `--until: expected a date (YYYY-MM-DD) or a number of days (90d), got ${JSON.stringify(until)}`,
    );
  }
  const done = await acceptInFile(
    file,
    {
      control: values.control as string,
      target: values.target as string,
      reason: values.reason as string,
      approvedBy: values['approved-by'] as string,
      expiry,
      ...(values.ticket !== undefined ? { ticket: values.ticket } : {}),
    },
    io.now(),
  );
  const { exception } = done;
  io.stdout(
    `${file}: ${done.replaced ? 'replaced' : 'added'} the exception for ${exception.control} on ${JSON.stringify(exception.target)} until ${exception.expires} at ${done.pointer}\n`,
  );
  return EXIT.done;
}
