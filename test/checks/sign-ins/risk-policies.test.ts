import { describe, expect, it } from 'vitest';
import type { Result } from '../../../src/model/result.js';
import { evaluate } from '../../../src/evaluate/evaluate.js';
import { parsePolicy } from '../../../src/policy/parse-policy.js';
import type { Snapshot } from '../../../src/snapshot/snapshot.js';
import {
  goldenTenant,
  IDENTITY_NOW,
  type IdentityTenant,
  identityPolicyText,
  judgeIdentityTenant,
  tenantSnapshot,
} from '../../helpers/identity-tenant.js';

type Policy = IdentityTenant['policies'][number];

async function riskResult(t: IdentityTenant): Promise<Result> {
  const r = (await judgeIdentityTenant(t)).find((x) => x.control === 'sign-ins.risk-policies');
  if (!r) throw new Error('no sign-ins.risk-policies result');
  return r;
}

describe('sign-ins.risk-policies: verdicts and words', () => {
  it('the golden tenant passes, saying both risks are blocked, with what was read', async () => {
    const r = await riskResult(goldenTenant());
    expect([r.status, r.message]).toEqual([
      'pass',
      'High user risk and high sign-in risk are both blocked by enforced policies.',
    ]);
    expect(r.evidence).toMatchObject({ policiesRead: 6, allowedExclusions: [], allowedNarrowing: [] });
  });

  it('without Entra ID P2 it is not evaluable, naming the licence, even when the risky users were read', async () => {
    // Collection reads no risky users without P2 (the source gate then answers); a snapshot that
    // holds them while its licences say no P2 is judged by the licence.
    const full = tenantSnapshot(goldenTenant());
    const snapshot: Snapshot = {
      ...full,
      manifest: { ...full.manifest, licences: { ...full.manifest.licences, 'entra-id-p2': false } },
    };
    const { policy } = parsePolicy(identityPolicyText(), 'identity-test.json', IDENTITY_NOW);
    const results = (await evaluate(snapshot, policy, { now: IDENTITY_NOW, domains: [] })).results;
    const r = results.find((x) => x.control === 'sign-ins.risk-policies') as Result;
    expect([r.target, r.status, r.message, r.evidence]).toEqual([
      'tenant',
      'not_evaluable',
      'Needs Microsoft Entra ID P2: risk-based Conditional Access does nothing without it.',
      { licence: 'entra-id-p2' },
    ]);
  });

  it('a risk block limited to one platform fails with the platforms left open and the policy that falls short', async () => {
    const t = goldenTenant();
    (t.policies[3] as Policy).conditions.platforms = { includePlatforms: ['windows'] };
    const r = await riskResult(t);
    expect(r.status).toBe('fail');
    expect(r.message).toBe(
      'Risk policies fall short: high user risk is not blocked everywhere; not covered: sign-ins on every platform other than windows, from client app type browser or mobileAppsAndDesktopClients, at sign-in risk other than high ("Block high user risk" conditions.platforms includes only windows).',
    );
  });

  it('a policy with no risk condition at all (null) is no candidate', async () => {
    const t = goldenTenant();
    t.policies = t.policies.filter((p) => p.id !== 'ca-0004' && p.id !== 'ca-0005');
    for (const p of t.policies) {
      (p.conditions as { userRiskLevels?: unknown }).userRiskLevels = null;
      (p.conditions as { signInRiskLevels?: unknown }).signInRiskLevels = undefined;
    }
    const r = await riskResult(t);
    expect(r.status).toBe('fail');
    expect(r.message).toBe(
      'Risk policies fall short: high user risk is not blocked everywhere; not covered: sign-ins from client app type browser or mobileAppsAndDesktopClients (no Conditional Access policy comes close); high sign-in risk is not blocked everywhere; not covered: sign-ins from client app type browser or mobileAppsAndDesktopClients (no Conditional Access policy comes close).',
    );
    expect(r.evidence).toMatchObject({ userRisk: { candidates: [] }, signInRisk: { candidates: [] } });
  });
});
