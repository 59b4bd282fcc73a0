import { describe, expect, it } from 'vitest';
import type { RequirementVerdict } from '../../../src/checks/conditional-access/ca-requirement.js';
import {
  allowedNarrowingOf,
  requirementEvidence,
  requirementFinding,
  type TenantCaRequirement,
} from '../../../src/checks/conditional-access/tenant-ca-requirement.js';
import { ControlParams } from '../../../src/controls/params.js';
import { judge, MFA_REQUIREMENT, mfaForAll } from '../../helpers/ca-unit.js';

/*
 * From a judged requirement to the finding and evidence an auditor reads: the exact message for
 * each verdict, and the control's allowedNarrowing parameter read strictly.
 */

const REQUIREMENT: TenantCaRequirement = { ...MFA_REQUIREMENT, doing: 'require MFA everywhere' };

describe('allowedNarrowingOf: only complete entries of a known condition', () => {
  it('keeps well-formed entries and drops everything else', () => {
    const good = { condition: 'platform', value: 'linux', reason: 'no Linux desktops' };
    const params = new ControlParams({
      allowedNarrowing: [
        'location',
        null,
        ['location', 'x', 'r'],
        { condition: 'weather', value: 'x', reason: 'r' },
        { condition: 7, value: 'x', reason: 'r' },
        { condition: 'location', value: 7, reason: 'r' },
        { condition: 'location', value: 'x' },
        { condition: 'location', value: 'x', reason: 7 },
        good,
      ],
    });
    expect(allowedNarrowingOf(params)).toEqual([good]);
  });

  it('no parameter, or not a list, is no narrowing', () => {
    expect(allowedNarrowingOf(new ControlParams({}))).toEqual([]);
    expect(allowedNarrowingOf(new ControlParams({ allowedNarrowing: 'location' }))).toEqual([]);
  });
});

describe('requirementFinding: the message for each verdict', () => {
  it('one policy alone: names it, with no allowed-narrowing sentence when there is none', () => {
    const verdict = judge(MFA_REQUIREMENT, [mfaForAll('a', 'Everyone MFA')]);
    expect(requirementFinding(verdict, [], REQUIREMENT, {}, [])).toEqual({
      target: 'tenant',
      status: 'pass',
      message: 'Conditional Access policy "Everyone MFA" alone is enough to require MFA everywhere.',
      evidence: {},
    });
  });

  it('a pass states each allowed narrowing with its reason', () => {
    const verdict = judge(MFA_REQUIREMENT, [mfaForAll('a', 'Everyone MFA')]);
    const allowed = [
      { condition: 'platform' as const, value: 'linux', reason: 'no Linux desktops' },
      { condition: 'location' as const, value: 'L1', reason: 'vault room' },
    ];
    expect(requirementFinding(verdict, [], REQUIREMENT, {}, allowed).message).toBe(
      'Conditional Access policy "Everyone MFA" alone is enough to require MFA everywhere. Allowed narrowing: platform linux (no Linux desktops); location L1 (vault room).',
    );
  });

  it('a set names every policy it counts', () => {
    const rest = mfaForAll('a', 'A');
    rest.conditions.platforms = { includePlatforms: ['all'], excludePlatforms: ['android'] };
    const android = mfaForAll('b', 'B');
    android.conditions.platforms = { includePlatforms: ['android'] };
    const verdict = judge(MFA_REQUIREMENT, [rest, android]);
    expect(requirementFinding(verdict, [], REQUIREMENT, {}, []).message).toBe(
      'Conditional Access policies "A", "B" together require MFA everywhere.',
    );
  });

  it('a failure says what is not covered and which policy comes closest', () => {
    const p = mfaForAll('a', 'Android MFA');
    p.conditions.platforms = { includePlatforms: ['android'] };
    const verdict = judge(MFA_REQUIREMENT, [p]);
    expect(requirementFinding(verdict, verdict.verdicts, REQUIREMENT, {}, []).message).toBe(
      'No enforced Conditional Access policy, alone or with others, is enough to require MFA everywhere. Not covered: sign-ins on every platform other than android. "Android MFA" conditions.platforms includes only android.',
    );
  });

  it('an undecided verdict is an error, never a pass or a fail', () => {
    const verdict: RequirementVerdict = {
      covered: false,
      undecided: true,
      coverage: 'none',
      satisfiedBy: [],
      gaps: [],
      verdicts: [],
      sessionNotes: [],
    };
    expect(requirementFinding(verdict, [], REQUIREMENT, { policiesRead: 0 }, [])).toEqual({
      target: 'tenant',
      status: 'error',
      message:
        "Whether enforced Conditional Access policies require MFA everywhere could not be decided: the policies' conditions combine into too many cases.",
      evidence: { policiesRead: 0 },
    });
  });
});

describe('requirementEvidence', () => {
  it('carries the session controls of the counted policies', () => {
    const p = mfaForAll('a', 'A');
    p.sessionControls = { signInFrequency: { isEnabled: true, frequencyInterval: 'everyTime' } };
    const verdict = judge(MFA_REQUIREMENT, [p]);
    expect(requirementEvidence(verdict, verdict.verdicts)).toMatchObject({
      coverage: 'single',
      satisfiedBy: [{ id: 'a', displayName: 'A' }],
      candidatesTotal: 1,
      sessionNotes: [{ id: 'a', notes: ['asks to sign in again every time (signInFrequency: everyTime)'] }],
    });
  });
});
