import type { Finding } from '../../model/finding.js';
import type { CheckInput, Fold } from '../check.js';
import type { SignIn } from '../../snapshot/graph-types.js';
import { cleanFinding, detectorFold, type ScanSummary } from './detector-fold.js';
import { RowSample } from './evidence-rows.js';
import { clientKey, MODERN_CLIENT_APPS } from './legacy-client-apps.js';
import type { SignInEvent } from './sign-in-event.js';

interface LegacyUser {
  readonly successes: RowSample;
  readonly failures: RowSample;
}

/** `legacy-auth.sign-ins`: users who signed in successfully over a legacy protocol. */
export function legacySignInsFold(input: CheckInput): Fold<SignIn> {
  const legacy = new Set(input.params.strings('legacyClientApps').map(clientKey));
  const modern = new Set(MODERN_CLIENT_APPS.map(clientKey));
  // Memoised per distinct `clientAppUsed` string: a handful of values across millions of events.
  const kinds = new Map<string, 'legacy' | 'modern' | 'unknown'>();
  const users = new Map<string, LegacyUser>();
  let blockedOnly = 0;
  let failedAttempts = 0;

  const kindOf = (client: string): 'legacy' | 'modern' | 'unknown' => {
    let kind = kinds.get(client);
    if (kind === undefined) {
      const key = clientKey(client);
      kind = legacy.has(key) ? 'legacy' : modern.has(key) ? 'modern' : 'unknown';
      kinds.set(client, kind);
    }
    return kind;
  };

  return detectorFold(input, {
    add(event: SignInEvent) {
      const client = event.raw.clientAppUsed;
      if (typeof client !== 'string' || client === '') return 'unknownClientApp';
      const kind = kindOf(client);
      if (kind === 'unknown') return 'unknownClientApp';
      if (kind === 'modern') return undefined;
      let state = users.get(event.user);
      if (!state) {
        state = { successes: new RowSample(), failures: new RowSample(10) };
        users.set(event.user, state);
      }
      if (event.success) state.successes.add(event);
      else {
        state.failures.add(event);
        failedAttempts++;
      }
      return undefined;
    },
    finish(scan: ScanSummary): readonly Finding[] {
      for (const state of users.values()) if (state.successes.total === 0) blockedOnly++;
      const attempts = { failedLegacyAttempts: failedAttempts, usersWithOnlyFailedLegacyAttempts: blockedOnly };
      const findings: Finding[] = [];
      for (const [user, state] of users) {
        if (state.successes.total === 0) continue;
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
      return [
        cleanFinding('No successful legacy-protocol sign-ins in the window.', scan, { tenantLegacyAttempts: attempts }),
      ];
    },
  });
}
