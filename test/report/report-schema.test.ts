import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

type AddFormats = (ajv: Ajv2020) => Ajv2020;
const formats = addFormatsModule as unknown as { default: AddFormats | { default: AddFormats } };
const addFormats = typeof formats.default === 'function' ? formats.default : formats.default.default;

async function validator() {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(await readFile('docs/report.schema.json', 'utf8')) as object);
}

describe('docs/report.schema.json', () => {
  it('validates the real report of `audit --demo`, and the report of a redacted evidence pack', async () => {
    const validate = await validator();
    const dir = await tempDir();
    const reportPath = path.join(dir, 'report.json');
    const pack = path.join(dir, 'pack');
    const policy = JSON.parse(await readFile('demo/demo-policy.json', 'utf8')) as Record<string, unknown>;
    policy.exceptions = [
      {
        control: 'mfa.registration',
        target: 'tenant',
        reason: 'passkey rollout under way',
        approvedBy: 'CISO',
        expires: '2027-01-31',
        ticket: 'RISK-9',
      },
      {
        control: 'mfa.registration',
        target: 'gone@contosohealth.example',
        reason: 'the account left with its owner',
        approvedBy: 'CISO',
        expires: '2027-01-31',
      },
    ];
    const policyFile = path.join(dir, 'policy.json');
    await writeFile(policyFile, JSON.stringify(policy));
    for (const args of [
      ['audit', '--demo', '--fail-on', 'none', '--report-json', reportPath],
      [
        'audit',
        '--demo',
        '--fail-on',
        'none',
        '--policy',
        policyFile,
        '--only',
        'mfa',
        '--evidence-dir',
        pack,
        '--redact-evidence',
      ],
    ]) {
      expect((await runCli(args)).code).toBe(0);
    }
    for (const file of [reportPath, path.join(pack, 'report.json')]) {
      const report = JSON.parse(await readFile(file, 'utf8')) as unknown;
      expect(validate(report), JSON.stringify(validate.errors, null, 2)).toBe(true);
    }
  });

  it('rejects a report that drops a required part or invents a status', async () => {
    const validate = await validator();
    const dir = await tempDir();
    const reportPath = path.join(dir, 'report.json');
    await runCli(['audit', '--demo', '--fail-on', 'none', '--report-json', reportPath]);
    const report = JSON.parse(await readFile(reportPath, 'utf8')) as {
      results: { status: string }[];
      policy?: unknown;
    };
    const badStatus = structuredClone(report);
    const first = badStatus.results[0];
    if (first) first.status = 'fine';
    expect(validate(badStatus)).toBe(false);
    const noPolicy = structuredClone(report);
    delete noPolicy.policy;
    expect(validate(noPolicy)).toBe(false);
  });
});
