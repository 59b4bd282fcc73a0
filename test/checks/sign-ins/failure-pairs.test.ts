import { describe, expect, it } from 'vitest';
import type { SignIn } from '../../../src/snapshot/graph-types.js';
import { allSignInControls, evaluateSignIns, resultsOf } from '../../helpers/sign-in-evaluate.js';
import { PLACES, signIn } from '../../helpers/sign-in-generator.js';

const NOW = new Date('2026-11-27T06:00:00Z');
const at = (minutesBefore: number): number => NOW.getTime() - minutesBefore * 60_000;

/** Failures of `users` from one address, `perUser` each, a minute apart. */
function failures(code: number, ip: string, users: readonly string[], perUser: number): SignIn[] {
  const out: SignIn[] = [];
  let n = 0;
  for (const user of users) {
    for (let k = 0; k < perUser; k++)
      out.push(
        signIn({ id: `f-${code}-${user}-${k}`, time: at(30 - n++), user, ip, place: PLACES.boston, errorCode: code }),
      );
  }
  return out;
}

describe('failures held two to a source or user before the full state (failure-pairs.ts)', () => {
  it('a source or user with one or two failures is still judged, with every row, at a threshold that low', async () => {
    const events = [
      ...failures(50126, '198.51.100.9', ['a@contoso.test', 'b@contoso.test'], 1),
      ...failures(500121, '203.0.113.5', ['m@contoso.test'], 2),
    ];
    for (const pages of [[events], [[...events].reverse()]]) {
      const results = await evaluateSignIns({
        now: NOW,
        pages,
        controls: allSignInControls({
          'sign-ins.password-spray': { minUsers: 2 },
          'sign-ins.mfa-fatigue': { minDenials: 2 },
        }),
      });
      const spray = resultsOf(results, 'sign-ins.password-spray');
      expect(spray.map((r) => [r.status, r.target])).toEqual([['fail', '198.51.100.0/24']]);
      expect(spray[0]?.evidence).toMatchObject({
        distinctUsers: 2,
        ips: ['198.51.100.9'],
        failedSignIns: { total: 2 },
      });
      expect(
        (
          spray[0]!.evidence.failedSignIns as { items: { user: string; errorCode: number; city: string | null }[] }
        ).items.map((r) => [r.user, r.errorCode, r.city]),
      ).toEqual([
        ['a@contoso.test', 50126, 'Boston'],
        ['b@contoso.test', 50126, 'Boston'],
      ]);
      const mfa = resultsOf(results, 'sign-ins.mfa-fatigue');
      expect(mfa.map((r) => [r.status, r.target])).toEqual([['fail', 'm@contoso.test']]);
      expect(mfa[0]?.evidence).toMatchObject({ denialsInBurst: 2, denials: { total: 2 } });
    }
  });

  it('a third failure moves the source to the full state with the first two replayed', async () => {
    const users = ['a', 'b', 'c', 'd', 'e'].map((u) => `${u}@contoso.test`);
    const events = failures(50126, '198.51.100.9', users, 1);
    const results = await evaluateSignIns({
      now: NOW,
      pages: [events.slice(0, 2), events.slice(2)],
      controls: allSignInControls({ 'sign-ins.password-spray': { minUsers: 5 } }),
    });
    const spray = resultsOf(results, 'sign-ins.password-spray');
    expect(spray[0]?.evidence).toMatchObject({
      distinctUsers: 5,
      failedSignIns: { total: 5 },
      users: { items: users, total: 5 },
    });
  });
});
