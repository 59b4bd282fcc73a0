import { describe, expect, it } from 'vitest';
import { caDirectory } from '../../../src/checks/conditional-access/ca-directory.js';
import {
  closestReasons,
  exclusionSet,
  stateProblems,
} from '../../../src/checks/conditional-access/conditional-access.js';
import { mfaGrantProblems } from '../../../src/checks/conditional-access/ca-grant.js';
import type { RequirementVerdict } from '../../../src/checks/conditional-access/ca-requirement.js';
import {
  candidatesOf,
  judgeTenantRequirement,
  requirementEvidence,
  requirementFinding,
  type TenantCaRequirement,
} from '../../../src/checks/conditional-access/tenant-ca-requirement.js';
import { ControlParams } from '../../../src/controls/params.js';
import { EVIDENCE_CAP } from '../../../src/model/cap.js';
import type { AuthenticationStrengthPolicy } from '../../../src/snapshot/graph-types.js';
import { gapWords, judge, MFA_REQUIREMENT, mfaForAll } from '../../helpers/ca-unit.js';
import { CONTRACTORS_GROUP, goldenTenant, tenantSnapshot } from '../../helpers/identity-tenant.js';

/*
 * The evidence an auditor reads about Conditional Access, at its edges: names from the directory
 * (blank names, custom roles, template IDs), the grant sentence with several weak parts, which
 * policies are shown as candidates, the caps, and a failure with more than one gap.
 */

const REQUIREMENT: TenantCaRequirement = { ...MFA_REQUIREMENT, doing: 'require MFA everywhere' };

describe('caDirectory: names at their edges', () => {
  it('a blank display name is no name: the ID is shown with why', () => {
    const t = goldenTenant();
    const contractors = t.groups.find((g) => g.id === CONTRACTORS_GROUP);
    if (!contractors) throw new Error('no Contractors group');
    contractors.displayName = '   ';
    expect(caDirectory(tenantSnapshot(t)).group(CONTRACTORS_GROUP)).toBe(
      `group ${CONTRACTORS_GROUP} (not found in the directory)`,
    );
  });

  it('names a custom role by its ID whatever its case, and a role by its template ID', () => {
    const t = goldenTenant();
    t.roleDefinitions.push(
      { id: 'aaaabbbb-cccc-4ddd-8eee-ffff00001111', displayName: 'Mail reviewers', templateId: null, isBuiltIn: false },
      {
        id: 'c0ffee00-0000-4000-8000-000000000001',
        displayName: 'Billing Administrator',
        templateId: 'b0f54661-2d74-4c50-afa3-1ec803f12efe',
        isBuiltIn: true,
      },
    );
    const names = caDirectory(tenantSnapshot(t));
    expect(names.role('AAAABBBB-cccc-4ddd-8eee-ffff00001111')).toBe(
      'role "Mail reviewers" (AAAABBBB-cccc-4ddd-8eee-ffff00001111)',
    );
    expect(names.role('B0F54661-2d74-4c50-afa3-1ec803f12efe')).toBe(
      'role "Billing Administrator" (B0F54661-2d74-4c50-afa3-1ec803f12efe)',
    );
  });
});

describe('mfaGrantProblems: every way round MFA is named', () => {
  it('ORs MFA with two controls and a weak strength, naming each and why the strength is weak', () => {
    const weak: AuthenticationStrengthPolicy = {
      id: 'w',
      displayName: 'Weak',
      policyType: 'custom',
      allowedCombinations: ['password', 'sms'],
    };
    const problems = mfaGrantProblems(
      {
        ...mfaForAll('p', 'P'),
        grantControls: {
          operator: 'OR',
          builtInControls: ['mfa', 'compliantDevice', 'domainJoinedDevice'],
          authenticationStrength: { id: 'w' },
        },
      },
      new Map([['w', weak]]),
    );
    expect(problems).toEqual([
      'ORs MFA with compliantDevice, domainJoinedDevice, authenticationStrength, so a user can satisfy it without MFA (compliantDevice is not MFA; domainJoinedDevice is not MFA; authentication strength "Weak" also allows password; sms, which is not multifactor)',
    ]);
  });
});

describe('which policies explain a verdict, and how many are shown', () => {
  it('shows a counted policy even when it is not a candidate', () => {
    const block = mfaForAll('block-all', 'Block everyone');
    block.grantControls = { operator: 'OR', builtInControls: ['block'], authenticationStrength: null };
    const other = mfaForAll('other', 'Other');
    other.state = 'disabled';
    const requirement = { ...MFA_REQUIREMENT, isCandidate: () => false };
    const verdict = judge(requirement, [block, other]);
    expect(verdict.covered).toBe(true);
    expect(candidatesOf(verdict, requirement, [block, other]).map((c) => c.id)).toEqual(['block-all']);
  });

  it('caps the candidates shown and gives their total', () => {
    const policies = Array.from({ length: EVIDENCE_CAP + 1 }, (_, i) => {
      const p = mfaForAll(`p${i}`, `Android ${i}`);
      p.conditions.platforms = { includePlatforms: ['android'] };
      return p;
    });
    const verdict = judge(MFA_REQUIREMENT, policies);
    const evidence = requirementEvidence(verdict, verdict.verdicts);
    expect(evidence.candidates).toHaveLength(EVIDENCE_CAP);
    expect(evidence.candidatesTotal).toBe(EVIDENCE_CAP + 1);
  });

  it('shows the allowed exclusions as read: trimmed and lower-case', () => {
    const snapshot = tenantSnapshot(goldenTenant());
    const params = new ControlParams({ allowedExclusions: [' 5B0C6A1E-2222-4D3C-9E8F-000000000A04 '] });
    const { evidence } = judgeTenantRequirement(snapshot, params, MFA_REQUIREMENT);
    expect(evidence.allowedExclusions).toEqual(['5b0c6a1e-2222-4d3c-9e8f-000000000a04']);
  });
});

describe('requirementFinding: a failure with more than one gap', () => {
  it('names every gap, separated by semicolons', () => {
    const p = mfaForAll('a', 'Phones in the browser');
    p.conditions.platforms = { includePlatforms: ['android', 'iOS'] };
    p.conditions.clientAppTypes = ['browser'];
    const verdict: RequirementVerdict = judge(MFA_REQUIREMENT, [p]);
    expect(requirementFinding(verdict, [], REQUIREMENT, {}, [], ', and security defaults are off').message).toBe(
      'No enforced Conditional Access policy, alone or with others, is enough to require MFA everywhere, and security defaults are off. Not covered: sign-ins on every platform other than android or iOS; sign-ins from client app type mobileAppsAndDesktopClients. No Conditional Access policy comes close.',
    );
  });
});

describe('the shared helpers in words', () => {
  it('names why a policy that is not enabled is not enforced, for every state', () => {
    const p = mfaForAll('p', 'P');
    expect(stateProblems({ ...p, state: 'enabled' })).toEqual([]);
    expect(stateProblems({ ...p, state: 'enabledForReportingButNotEnforced' })).toEqual([
      'is report-only, so it is not enforced',
    ]);
    expect(stateProblems({ ...p, state: 'disabled' })).toEqual(['is disabled']);
    expect(stateProblems({ ...p, state: 'paused' })).toEqual(['is in state "paused", which is not enforced']);
  });

  it('reads allowed exclusions trimmed and lower-case', () => {
    expect([...exclusionSet([' AbC-1 ', 'def'])]).toEqual(['abc-1', 'def']);
  });

  it('names up to three failing policies, those with the fewest problems first', () => {
    const v = (displayName: string, problems: string[]) => ({ displayName, problems });
    expect(
      closestReasons([
        v('Three', ['a', 'b', 'c']),
        v('Fine', []),
        v('One', ['x']),
        v('Four', ['a', 'b', 'c', 'd']),
        v('Two', ['y', 'z']),
      ]),
    ).toBe('"One" x. "Two" y; z. "Three" a; b; c');
    expect(closestReasons([v('Fine', [])])).toBe('no Conditional Access policy comes close');
  });
});

describe('gaps over the fixed dimensions, in their own values', () => {
  it('names the insider risk levels, flows and client app types a policy leaves out', () => {
    const insider = mfaForAll('a', 'A');
    insider.conditions.insiderRiskLevels = ['elevated'];
    expect(gapWords(judge(MFA_REQUIREMENT, [insider]))).toEqual(['sign-ins at insider risk other than elevated']);
    const flow = mfaForAll('b', 'B');
    flow.conditions.authenticationFlows = { transferMethods: 'deviceCodeFlow' };
    expect(gapWords(judge({ ...MFA_REQUIREMENT, everyFlow: false }, [flow]))).toEqual([
      'sign-ins in the ordinary or authenticationTransfer flow',
    ]);
    const browser = mfaForAll('c', 'C');
    browser.conditions.clientAppTypes = ['browser'];
    expect(gapWords(judge(MFA_REQUIREMENT, [browser]))).toEqual([
      'sign-ins from client app type mobileAppsAndDesktopClients',
    ]);
  });
});
