import { describe, expect, it } from 'vitest';
import { allSignInControls, evaluateSignIns, SIGN_IN_STREAM_CONTROLS } from '../../helpers/sign-in-evaluate.js';
import { signIn } from '../../helpers/sign-in-generator.js';

const NOW = new Date('2026-11-27T06:00:00Z');
const one = [
  [signIn({ id: 'x', time: NOW.getTime() - 60_000, user: 'a@contoso.test', ip: '198.51.100.1', client: 'IMAP4' })],
];

describe('licence-aware sign-in results', () => {
  it('without Entra ID P1 every sign-in log control is not evaluable, with the reason', async () => {
    const results = await evaluateSignIns({
      now: NOW,
      pages: one,
      controls: allSignInControls(),
      statuses: {
        'graph.signIns': {
          status: 'not_licensed',
          licence: 'entra-id-p1',
          reason: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
        },
        'graph.riskyUsers': { status: 'not_licensed', licence: 'entra-id-p2', reason: '403' },
        'graph.riskDetections': { status: 'not_licensed', licence: 'entra-id-p2', reason: '403' },
      },
    });
    for (const control of [...SIGN_IN_STREAM_CONTROLS, 'sign-ins.risky-users']) {
      const result = results.find((r) => r.control === control);
      expect(result?.status, control).toBe('not_evaluable');
      expect(result?.evidence).toMatchObject({
        licence: control === 'sign-ins.risky-users' ? 'entra-id-p2' : 'entra-id-p1',
      });
    }
  });

  it('without P2 only sign-ins.risky-users is not evaluable', async () => {
    const results = await evaluateSignIns({
      now: NOW,
      pages: one,
      controls: allSignInControls(),
      statuses: { 'graph.riskyUsers': { status: 'not_licensed', licence: 'entra-id-p2', reason: '403' } },
    });
    expect(results.filter((r) => r.status === 'not_evaluable').map((r) => r.control)).toEqual(['sign-ins.risky-users']);
    expect(results.find((r) => r.control === 'legacy-auth.sign-ins')?.status).toBe('fail');
  });

  it('a window cut short by errors is an error with the covered span, never a pass', async () => {
    const stream = {
      async *pages() {
        yield one[0] ?? [];
        throw new Error('Graph answered 503 three times');
      },
    };
    const results = await evaluateSignIns({ now: NOW, pages: stream, controls: allSignInControls() });
    for (const control of SIGN_IN_STREAM_CONTROLS) {
      const result = results.find((r) => r.control === control);
      expect(result?.status, control).toBe('error');
      expect(result?.evidence.covered).toMatchObject({
        eventsRead: 1,
        earliest: '2026-11-27T05:59:00.000Z',
        latest: '2026-11-27T05:59:00.000Z',
        window: { start: '2026-11-26T05:00:00.000Z', end: '2026-11-27T06:00:00.000Z' },
      });
    }
  });

  it('countries is not evaluable until the policy lists allowed countries', async () => {
    const results = await evaluateSignIns({
      now: NOW,
      pages: one,
      controls: allSignInControls({ 'sign-ins.countries': {} }),
    });
    expect(results.find((r) => r.control === 'sign-ins.countries')).toMatchObject({
      status: 'not_evaluable',
      evidence: { parameter: 'allowedCountries' },
    });
  });
});
