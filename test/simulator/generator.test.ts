import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/model/json.js';
import { generateTenant } from '../../src/simulator/generator/generate-tenant.js';
import { applyOverlay } from '../../src/simulator/generator/overlay.js';
import { readSnapshotFolder } from '../../src/snapshot/read-folder.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { graphGet, token } from './sim-client.js';
import { startSimulator } from '../../src/simulator/start-simulator.js';

/** The demo tenant's generation; demo/README.md gives the same command. */
const DEMO_ARGS = [
  'simulate',
  '--generate',
  '--users',
  '250',
  '--seed',
  '20261127',
  '--name',
  'Contoso Health',
  '--domains',
  'contosohealth.example,contoso-clinic.example,contoso-labs.example',
  '--sign-ins',
  '3000',
  '--overlay',
  'demo/contoso-health-curated',
];

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(path.relative(dir, path.join(entry.parentPath, entry.name)));
  }
  return out.sort();
}

async function sameTree(a: string, b: string): Promise<string[]> {
  const names = await files(a);
  expect(await files(b)).toEqual(names);
  const different: string[] = [];
  for (const name of names)
    if (!(await readFile(path.join(a, name))).equals(await readFile(path.join(b, name)))) different.push(name);
  return different;
}

async function signIns(dir: string): Promise<JsonObject[]> {
  const text = await readFile(path.join(dir, 'graph/signIns.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .flatMap((l) => (JSON.parse(l) as { value: JsonObject[] }).value);
}

describe('seeded tenant generator', () => {
  it('writes the same bytes for the same seed, and a different tenant for another seed', async () => {
    const [a, b, c] = [await tempDir(), await tempDir(), await tempDir()];
    await generateTenant({ out: a, users: 400, seed: 5, signIns: 3000 });
    await generateTenant({ out: b, users: 400, seed: 5, signIns: 3000 });
    await generateTenant({ out: c, users: 400, seed: 6, signIns: 3000 });
    expect(await sameTree(a, b)).toEqual([]);
    expect((await sameTree(a, c)).length).toBeGreaterThan(5);
  });

  it('writes a snapshot folder the reader and the simulator accept, with sign-ins newest first inside the day', async () => {
    const dir = await tempDir();
    const summary = await generateTenant({ out: dir, users: 300, seed: 9, signIns: 2500 });
    const snapshot = await readSnapshotFolder(dir, { now: new Date() });
    expect(snapshot.data('graph.users')).toHaveLength(300);
    const events = await signIns(dir);
    expect(events).toHaveLength(2500);
    expect(summary.signIns).toBe(2500);
    const times = events.map((e) => Date.parse(String(e.createdDateTime)));
    const captured = Date.parse(snapshot.manifest.capturedAt);
    expect(times.every((t, i) => i === 0 || t <= times[i - 1]!)).toBe(true);
    expect(Math.max(...times)).toBeLessThanOrEqual(captured);
    expect(Math.min(...times)).toBeGreaterThan(captured - 24 * 3600_000);
    const sim = await startSimulator({ dir });
    try {
      const reply = await graphGet(sim, await token(sim), '/auditLogs/signIns?$top=1000');
      expect((reply.body.value as unknown[]).length).toBe(1000);
      expect(reply.body['@odata.nextLink']).toBeDefined();
    } finally {
      await sim.close();
    }
  });

  it('holds the people, settings and anomalies the controls look for', async () => {
    const dir = await tempDir();
    await generateTenant({ out: dir, users: 1000, seed: 3, signIns: 8000 });
    const snapshot = await readSnapshotFolder(dir, { now: new Date() });
    const users = snapshot.data('graph.users');
    expect(users.some((u) => u.userType === 'Guest')).toBe(true);
    expect(users.some((u) => u.accountEnabled === false)).toBe(true);
    expect(users.some((u) => u.userPrincipalName.startsWith('svc-'))).toBe(true);
    const registrations = snapshot.data('graph.userRegistrationDetails');
    const members = registrations.filter((r) => r.userType === 'member');
    const withoutMfa = members.filter((r) => !r.isMfaRegistered).length / members.length;
    expect(withoutMfa).toBeGreaterThan(0.05);
    expect(withoutMfa).toBeLessThan(0.3);
    const assignments = snapshot.data('graph.roleAssignments');
    expect(
      assignments.some(
        (a) => a.principal?.['@odata.type'] === '#microsoft.graph.group' && (a.principal.members?.length ?? 0) > 0,
      ),
    ).toBe(true);
    expect(
      snapshot.data('graph.conditionalAccessPolicies').some((p) => p.state === 'enabledForReportingButNotEnforced'),
    ).toBe(true);
    // The device-code block is there but report-only, its flow condition a flags string as Graph sends it.
    expect(
      snapshot.data('graph.conditionalAccessPolicies').find((p) => p.displayName === 'Block device code flow'),
    ).toMatchObject({
      state: 'enabledForReportingButNotEnforced',
      conditions: { authenticationFlows: { transferMethods: 'deviceCodeFlow' } },
      grantControls: { builtInControls: ['block'] },
    });
    expect(snapshot.data('exo.mailbox').some((m) => typeof m.ForwardingSmtpAddress === 'string')).toBe(true);
    expect(snapshot.data('exo.casMailbox').some((m) => m.SmtpClientAuthenticationDisabled === false)).toBe(true);
    const rules = (await readFile(path.join(dir, 'graph/messageRules.jsonl'), 'utf8'))
      .split('\n')
      .filter((l) => l !== '');
    expect(rules.some((l) => l.includes('gmail.example') || l.includes('protonmail.example'))).toBe(true);
    expect(rules.some((l) => l.includes('RSS Feeds'))).toBe(true);
    expect(rules.some((l) => l.includes('MailboxNotEnabledForRESTAPI'))).toBe(true);
    const dns = snapshot.data('dns');
    expect(dns.answers['_dmarc.generatedtenant.example/TXT']?.rcode).toBe('NOERROR');
    expect(dns.answers['_dmarc.generatedtenant-labs.example/TXT']?.rcode).toBe('NXDOMAIN');
    expect(dns.answers['selector1._domainkey.generatedtenant.example/CNAME']?.records[0]?.type).toBe('CNAME');

    const events = await signIns(dir);
    const status = (e: JsonObject) => (e.status as { errorCode: number }).errorCode;
    // Password spray: one /24, wrong password, at least 10 users.
    const spray = events.filter((e) => String(e.ipAddress).startsWith('185.220.101.') && status(e) === 50126);
    expect(new Set(spray.map((e) => e.userId)).size).toBeGreaterThanOrEqual(10);
    expect(events.some((e) => String(e.ipAddress).startsWith('185.220.101.') && status(e) === 0)).toBe(true);
    // MFA fatigue, legacy protocols, foreign countries, geography on every event.
    expect(events.filter((e) => status(e) === 500121).length).toBeGreaterThanOrEqual(5);
    expect(events.some((e) => e.clientAppUsed === 'IMAP4' && status(e) === 0)).toBe(true);
    expect(
      new Set(events.map((e) => (e.location as { countryOrRegion: string }).countryOrRegion)).size,
    ).toBeGreaterThan(2);
    expect(
      events.every(
        (e) => typeof (e.location as { geoCoordinates: { latitude: number } }).geoCoordinates.latitude === 'number',
      ),
    ).toBe(true);
    expect(snapshot.data('graph.riskyUsers').some((r) => r.riskState === 'atRisk')).toBe(true);
  });

  it('regenerates the checked-in demo tenant byte for byte (edit demo/contoso-health-curated or the generator, then rerun the command in demo/README.md)', async () => {
    const dir = await tempDir();
    const out = path.join(dir, 'contoso-health');
    const result = await runCli([...DEMO_ARGS, '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(await sameTree('demo/contoso-health', out)).toEqual([]);
  });

  it('merges an overlay: curated people first, curated settings replace generated ones', async () => {
    const [base, overlay] = [await tempDir(), await tempDir()];
    await generateTenant({ out: base, users: 50, seed: 1, signIns: 100 });
    await generateTenant({ out: overlay, users: 8, seed: 2, signIns: 10 });
    await applyOverlay(base, overlay);
    const merged = await readSnapshotFolder(base, { now: new Date() });
    const curated = await readSnapshotFolder(overlay, { now: new Date() });
    expect(merged.data('graph.users').slice(0, 8)).toEqual(curated.data('graph.users'));
    // The same UPN in both (break-glass, shared mailboxes) is kept once, the curated one.
    const upns = merged.data('graph.users').map((u) => u.userPrincipalName.toLowerCase());
    expect(new Set(upns).size).toBe(upns.length);
    expect(upns.length).toBeGreaterThan(50);
    expect(merged.data('graph.conditionalAccessPolicies')).toEqual(curated.data('graph.conditionalAccessPolicies'));
    expect(merged.manifest.tenantId).toBe(curated.manifest.tenantId);
    expect(merged.manifest.sources['graph.users']).toMatchObject({ count: upns.length });
  });

  it('refuses bad generate flags with the usage and exit code 2', async () => {
    for (const args of [
      ['simulate', '--generate', '--users', 'many', '--seed', '1', '--out', 'x'],
      ['simulate', '--generate', '--users', '10', '--out', 'x'],
      ['simulate', '--generate', '--users', '10', '--seed', '1', '--out', 'x', '--tenant', 'y'],
      ['simulate', '--tenant', 'y', '--users', '10'],
      ['simulate', '--generate', '--users', '10', '--seed', '1', '--out', 'x', '--domains', 'not a domain'],
    ]) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('Usage: mailwarden');
    }
  });
});
