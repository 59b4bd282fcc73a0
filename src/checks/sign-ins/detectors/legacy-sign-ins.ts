import type { Finding } from '../../../model/finding.js';
import type { CheckInput, Fold } from '../../check.js';
import type { SignIn } from '../../../snapshot/graph-types.js';
import { cleanFinding, detectorFold, type ScanSummary } from '../detector-fold.js';
import type { EventPage } from '../event-page.js';
import { RowSample, rowFields } from '../evidence-rows.js';
import { carriedSignIn } from '../carry/carried-sign-in.js';
import { clientKey, MODERN_CLIENT_APPS } from '../../../snapshot/sign-in-client-apps.js';

interface LegacyUser {
  readonly successes: RowSample;
  readonly failures: RowSample;
}

type ClientKind = 'legacy' | 'modern' | 'unknown';

/** `legacy-auth.sign-ins`: users who signed in successfully over a legacy protocol. */
export function legacySignInsFold(input: CheckInput): Fold<SignIn> {
  const legacy = new Set(input.params.strings('legacyClientApps').map(clientKey));
  const modern = new Set(MODERN_CLIENT_APPS.map(clientKey));
  // Memoised per distinct `clientAppUsed` string: a handful of values across millions of events.
  const kinds = new Map<string, ClientKind>();
  const users = new Map<number, LegacyUser>();
  let blockedOnly = 0;
  let failedAttempts = 0;

  const kindOf = (client: string): ClientKind => {
    let kind = kinds.get(client);
    if (kind === undefined) {
      const key = clientKey(client);
      kind = legacy.has(key) ? 'legacy' : modern.has(key) ? 'modern' : 'unknown';
      // Bounded: past a few thousand spellings, each new one is judged again instead.
      if (kinds.size < 4096) kinds.set(client, kind);
    }
    return kind;
  };

  // An incremental run carries every legacy-protocol event of the window: they are few, and each
  // counts (successes, failed attempts, users with only failures).
  const carried: SignIn[] = [];

  return detectorFold(input, (pass, mode) => ({
    add(page: EventPage, i: number) {
      const client = page.raw[i]?.clientAppUsed;
      if (typeof client !== 'string' || client === '') return 'unknownClientApp';
      const kind = kindOf(client);
      if (kind === 'unknown') return 'unknownClientApp';
      if (kind === 'modern') return undefined;
      if (mode.carrying) carried.push(carriedSignIn(rowFields(page, i)));
      const user = page.user[i] ?? 0;
      let state = users.get(user);
      if (!state) {
        state = { successes: new RowSample(), failures: new RowSample(10) };
        users.set(user, state);
      }
      if (page.errorCode[i] === 0) state.successes.add(page, i);
      else {
        state.failures.add(page, i);
        failedAttempts++;
      }
      return undefined;
    },
    finish(scan: ScanSummary): readonly Finding[] {
      for (const state of users.values()) if (state.successes.total === 0) blockedOnly++;
      const attempts = { failedLegacyAttempts: failedAttempts, usersWithOnlyFailedLegacyAttempts: blockedOnly };
      const findings: Finding[] = [];
      for (const [number, state] of users) {
        if (state.successes.total === 0) continue;
        const user = pass.userName(number);
        const protocols = [...new Set(state.successes.toJson().items.map((r) => r.client ?? ''))].sort();
        findings.push({
          target: user,
          status: 'fail',
          message: `${state.successes.total} successful legacy-protocol sign-in(s) (${protocols.join(', ')}).`,
          evidence: {
            user,
            protocols,
            successfulSignIns: state.successes.toJson(),
            failedAttempts: state.failures.toJson(),
            tenantLegacyAttempts: attempts,
            scan,
          },
        });
      }
      if (findings.length > 0) return findings;
      return [cleanFinding('No successful legacy-protocol sign-ins', scan, { tenantLegacyAttempts: attempts })];
    },
    carry: () => carried,
  }));
}
