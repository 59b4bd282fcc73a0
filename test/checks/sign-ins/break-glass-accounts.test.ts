import { describe, expect, it } from 'vitest';
import { evaluateSignIns, resultsOf } from '../../helpers/sign-in-evaluate.js';
import { signIn } from '../../helpers/sign-in-generator.js';

/*
 * The break-glass accounts as the policy lists them: object IDs in any case, matched against the
 * log's userId, and each result named by the ID in lower case.
 */

const NOW = new Date('2026-11-27T06:00:00Z');
const ID = 'b1a55000-0000-4000-8000-000000000001';

describe('sign-ins.break-glass accounts', () => {
  it('an account listed in upper case is matched, and named in lower case', async () => {
    const results = await evaluateSignIns({
      now: NOW,
      pages: [
        [
          signIn({
            id: 'bg',
            time: NOW.getTime() - 10 * 60_000,
            user: 'breakglass1@contoso.test',
            userId: ID,
            ip: '198.51.100.1',
          }),
        ],
      ],
      controls: { 'sign-ins.break-glass': { breakGlassAccounts: [ID.toUpperCase()] } },
    });
    expect(resultsOf(results, 'sign-ins.break-glass').map((r) => [r.target, r.status])).toEqual([[ID, 'fail']]);
  });
});
