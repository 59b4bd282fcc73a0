import { createHash } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cp } from 'node:fs/promises';
import { sha256File } from '../../src/evidence/checksums.js';
import type { Report } from '../../src/report/report.js';
import { EMBEDDED_SOURCES } from '../../src/snapshot/folder-layout.js';
import type { SourceId } from '../../src/snapshot/source-id.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';

/** One demo pack, built once; each test tampers with its own copy. */
let pristine: string;

beforeAll(async () => {
  pristine = await mkdtemp(path.join(tmpdir(), 'mailwarden-pack-'));
  await rm(pristine, { recursive: true });
  const run = await runCli(['audit', '--demo', '--fail-on', 'none', '--evidence-dir', pristine]);
  expect(run.code).toBe(0);
  return async () => rm(pristine, { recursive: true, force: true });
});

async function copyOfPack(): Promise<string> {
  const dir = path.join(await tempDir(), 'pack');
  await cp(pristine, dir, { recursive: true });
  return dir;
}

async function readReport(dir: string): Promise<Report> {
  return JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as Report;
}

/** Re-seals one file in SHA256SUMS, as a tamperer who knows the format would. */
async function reseal(dir: string, file: string): Promise<void> {
  const sums = await readFile(path.join(dir, 'SHA256SUMS'), 'utf8');
  const hash = await sha256File(path.join(dir, file));
  await writeFile(
    path.join(dir, 'SHA256SUMS'),
    sums
      .split('\n')
      .map((line) => (line.endsWith(`  ${file}`) ? `${hash}  ${file}` : line))
      .join('\n'),
  );
}

describe('evidence pack from the demo', () => {
  it('holds the report, a byte-exact policy copy, the snapshot and SHA256SUMS', async () => {
    const dir = await copyOfPack();
    const report = await readReport(dir);
    const policyText = await readFile(path.join(dir, 'policy.json'), 'utf8');
    expect(policyText).toBe(await readFile('demo/demo-policy.json', 'utf8'));
    expect(report.policy.sha256).toBe(createHash('sha256').update(policyText).digest('hex'));
    expect(report.tool).toEqual({ name: 'mailwarden', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    // Every ok source records how many records it held (folder names travel inside messageRules).
    const sources = Object.entries(report.snapshot.sources);
    expect(sources.length).toBeGreaterThan(0);
    for (const [id, status] of sources)
      if (status.status === 'ok' && !EMBEDDED_SOURCES.has(id as SourceId)) expect(status.count, id).toBeGreaterThan(0);
    const demoUsers = JSON.parse(await readFile('demo/contoso-health/graph/users.json', 'utf8')) as {
      value: unknown[];
    };
    expect(report.snapshot.sources['graph.users']).toMatchObject({ status: 'ok', count: demoUsers.value.length });
    const sums = await readFile(path.join(dir, 'SHA256SUMS'), 'utf8');
    expect(sums).toMatch(/^[0-9a-f]{64} {2}report\.json$/m);
    expect(sums).toMatch(/^[0-9a-f]{64} {2}policy\.json$/m);
    expect(sums).toMatch(/^[0-9a-f]{64} {2}snapshot\/manifest\.json$/m);
    expect(sums).toMatch(/^[0-9a-f]{64} {2}snapshot\/graph\/users\.json$/m);
  });

  it('verify-evidence passes on an untouched pack', async () => {
    const dir = await copyOfPack();
    const result = await runCli(['verify-evidence', dir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('verified');
  });

  it('fails on a changed report, naming report.json', async () => {
    const dir = await copyOfPack();
    const file = path.join(dir, 'report.json');
    await writeFile(file, (await readFile(file, 'utf8')).replace('"status": "fail"', '"status": "pass"'));
    const result = await runCli(['verify-evidence', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ {2}report\.json: changed \(sha256 /m);
  });

  it('fails on a changed report even when its checksum was re-sealed, naming the verdict', async () => {
    const dir = await copyOfPack();
    const file = path.join(dir, 'report.json');
    await writeFile(file, (await readFile(file, 'utf8')).replace('"status": "fail"', '"status": "pass"'));
    await reseal(dir, 'report.json');
    const result = await runCli(['verify-evidence', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/report\.json: changed/);
    expect(result.stderr).toMatch(
      /report\.json: result mfa\.registration on "tenant": status is "pass" in the report, "fail" on re-evaluation/,
    );
  });

  it('fails on a changed snapshot file, naming it', async () => {
    const dir = await copyOfPack();
    const file = path.join(dir, 'snapshot/graph/userRegistrationDetails.json');
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replaceAll('"isMfaRegistered": false', '"isMfaRegistered": true'),
    );
    const result = await runCli(['verify-evidence', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ {2}snapshot\/graph\/userRegistrationDetails\.json: changed /m);
    // The doctored data also no longer gives the recorded verdict.
    expect(result.stderr).toMatch(
      /result mfa\.registration on "tenant": status is "fail" in the report, "pass" on re-evaluation/,
    );
  });

  it('fails on a missing checksum, naming the file', async () => {
    const dir = await copyOfPack();
    const sums = path.join(dir, 'SHA256SUMS');
    await writeFile(
      sums,
      (await readFile(sums, 'utf8'))
        .split('\n')
        .filter((l) => !l.endsWith('  snapshot/graph/users.json'))
        .join('\n'),
    );
    const result = await runCli(['verify-evidence', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ {2}snapshot\/graph\/users\.json: no checksum in SHA256SUMS$/m);
  });

  it('fails when SHA256SUMS itself is gone, or a listed file is missing', async () => {
    const dir = await copyOfPack();
    await rm(path.join(dir, 'snapshot/graph/users.json'));
    const missingFile = await runCli(['verify-evidence', dir]);
    expect(missingFile.code).toBe(1);
    expect(missingFile.stderr).toMatch(/snapshot\/graph\/users\.json: listed in SHA256SUMS but missing/);
    await rm(path.join(dir, 'SHA256SUMS'));
    const noSums = await runCli(['verify-evidence', dir]);
    expect(noSums.code).toBe(1);
    expect(noSums.stderr).toMatch(/SHA256SUMS: missing/);
  });

  it('fails when the policy copy was swapped, naming policy.json', async () => {
    const dir = await copyOfPack();
    const file = path.join(dir, 'policy.json');
    await writeFile(file, (await readFile(file, 'utf8')).replace('"minPercent": 100', '"minPercent": 50'));
    await reseal(dir, 'policy.json');
    const result = await runCli(['verify-evidence', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/policy\.json: sha256 [0-9a-f]{64} differs from the report's policy sha256/);
  });

  it('exits 2 for a folder that does not exist', async () => {
    const result = await runCli(['verify-evidence', path.join(await tempDir(), 'nope')]);
    expect(result.code).toBe(2);
  });
});

describe('redacted evidence pack', () => {
  it('pseudonymises people, keeps exception targets in clear, and still verifies', async () => {
    const dir = await tempDir();
    const policy = JSON.parse(await readFile('demo/demo-policy.json', 'utf8')) as Record<string, unknown>;
    const users = JSON.parse(await readFile('demo/contoso-health/graph/users.json', 'utf8')) as {
      value: { userPrincipalName: string; displayName: string }[];
    };
    const kept = users.value[0]?.userPrincipalName ?? '';
    policy.exceptions = [
      {
        control: 'mfa.registration',
        target: kept,
        reason: 'break-glass account',
        approvedBy: 'CISO',
        expires: '2027-06-30',
      },
    ];
    const policyFile = path.join(dir, 'policy.json');
    await writeFile(policyFile, JSON.stringify(policy, null, 2));
    const plainPack = path.join(dir, 'plain');
    const redactedPack = path.join(dir, 'redacted');
    expect(
      (await runCli(['audit', '--demo', '--policy', policyFile, '--fail-on', 'none', '--evidence-dir', plainPack]))
        .code,
    ).toBe(0);
    const redacted = await runCli([
      'audit',
      '--demo',
      '--policy',
      policyFile,
      '--fail-on',
      'none',
      '--evidence-dir',
      redactedPack,
      '--redact-evidence',
    ]);
    expect(redacted.code).toBe(0);
    expect(redacted.stderr).not.toContain('redaction changed');

    // Every file of the redacted snapshot, Graph and Exchange alike.
    const files = (await readdir(path.join(redactedPack, 'snapshot'), { recursive: true, withFileTypes: true })).filter(
      (e) => e.isFile(),
    );
    const texts = await Promise.all(files.map((e) => readFile(path.join(e.parentPath, e.name), 'utf8')));
    const snapshotText = texts.join('\n');
    const reportText = await readFile(path.join(redactedPack, 'report.json'), 'utf8');
    for (const user of users.value.slice(1)) {
      expect(snapshotText).not.toContain(user.userPrincipalName);
      expect(snapshotText).not.toContain(user.displayName);
      expect(reportText).not.toContain(user.userPrincipalName);
    }
    expect(snapshotText).toContain(kept);
    const report = JSON.parse(reportText) as Report;
    expect(report.redaction).toMatchObject({ method: 'keyed-hash-pseudonyms', key: 'per-run', keptInClear: [kept] });
    const plain = JSON.parse(await readFile(path.join(plainPack, 'report.json'), 'utf8')) as Report;
    // Pseudonyms change the order of targets within a control, so compare as sorted lists.
    const verdicts = (r: Report) => r.results.map((x) => `${x.control} ${x.status}`).sort();
    expect(verdicts(report)).toEqual(verdicts(plain));
    expect(report.exceptions).toEqual(plain.exceptions);

    const verified = await runCli(['verify-evidence', redactedPack]);
    expect(verified.stderr).toBe('');
    expect(verified.code).toBe(0);
  });

  it('--redact-evidence without --evidence-dir is a usage error', async () => {
    const result = await runCli(['audit', '--demo', '--redact-evidence']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--redact-evidence needs --evidence-dir');
  });

  it('refuses to write into a folder that holds other files', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'thesis.docx'), 'x');
    const result = await runCli(['audit', '--demo', '--fail-on', 'none', '--evidence-dir', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('thesis.docx');
  });
});
