import { describe, expect, it } from 'vitest';
import type { Result } from '../../../src/model/result.js';
import { goldenTenant, type IdentityTenant, judgeIdentityTenant } from '../../helpers/identity-tenant.js';

/*
 * What sign-ins.risk-policies shows beside its verdict: every gap of a half that falls short,
 * and the allowed exclusions and narrowing it judged with, once for both halves.
 */

type Policy = IdentityTenant['policies'][number];

async function riskResult(t: IdentityTenant, params: Record<string, unknown> = {}): Promise<Result> {
  const r = (await judgeIdentityTenant(t, { 'sign-ins.risk-policies': params })).find(
    (x) => x.control === 'sign-ins.risk-policies',
  );
  if (!r) throw new Error('no sign-ins.risk-policies result');
  return r;
}

describe('sign-ins.risk-policies evidence', () => {
  it('a half with two gaps names both, and the evidence holds the parameters judged with', async () => {
    const t = goldenTenant();
    const block = t.policies.find((x) => x.id === 'ca-0004') as Policy;
    block.conditions.platforms = { includePlatforms: ['windows', 'android'] };
    (block.conditions as { clientAppTypes: string[] }).clientAppTypes = ['browser'];
    const r = await riskResult(t, {
      allowedExclusions: ['AB000000-0000-4000-8000-000000000001'],
      allowedNarrowing: [{ condition: 'platform', value: 'linux', reason: 'no Linux desktops' }],
    });
    expect([r.status, r.message]).toEqual([
      'fail',
      'Risk policies fall short: high user risk is not blocked everywhere; not covered: sign-ins on every platform other than android or windows, from client app type browser, at sign-in risk other than high; sign-ins from client app type mobileAppsAndDesktopClients, at sign-in risk other than high ("Block high user risk" conditions.clientAppTypes covers only browser; conditions.platforms includes only windows, android).',
    ]);
    expect(r.evidence).toMatchObject({
      policiesRead: 6,
      allowedExclusions: ['ab000000-0000-4000-8000-000000000001'],
      allowedNarrowing: [{ condition: 'platform', value: 'linux', reason: 'no Linux desktops' }],
      names: { groups: 'read', roles: 'read', namedLocations: 'read' },
    });
    // Said once for the tenant, not again in each half.
    for (const half of [r.evidence.userRisk, r.evidence.signInRisk] as Record<string, unknown>[]) {
      expect(
        Object.keys(half).filter((k) => ['names', 'allowedExclusions', 'allowedNarrowing', 'policiesRead'].includes(k)),
      ).toEqual([]);
    }
  });
});
