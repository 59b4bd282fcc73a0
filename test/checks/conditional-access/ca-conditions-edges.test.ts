import { describe, expect, it } from 'vitest';
import { conditionScope, mfaForAllWith } from '../../helpers/ca-unit.js';
import { CONTRACTORS_GROUP, SALES_GROUP } from '../../helpers/identity-tenant.js';

/*
 * Conditions at their edges that the one-change tests in ca-conditions.test.ts leave out: excluded
 * users, several included groups, applications missing or mixed with None and All, and the partial
 * Exchange ActiveSync client types.
 */

const USER = '0000000a-aaaa-4bbb-8ccc-00000000000a';

describe('conditions.users at its edges', () => {
  it('an excluded user is out of the policy and named as not allowed', () => {
    const u = mfaForAllWith({}).conditions.users;
    const p = mfaForAllWith({ users: { ...u, excludeUsers: [USER.toUpperCase()] } });
    expect(conditionScope(p, 'conditions.users')).toEqual({
      boxes: [{ [`user:${USER}`]: ['out'] }],
      narrowing: `conditions.users excludes user ${USER}, not listed as allowed`,
    });
  });

  it('names every included group, and both what it includes and what it excludes', () => {
    const u = mfaForAllWith({}).conditions.users;
    const p = mfaForAllWith({
      users: { ...u, includeUsers: [], includeGroups: [SALES_GROUP, CONTRACTORS_GROUP], excludeUsers: [USER] },
    });
    expect(conditionScope(p, 'conditions.users').narrowing).toBe(
      `conditions.users includes only group "Sales" (${SALES_GROUP}), group "Contractors" (${CONTRACTORS_GROUP}) instead of All users and excludes user ${USER}, not listed as allowed`,
    );
  });
});

describe('conditions.applications at its edges', () => {
  it('no applications condition at all targets no cloud app', () => {
    const p = mfaForAllWith({ applications: null });
    expect(conditionScope(p, 'conditions.applications')).toEqual({
      boxes: [],
      narrowing: 'conditions.applications targets no cloud app instead of cloud apps',
    });
  });

  it('None beside a named app targets that app only', () => {
    const p = mfaForAllWith({
      applications: { includeApplications: ['None', 'App-X'], excludeApplications: [], includeUserActions: [] },
    });
    expect(conditionScope(p, 'conditions.applications')).toEqual({
      boxes: [{ 'app:app-x': ['in'] }],
      narrowing: 'conditions.applications targets only app-x instead of All cloud apps',
    });
  });

  it('All beside a named app is All', () => {
    const p = mfaForAllWith({
      applications: { includeApplications: ['App-X', 'All'], excludeApplications: [], includeUserActions: [] },
    });
    expect(conditionScope(p, 'conditions.applications')).toEqual({ boxes: [{}] });
  });
});

describe('conditions.clientAppTypes: partial Exchange ActiveSync types', () => {
  it('counts neither easSupported nor easUnsupported, and says so for each', () => {
    const p = mfaForAllWith({ clientAppTypes: ['browser', 'easSupported', 'easUnsupported'] });
    expect(conditionScope(p, 'conditions.clientAppTypes').narrowing).toBe(
      'conditions.clientAppTypes covers only browser, easSupported, easUnsupported (easSupported, easUnsupported covers Exchange ActiveSync on only some platforms, so it is not counted)',
    );
  });

  it('says it for easUnsupported alone', () => {
    const p = mfaForAllWith({ clientAppTypes: ['browser', 'easUnsupported'] });
    expect(conditionScope(p, 'conditions.clientAppTypes').narrowing).toBe(
      'conditions.clientAppTypes covers only browser, easUnsupported (easUnsupported covers Exchange ActiveSync on only some platforms, so it is not counted)',
    );
  });
});

describe('conditions that take a policy out of some sign-ins', () => {
  it('names the risk condition it reads', () => {
    const p = mfaForAllWith({ userRiskLevels: ['high'] });
    expect(conditionScope(p, 'conditions.userRiskLevels')).toEqual({
      boxes: [{ userRisk: ['high'] }],
      narrowing: 'conditions.userRiskLevels applies only at user risk high',
    });
  });

  it('a client-applications condition without service principals or a filter leaves the policy on users', () => {
    const p = mfaForAllWith({ clientApplications: { includeServicePrincipals: [] } });
    expect(conditionScope(p, 'conditions.clientApplications')).toEqual({ boxes: [{}] });
  });
});
