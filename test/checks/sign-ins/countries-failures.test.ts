import { describe, expect, it } from 'vitest';
import { evaluateSignIns, resultsOf } from '../../helpers/sign-in-evaluate.js';
import { PLACES, signIn } from '../../helpers/sign-in-generator.js';

/*
 * sign-ins.countries judges successful sign-ins only: a failed attempt from abroad is the
 * password-spray detector's business, and counts nowhere here.
 */

const NOW = new Date('2026-11-27T06:00:00Z');
const at = (minutesBefore: number): number => NOW.getTime() - minutesBefore * 60_000;

describe('sign-ins.countries and failed sign-ins', () => {
  it('a failed sign-in from abroad is no finding; a success from there is', async () => {
    const failedOnly = await evaluateSignIns({
      now: NOW,
      pages: [
        [
          signIn({
            id: 'f',
            time: at(10),
            user: 'a@contoso.test',
            ip: '198.51.100.1',
            place: PLACES.berlin,
            errorCode: 50126,
          }),
          signIn({ id: 'ok', time: at(20), user: 'a@contoso.test', ip: '198.51.100.2', place: PLACES.boston }),
        ],
      ],
      controls: { 'sign-ins.countries': { allowedCountries: ['US'] } },
    });
    expect(resultsOf(failedOnly, 'sign-ins.countries').map((r) => [r.target, r.status])).toEqual([['tenant', 'pass']]);
    const succeeded = await evaluateSignIns({
      now: NOW,
      pages: [[signIn({ id: 'ok', time: at(10), user: 'a@contoso.test', ip: '198.51.100.1', place: PLACES.berlin })]],
      controls: { 'sign-ins.countries': { allowedCountries: ['US'] } },
    });
    expect(resultsOf(succeeded, 'sign-ins.countries').map((r) => [r.target, r.status])).toEqual([
      ['a@contoso.test', 'fail'],
    ]);
  });
});
