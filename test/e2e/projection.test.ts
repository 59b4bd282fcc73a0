import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAS_MAILBOX_PROPERTIES, MAILBOX_PROPERTIES } from '../../src/collect/exchange/cmdlet-properties.js';
import { DEMO_POLICY_PATH } from '../../src/paths.js';
import type { Result } from '../../src/model/result.js';
import type { Report } from '../../src/report/report.js';
import { DEFAULT_CAPTURED_AT, generateTenant } from '../../src/simulator/generator/generate-tenant.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

/**
 * The tenant-wide sources are cut to the fields the checks read while they are collected
 * (users, userRegistrationDetails, Get-Mailbox, Get-CASMailbox). A live audit of a simulated
 * tenant must give exactly the verdicts and evidence of a replay of the tenant's full folder,
 * and what it saves must hold only the kept fields, in the source's own shape.
 */
const PROJECTED_CONTROLS = [
  'mfa.registration',
  'mfa.admins-phishing-resistant',
  'forwarding.mailbox',
  'legacy-auth.smtp-auth',
];

const REGISTRATION_FIELDS = ['id', 'userPrincipalName', 'isMfaRegistered', 'isMfaCapable', 'methodsRegistered'];
const USER_FIELDS = ['id', 'userPrincipalName', 'displayName', 'accountEnabled', 'userType'];

async function report(file: string): Promise<Report> {
  return JSON.parse(await readFile(file, 'utf8')) as Report;
}

async function collection(file: string): Promise<Record<string, unknown>[]> {
  return (JSON.parse(await readFile(file, 'utf8')) as { value: Record<string, unknown>[] }).value;
}

const judged = (r: Report): Pick<Result, 'control' | 'target' | 'status' | 'evidence'>[] =>
  r.results
    .filter((x) => PROJECTED_CONTROLS.includes(x.control))
    .map((x) => ({ control: x.control, target: x.target, status: x.status, evidence: x.evidence }))
    .sort((a, b) => `${a.control} ${a.target}`.localeCompare(`${b.control} ${b.target}`));

async function compare(tenant: string): Promise<void> {
  const dir = await tempDir();
  const live = path.join(dir, 'live.json');
  const saved = path.join(dir, 'snapshot');
  const replay = path.join(dir, 'replay.json');
  const capturedAt = new Date(
    (JSON.parse(await readFile(path.join(tenant, 'manifest.json'), 'utf8')) as { capturedAt: string }).capturedAt,
  );
  const audited = await runCli(
    [
      'audit',
      '--simulate',
      tenant,
      '--policy',
      DEMO_POLICY_PATH,
      '--report-json',
      live,
      '--save-snapshot',
      saved,
      '--fail-on',
      'none',
    ],
    { now: capturedAt },
  );
  expect(audited.code, audited.stderr).toBe(0);
  const replayed = await runCli([
    'audit',
    '--snapshot',
    tenant,
    '--policy',
    DEMO_POLICY_PATH,
    '--report-json',
    replay,
    '--fail-on',
    'none',
  ]);
  expect(replayed.code, replayed.stderr).toBe(0);

  const liveReport = await report(live);
  const full = await report(replay);
  expect(judged(liveReport).length).toBeGreaterThan(0);
  expect(judged(liveReport)).toEqual(judged(full));
  for (const id of PROJECTED_CONTROLS) {
    expect(liveReport.controls.find((c) => c.control === id)?.status, id).toBe('evaluated');
  }

  const kept = async (relative: string, fields: readonly string[]): Promise<void> => {
    const records = await collection(path.join(saved, relative));
    expect(records.length, relative).toBeGreaterThan(0);
    for (const record of records)
      for (const key of Object.keys(record)) expect(fields, `${relative}: ${key}`).toContain(key);
  };
  await kept('graph/users.json', USER_FIELDS);
  await kept('graph/userRegistrationDetails.json', REGISTRATION_FIELDS);
  await kept('exchange/Get-Mailbox.json', MAILBOX_PROPERTIES);
  await kept('exchange/Get-CASMailbox.json', CAS_MAILBOX_PROPERTIES);

  // The saved, narrower snapshot replays to the same verdicts.
  const again = path.join(dir, 'again.json');
  expect(
    (
      await runCli([
        'audit',
        '--snapshot',
        saved,
        '--policy',
        DEMO_POLICY_PATH,
        '--report-json',
        again,
        '--fail-on',
        'none',
      ])
    ).code,
  ).toBe(0);
  expect(judged(await report(again))).toEqual(judged(full));
}

describe('tenant-wide sources are projected while collected', () => {
  it('gives the full folder verdicts on the demo tenant', async () => {
    await compare('demo/contoso-health');
  });

  it('gives the full folder verdicts on a generated tenant', async () => {
    const out = path.join(await tempDir(), 'tenant');
    await generateTenant({ out, users: 600, seed: 7, signIns: 600, capturedAt: DEFAULT_CAPTURED_AT });
    await compare(out);
  });
});
