import type { Finding } from '../model/finding.js';
import { TENANT_TARGET } from '../model/finding.js';
import { EVIDENCE_CAP } from '../model/cap.js';
import type { Check, CheckInput } from './check.js';

/** `mfa.registration`: share of enabled member users registered for MFA. */
function mfaRegistration({ snapshot, params, context }: CheckInput): readonly Finding[] {
  const users = snapshot.data('graph.users');
  const details = new Map(snapshot.data('graph.userRegistrationDetails').map((d) => [d.id, d]));
  const requireCapable = params.boolean('requireCapable');
  const minPercent = params.number('minPercent');
  const excepted = new Set(context.exceptions.map((e) => e.target.toLowerCase()));

  const honoured: string[] = [];
  const unregistered: { upn: string; displayName: string | null; reason: string }[] = [];
  let counted = 0;
  for (const user of users) {
    // Guests authenticate at their home tenant and disabled accounts cannot sign in.
    if (user.accountEnabled !== true || user.userType?.toLowerCase() !== 'member') continue;
    const upn = user.userPrincipalName.toLowerCase();
    if (excepted.has(upn)) {
      honoured.push(upn);
      continue;
    }
    counted += 1;
    const detail = details.get(user.id);
    const covered = detail ? (requireCapable ? detail.isMfaCapable : detail.isMfaRegistered) : false;
    if (!covered) {
      unregistered.push({
        upn: user.userPrincipalName,
        displayName: user.displayName ?? null,
        reason: detail ? (requireCapable ? 'not MFA capable' : 'not registered') : 'no registration record',
      });
    }
  }
  const percent = counted === 0 ? 100 : Math.floor(((counted - unregistered.length) / counted) * 10_000) / 100;
  const pass = percent >= minPercent && (minPercent < 100 || unregistered.length === 0);
  return [
    {
      target: TENANT_TARGET,
      status: pass ? 'pass' : 'fail',
      message: pass
        ? `${percent}% of ${counted} enabled member users are registered for MFA (minimum ${minPercent}%).`
        : `${unregistered.length} of ${counted} enabled member users are not registered for MFA (${percent}%, minimum ${minPercent}%).`,
      evidence: {
        coveragePercent: percent,
        minPercent,
        counted,
        unregisteredTotal: unregistered.length,
        unregistered: unregistered.slice(0, EVIDENCE_CAP),
        excludedByException: honoured,
        measure: requireCapable ? 'isMfaCapable' : 'isMfaRegistered',
      },
      honouredExceptions: honoured,
    },
  ];
}

/** Checks of the MFA controls, keyed by control ID. */
export const mfaChecks: Readonly<Record<string, Check>> = {
  'mfa.registration': { kind: 'snapshot', evaluate: mfaRegistration },
};
