import { describe, expect, it } from 'vitest';
import { liveCollector } from '../../src/collect/live/live-collector.js';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { silentLogger } from '../../src/logger.js';
import type { Result } from '../../src/model/result.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import { memorySnapshot } from '../../src/snapshot/snapshot.js';
import {
  goldenTenant,
  type IdentityTenant,
  judgeIdentityTenant as identityResults,
} from '../helpers/identity-tenant.js';
import { memoryResolver, type MemoryZone } from '../helpers/memory-resolver.js';

/*
 * Each control parameter that sets a threshold is pinned from both sides: the same tenant passes
 * on one side of the value and fails on the other, so a check that ignored the parameter (or used
 * a hard-coded value) cannot stay green.
 */

const NOW = new Date('2026-11-27T12:00:00Z');

async function registration(t: IdentityTenant, params: Record<string, unknown>): Promise<Result> {
  const r = (await identityResults(t, { 'mfa.registration': params })).find((x) => x.control === 'mfa.registration');
  if (!r) throw new Error('no mfa.registration result');
  return r;
}

describe('mfa.registration thresholds', () => {
  it('minPercent: 4 of 5 registered passes at 80 and at 50, fails at 81 and at the default 100', async () => {
    const t = goldenTenant();
    t.registration[3]!.isMfaRegistered = false;
    t.registration[3]!.isMfaCapable = false;
    for (const minPercent of [50, 80]) {
      const r = await registration(t, { minPercent });
      expect(r.status).toBe('pass');
      expect(r.evidence).toMatchObject({ coveragePercent: 80, minPercent, counted: 5, unregisteredTotal: 1 });
    }
    for (const params of [{ minPercent: 81 }, {}]) {
      const r = await registration(t, params);
      expect(r.status).toBe('fail');
      expect(r.evidence).toMatchObject({ coveragePercent: 80, unregisteredTotal: 1 });
    }
  });

  it('minPercent 100 fails even when rounding would show 100% (one of 10,001 unregistered)', async () => {
    const t = goldenTenant();
    const template = t.users[3]!;
    // The golden tenant has five members: 9,996 more make 10,001.
    for (let i = 0; i < 9_996; i++) {
      const id = `u-${i}`;
      t.users.push({ ...template, id, userPrincipalName: `u${i}@golden.example` });
      t.registration.push({ ...t.registration[3]!, id, userPrincipalName: `u${i}@golden.example` });
    }
    t.registration[3]!.isMfaRegistered = false;
    const r = await registration(t, { minPercent: 100 });
    expect(r.evidence).toMatchObject({ counted: 10_001, unregisteredTotal: 1, coveragePercent: 99.99 });
    expect(r.status).toBe('fail');
    expect((await registration(t, { minPercent: 99.99 })).status).toBe('pass');
  });

  it('requireCapable: registered but not capable passes by default and fails when capability is required', async () => {
    const t = goldenTenant();
    t.registration[2]!.isMfaCapable = false;
    const byRegistration = await registration(t, {});
    expect(byRegistration.status).toBe('pass');
    expect(byRegistration.evidence).toMatchObject({ measure: 'isMfaRegistered', unregisteredTotal: 0 });
    const byCapability = await registration(t, { requireCapable: true });
    expect(byCapability.status).toBe('fail');
    expect(byCapability.evidence).toMatchObject({
      measure: 'isMfaCapable',
      unregistered: [{ upn: 'una@golden.example', reason: 'not MFA capable' }],
    });
  });

  it('requireCapable: capable but not registered fails by default and passes when capability is the measure', async () => {
    const t = goldenTenant();
    t.registration[2]!.isMfaRegistered = false;
    const byRegistration = await registration(t, {});
    expect(byRegistration.status).toBe('fail');
    expect(byRegistration.evidence).toMatchObject({
      unregistered: [{ upn: 'una@golden.example', reason: 'not registered' }],
    });
    expect((await registration(t, { requireCapable: true })).status).toBe('pass');
  });

  it('a user with no registration record counts as unregistered whatever the measure', async () => {
    const t = goldenTenant();
    t.registration.splice(2, 1);
    for (const requireCapable of [false, true]) {
      const r = await registration(t, { requireCapable });
      expect(r.status).toBe('fail');
      expect(r.evidence).toMatchObject({ unregistered: [{ reason: 'no registration record' }] });
    }
  });
});

/** RSA public keys (SubjectPublicKeyInfo, base64) of 1024 and 2048 bits. */
const KEY1024 =
  'MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCb2X8ISQB+h0/YovB1mROct806QFRsjm1+B/ItJxRGXgmYSQYqp5VAOxBMJ6LVtK/CEfcQkuanBpJtUSNDhARzWRWflqdIojqnAWhDd4BwBGS0Z+u17u+/0ZtaXDnHhVRo9oif2nFFrQb5FpHDEkuRmwBM+E1x78QcsVk9YXnslQIDAQAB';
const KEY2048 =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEApkvfR6fqlOXfWUrOg+bZ/msvb7ccoh45qhhasTZTYRSsYjBFAHXHWbpRzhuZjsvq7ivlzuPKPyuUVSz3PNtUxQ0DUkS8tLVve6mbGFW3e1wYNychKlVxG1C1WkyV8JbhnhrN4IRRP8oDLmLQC9Linlye7/SoL/wa1bwB23AerW8eRkmkuq6UVjG8xYIRfmO4Ji67yesbEAOcLe13eZKB96f7dxCdEIV55FBRGfFM3njjhXI9oudsKSVe+UNdccbNKmxMfX8c5s6Me3P97kviFYdUg+UYcGTuRfizDitHGVTV7XF3VBFpEE5Ivk5x5hG/PEIlZyRxdXMdzrMCt0MWDwIDAQAB';

function dkimZone(selector1Key: string): MemoryZone {
  return {
    'selector1._domainkey.keys.example': { TXT: [[`v=DKIM1; k=rsa; p=${selector1Key}`]] },
    'selector2._domainkey.keys.example': { TXT: [[`v=DKIM1; k=rsa; p=${KEY2048}`]] },
  };
}

/** dkim.keys alone, collected from the zone in DNS-only mode and judged on the recorded answers. */
async function dkimKeys(zone: MemoryZone, params: Record<string, unknown>): Promise<Result> {
  const { policy } = parsePolicy(
    JSON.stringify({
      id: 'dkim-threshold',
      title: 'dkim.keys only',
      version: '1.0.0',
      description: 'dkim.keys with a chosen minBits',
      controls: { 'dkim.keys': { enabled: true, ...params } },
      domains: { include: [], exclude: [], parked: [] },
      exceptions: [],
    }),
    'dkim-threshold.json',
    NOW,
  );
  const collector = liveCollector({
    mode: 'dns-only',
    tenantId: null,
    clients: { dns: memoryResolver(zone) },
    extraDomains: ['keys.example'],
    now: () => NOW,
  });
  const snapshot = await collector.collect({ sources: new Set(['dns']), policy, logger: silentLogger });
  const replayed = memorySnapshot(snapshot.manifest, { dns: JSON.parse(JSON.stringify(snapshot.data('dns'))) });
  const results = (await evaluate(replayed, policy, { now: NOW, domains: ['keys.example'] })).results;
  const r = results.find((x) => x.control === 'dkim.keys' && x.target === 'keys.example');
  if (!r) throw new Error('no dkim.keys result');
  return r;
}

describe('dkim.keys minBits', () => {
  it('a 1024-bit key fails under minBits 2048 (the default) and passes under minBits 1024', async () => {
    const zone = dkimZone(KEY1024);
    for (const params of [{ minBits: 2048 }, {}]) {
      const strict = await dkimKeys(zone, params);
      expect(strict.status).toBe('fail');
      expect(strict.evidence).toMatchObject({ minBits: 2048, problems: [expect.stringMatching(/^selector1: /)] });
      expect(JSON.stringify(strict.evidence)).toContain('"keyBits":1024');
    }
    const lenient = await dkimKeys(zone, { minBits: 1024 });
    expect(lenient.status).toBe('pass');
    expect(lenient.evidence).toMatchObject({ minBits: 1024 });
  });

  it('a 2048-bit key passes under minBits 2048 and fails under minBits 4096', async () => {
    const zone = dkimZone(KEY2048);
    expect((await dkimKeys(zone, { minBits: 2048 })).status).toBe('pass');
    const r = await dkimKeys(zone, { minBits: 4096 });
    expect(r.status).toBe('fail');
    expect(r.evidence).toMatchObject({ minBits: 4096 });
    expect((r.evidence.problems as string[]).length).toBe(2);
  });
});
