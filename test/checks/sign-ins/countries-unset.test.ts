import { describe, expect, it } from 'vitest';
import { evaluateSignIns, resultsOf } from '../../helpers/sign-in-evaluate.js';
import { signIn } from '../../helpers/sign-in-generator.js';

/*
 * With no allowed country listed, sign-ins.countries judges nothing: it is not evaluable, and
 * its scan shows every event as analysed, none skipped for its location.
 */

const NOW = new Date('2026-11-27T06:00:00Z');

describe('sign-ins.countries with no allowed country', () => {
  it('is not evaluable, and skips no sign-in for want of a location', async () => {
    const results = await evaluateSignIns({
      now: NOW,
      pages: [
        [
          signIn({
            id: 'no-place',
            time: NOW.getTime() - 600_000,
            user: 'a@contoso.test',
            ip: '198.51.100.1',
            place: null,
          }),
        ],
      ],
      controls: { 'sign-ins.countries': { allowedCountries: [] } },
    });
    const countries = resultsOf(results, 'sign-ins.countries');
    expect(countries.map((r) => [r.target, r.status, r.message])).toEqual([
      [
        'tenant',
        'not_evaluable',
        'Set allowedCountries in the policy (ISO 3166-1 alpha-2 codes) to judge sign-in countries.',
      ],
    ]);
    expect(countries[0]?.evidence).toMatchObject({
      reason: 'no allowed countries configured',
      parameter: 'allowedCountries',
      scan: { eventsInWindow: 1, eventsAnalysed: 1 },
    });
    const scan = countries[0]?.evidence.scan as { skipped: Record<string, number> } | undefined;
    expect(scan?.skipped).not.toHaveProperty('noLocation');
  });
});
