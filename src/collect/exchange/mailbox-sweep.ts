import type { ExchangeObject } from '../../snapshot/exchange-types.js';
import { ExchangeRequestError, isExchangeRefusal } from './exchange-api.js';

/**
 * How many per-mailbox cmdlet calls run at once (Get-InboxRule, Get-MailboxPermission): one
 * call per mailbox, a few in flight, so per-mailbox limits hold and the admin API is not flooded.
 */
export const MAILBOX_SWEEP_CONCURRENCY = 4;

/** All rows of a sweep, or the error that stopped it (a refusal stops it at once). */
export type SweepResult = { readonly rows: ExchangeObject[] } | { readonly error: unknown };

/**
 * Runs `call` for each mailbox, MAILBOX_SWEEP_CONCURRENCY at a time. A 404 with a cmdlet error
 * means the cmdlet ran and the mailbox is gone since Get-Mailbox listed it: skipped. Any other
 * failure stops the sweep, so a source is `ok` only when every mailbox was read.
 */
export async function sweepMailboxes(
  mailboxes: readonly string[],
  call: (mailbox: string) => Promise<readonly ExchangeObject[]>,
  concurrency = MAILBOX_SWEEP_CONCURRENCY,
): Promise<SweepResult> {
  const rows: ExchangeObject[] = [];
  let next = 0;
  let refused: unknown;
  let failed: unknown;
  const worker = async (): Promise<void> => {
    while (refused === undefined && failed === undefined && next < mailboxes.length) {
      const mailbox = mailboxes[next++] as string;
      try {
        for (const row of await call(mailbox)) rows.push(row);
      } catch (error: unknown) {
        if (error instanceof ExchangeRequestError && error.status === 404 && error.detail !== undefined) continue;
        if (isExchangeRefusal(error)) refused = error;
        else failed = error;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (refused !== undefined) return { error: refused };
  if (failed !== undefined) return { error: failed };
  return { rows };
}
