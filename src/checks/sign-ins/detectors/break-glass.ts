import type { Finding } from '../../../model/finding.js';
import { TENANT_TARGET } from '../../../model/finding.js';
import type { SignIn } from '../../../snapshot/graph-types.js';
import type { CheckInput, Fold } from '../../check.js';
import { detectorFold, type EarlierUnreadable, type ScanSummary } from '../detector-fold.js';
import type { EventPage } from '../event-page.js';
import { carriedSignIn } from '../carry/carried-sign-in.js';
import { RowSample, rowFields } from '../evidence-rows.js';
import { AccountIndex } from '../structures/account-index.js';

/**
 * What the fold keeps per break-glass account: plain numbers and rows, so the state of a run can
 * be written out and carried into the next (an hourly run continues where the last one stopped).
 */
export interface BreakGlassAccountState {
  readonly rows: RowSample;
  successes: number;
  failures: number;
  /** The sign-in names seen for the account (its UPN, lower case). */
  readonly names: Set<string>;
}

/**
 * `sign-ins.break-glass`: every sign-in, successful or failed, by an account the policy lists as
 * break-glass. Microsoft's emergency-access guidance alerts on any sign-in by these accounts
 * (learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access, its
 * sample alert matches `UserId` against the accounts' object IDs and fires above zero results),
 * so the match is on `userId`, one result per listed account.
 */
export function breakGlassFold(input: CheckInput): Fold<SignIn> {
  const ids = input.params.strings('breakGlassAccounts').map((id) => id.trim().toLowerCase());
  const accounts = new AccountIndex(ids);
  const states: BreakGlassAccountState[] = ids.map(() => ({
    rows: new RowSample(),
    successes: 0,
    failures: 0,
    names: new Set(),
  }));
  // An incremental run carries every sign-in of a listed account: each one is a finding.
  const carried: SignIn[] = [];

  return detectorFold(input, (pass, mode) => ({
    add(page: EventPage, i: number) {
      if (ids.length === 0) return undefined;
      const account = accounts.of(page.user[i] ?? 0, page.raw[i]?.userId);
      if (account < 0) return undefined;
      const state = states[account];
      if (state === undefined) return undefined;
      state.rows.add(page, i);
      if (page.errorCode[i] === 0) state.successes++;
      else state.failures++;
      if (state.names.size < 8) state.names.add(pass.userName(page.user[i] ?? 0));
      if (mode.carrying) carried.push(carriedSignIn(rowFields(page, i), { userId: page.raw[i]?.userId ?? null }));
      return undefined;
    },
    finish(scan: ScanSummary, earlier: EarlierUnreadable): readonly Finding[] {
      if (ids.length === 0) {
        return [
          {
            target: TENANT_TARGET,
            status: 'not_evaluable',
            message: 'List the break-glass accounts (object IDs) in breakGlassAccounts to watch their sign-ins.',
            evidence: { reason: 'no break-glass accounts configured', parameter: 'breakGlassAccounts', scan },
          },
        ];
      }
      const inWindow = scan.eventsAnalysed;
      return ids.map((id, index): Finding => {
        const state = states[index];
        const total = state ? state.successes + state.failures : 0;
        if (!state || total === 0) {
          // "No sign-in" holds only when every record was read: an unreadable record of the
          // account, or one naming no user at all, may be its sign-in; so may those an earlier
          // hourly run read and carried (an account past the ones kept apart is `*`).
          const unreadOwn =
            (pass.unreadByUserId.get(id) ?? 0) + (earlier.byUserId.get(id) ?? 0) + (earlier.byUserId.get('*') ?? 0);
          const unattributed = pass.unattributed + earlier.unattributed;
          const blind =
            inWindow === 0
              ? 'no sign-in at all is in the window, which is far likelier a collection fault than a quiet day'
              : unreadOwn > 0
                ? `${unreadOwn} sign-in record(s) of this account could not be read (no ID, time or status)`
                : unattributed > 0
                  ? `${unattributed} sign-in record(s) name no user and may be this account's`
                  : undefined;
          return blind
            ? {
                target: id,
                status: 'error',
                message: `Whether break-glass account ${id} signed in is unknown: ${blind}.`,
                evidence: { account: id, scan },
              }
            : {
                target: id,
                status: 'pass',
                message: `No sign-in by break-glass account ${id} among ${inWindow} sign-ins from ${scan.window.start} to ${scan.window.end}.`,
                evidence: { account: id, signIns: { items: [], total: 0 }, scan },
              };
        }
        const names = [...state.names].sort();
        return {
          target: id,
          status: 'fail',
          message: `${total} sign-in(s) by break-glass account ${names[0] ?? id} (${state.successes} successful, ${state.failures} failed): confirm each was a drill or an emergency.`,
          evidence: {
            account: id,
            userPrincipalNames: names,
            successes: state.successes,
            failures: state.failures,
            signIns: state.rows.toJson(),
            scan,
          },
          // A success means someone holds a working credential of the tenant's most powerful account.
          ...(state.successes > 0 ? { severity: 'critical' as const } : {}),
        };
      });
    },
    carry: () => carried,
  }));
}
