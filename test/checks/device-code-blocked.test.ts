import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/result.js';
import {
  BREAK_GLASS_GROUP,
  CONTRACTORS_GROUP,
  DEVICE_CODE_POLICY,
  goldenTenant,
  type IdentityTenant,
  judgeIdentityTenant as results,
  notPassing,
} from '../helpers/identity-tenant.js';

/*
 * sign-ins.device-code-blocked: Conditional Access blocks the device-code flow
 * (conditions.authenticationFlows.transferMethods, a flags string), read with the same coverage
 * rules as the other CA controls. Each test changes one thing in the golden tenant.
 */

const CONTROL = 'sign-ins.device-code-blocked';
type Params = Record<string, Record<string, unknown>>;
type Policy = IdentityTenant['policies'][number];
const ROOM_FILTER = 'device.extensionAttribute1 -eq "MeetingRoom"';

function verdict(rs: readonly Result[]): Result {
  const r = rs.find((x) => x.control === CONTROL && x.target === 'tenant');
  if (!r) throw new Error(`no result for ${CONTROL}`);
  return r;
}

function problemsOf(r: Result, policyId: string): string[] {
  const candidates = (r.evidence.candidates ?? []) as { id: string; problems: string[] }[];
  return candidates.find((c) => c.id === policyId)?.problems ?? [];
}

const blockPolicy = (t: IdentityTenant): Policy => {
  const p = t.policies.find((x) => x.id === DEVICE_CODE_POLICY);
  if (!p) throw new Error('no device-code policy in the golden tenant');
  return p;
};

/** One change: only this control fails, and its evidence names why. */
async function expectFail(mutate: (t: IdentityTenant) => void, words: RegExp, params: Params = {}): Promise<Result> {
  const t = goldenTenant();
  mutate(t);
  const rs = await results(t, params);
  expect(notPassing(rs)).toEqual([`${CONTROL} tenant fail`]);
  const r = verdict(rs);
  expect(JSON.stringify(r.evidence.candidates) + r.message).toMatch(words);
  return r;
}

describe('sign-ins.device-code-blocked', () => {
  it('the golden tenant passes: its block reads the flags string "deviceCodeFlow,authenticationTransfer"', async () => {
    const r = verdict(await results(goldenTenant()));
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/"Block device code flow" alone is enough to block the device-code flow/);
    expect(r.evidence).toMatchObject({ coverage: 'single', satisfiedBy: [{ id: DEVICE_CODE_POLICY }] });
  });

  it('the condition given as an array reads the same', async () => {
    const t = goldenTenant();
    blockPolicy(t).conditions.authenticationFlows = { transferMethods: ['deviceCodeFlow'] };
    expect(verdict(await results(t)).status).toBe('pass');
  });

  it('no policy names the flow: fail, and no policy comes close', async () => {
    const r = await expectFail((t) => {
      t.policies = t.policies.filter((p) => p.id !== DEVICE_CODE_POLICY);
    }, /\. No Conditional Access policy comes close\.$/);
    expect(r.evidence).toMatchObject({ coverage: 'none', satisfiedBy: [] });
  });

  it('false friend: a flags string naming only authenticationTransfer does not block device code', async () => {
    const r = await expectFail((t) => {
      blockPolicy(t).conditions.authenticationFlows = { transferMethods: 'authenticationTransfer' };
    }, /authenticationFlows applies only to authenticationTransfer/);
    expect(problemsOf(r, DEVICE_CODE_POLICY)).toEqual([
      'conditions.authenticationFlows applies only to authenticationTransfer',
    ]);
    expect(r.evidence).toMatchObject({ coverage: 'none', satisfiedBy: [] });
  });

  it('a flags string naming an unknown flow alongside deviceCodeFlow still blocks device code', async () => {
    const t = goldenTenant();
    blockPolicy(t).conditions.authenticationFlows = { transferMethods: ' deviceCodeFlow ,unknownFutureValue' };
    expect(verdict(await results(t)).status).toBe('pass');
  });

  it('report-only never counts', async () => {
    const r = await expectFail((t) => {
      blockPolicy(t).state = 'enabledForReportingButNotEnforced';
    }, /report-only/);
    expect(problemsOf(r, DEVICE_CODE_POLICY)).toEqual([expect.stringMatching(/report-only/)]);
  });

  it('MFA instead of block is no block: the victim completes MFA for the attacker', async () => {
    const r = await expectFail((t) => {
      blockPolicy(t).grantControls = { operator: 'OR', builtInControls: ['mfa'], authenticationStrength: null };
    }, /does not block access/);
    expect(problemsOf(r, DEVICE_CODE_POLICY)).toEqual(['does not block access']);
  });

  it('an exclusion not listed as allowed leaves a gap; listed, it passes', async () => {
    const exclude = (t: IdentityTenant) => {
      blockPolicy(t).conditions.users = { ...blockPolicy(t).conditions.users!, excludeGroups: [CONTRACTORS_GROUP] };
    };
    const r = await expectFail(exclude, /excludes group "Contractors"/);
    expect(problemsOf(r, DEVICE_CODE_POLICY)).toEqual([
      expect.stringMatching(/^conditions\.users excludes group "Contractors" .*not listed as allowed$/),
    ]);
    // The risk blocks cover high risk for everyone, so the gap is the Contractors' other sign-ins.
    expect(r.evidence.gaps).toEqual([
      expect.objectContaining({
        description: expect.stringContaining('for members of group "Contractors"'),
        where: expect.objectContaining({ [`group:${CONTRACTORS_GROUP}`]: ['in'] }),
      }),
    ]);
    const t = goldenTenant();
    exclude(t);
    expect(verdict(await results(t, { [CONTROL]: { allowedExclusions: [CONTRACTORS_GROUP] } })).status).toBe('pass');
  });

  it('the break-glass group, listed as allowed, may be excluded', async () => {
    const t = goldenTenant();
    blockPolicy(t).conditions.users = { ...blockPolicy(t).conditions.users!, excludeGroups: [BREAK_GLASS_GROUP] };
    expect(notPassing(await results(t, { [CONTROL]: { allowedExclusions: [BREAK_GLASS_GROUP] } }))).toEqual([]);
  });

  it('a block for Android only leaves every other platform open; two policies together leave no gap', async () => {
    const r = await expectFail((t) => {
      blockPolicy(t).conditions.platforms = { includePlatforms: ['android'] };
    }, /conditions.platforms includes only android/);
    expect(r.evidence.gaps).toEqual([
      expect.objectContaining({ where: expect.objectContaining({ platform: expect.any(Array) }) }),
    ]);
    const t = goldenTenant();
    const android = blockPolicy(t);
    android.conditions.platforms = { includePlatforms: ['android'] };
    t.policies.push({
      ...JSON.parse(JSON.stringify(android)),
      id: 'ca-0007',
      displayName: 'Block device code flow, every other platform',
      conditions: {
        ...JSON.parse(JSON.stringify(android.conditions)),
        platforms: { includePlatforms: ['all'], excludePlatforms: ['android'] },
      },
    });
    const set = verdict(await results(t));
    expect(set.status).toBe('pass');
    expect(set.evidence).toMatchObject({ coverage: 'set' });
  });

  it('false friend: meeting-room devices left out by a device filter the policy allows', async () => {
    const leaveOutRooms = (t: IdentityTenant) => {
      blockPolicy(t).conditions.devices = { deviceFilter: { mode: 'exclude', rule: ROOM_FILTER } };
    };
    await expectFail(leaveOutRooms, /deviceFilter leaves out devices matching/);
    const t = goldenTenant();
    leaveOutRooms(t);
    const allowed = await results(t, {
      [CONTROL]: {
        allowedNarrowing: [
          { condition: 'deviceFilter', value: ROOM_FILTER, reason: 'Teams Rooms sign in with a code' },
        ],
      },
    });
    expect(notPassing(allowed)).toEqual([]);
    expect(verdict(allowed).message).toMatch(/Allowed narrowing: deviceFilter .* \(Teams Rooms sign in with a code\)/);
  });

  it('a block of every sign-in, with no flow condition, blocks this flow too', async () => {
    const t = goldenTenant();
    const p = blockPolicy(t);
    delete (p.conditions as { authenticationFlows?: unknown }).authenticationFlows;
    const rs = await results(t);
    expect(verdict(rs).status).toBe('pass');
  });

  it('security defaults are no shortcut: they do not block the flow', async () => {
    const t = goldenTenant();
    t.securityDefaults.isEnabled = true;
    t.policies = t.policies.filter((p) => p.id !== DEVICE_CODE_POLICY);
    expect(verdict(await results(t)).status).toBe('fail');
  });

  it('the device-code block never counts as a tenant-wide MFA or legacy-auth policy', async () => {
    const t = goldenTenant();
    // Only the flow-scoped block is left: for All users, All apps and every client, but one flow.
    t.policies = t.policies.filter((p) => !['ca-0001', 'ca-0002'].includes(p.id));
    const rs = await results(t);
    expect(notPassing(rs)).toEqual(['legacy-auth.blocked tenant fail', 'mfa.enforcement tenant fail']);
    for (const control of ['legacy-auth.blocked', 'mfa.enforcement'])
      expect(rs.find((r) => r.control === control)?.evidence).toMatchObject({ coverage: 'none', satisfiedBy: [] });
    expect(verdict(rs).status).toBe('pass');
  });

  it('a flow-scoped block aimed at legacy clients too is named as never counting for legacy-auth.blocked', async () => {
    // The block names the legacy client types, so it is a legacy-auth candidate, and its evidence says why it does not count.
    const t = goldenTenant();
    t.policies = t.policies.filter((p) => p.id !== 'ca-0002');
    blockPolicy(t).conditions.authenticationFlows = { transferMethods: 'deviceCodeFlow,authenticationTransfer' };
    blockPolicy(t).conditions.clientAppTypes = [
      'exchangeActiveSync',
      'other',
      'browser',
      'mobileAppsAndDesktopClients',
    ];
    const rs = await results(t);
    expect(notPassing(rs)).toEqual(['legacy-auth.blocked tenant fail']);
    const legacy = rs.find((r) => r.control === 'legacy-auth.blocked') as Result;
    expect(problemsOf(legacy, DEVICE_CODE_POLICY)).toContain(
      'applies only to the authentication flows deviceCodeFlow, authenticationTransfer, so it never counts as a tenant-wide policy',
    );
    expect(verdict(rs).status).toBe('pass');
  });
});
