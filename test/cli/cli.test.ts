import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

describe('mailwarden CLI', () => {
  it('prints usage and exits 2 on an unknown command or flag', async () => {
    const command = await runCli(['frobnicate']);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command "frobnicate"');
    expect(command.stderr).toContain('Usage: mailwarden');
    const flag = await runCli(['audit', '--demo', '--colour']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/Unknown option '--colour'/);
  });

  it('validate-policy names the line of a syntax error, exits 2 and shows no stack trace', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'bad.json');
    await writeFile(file, '{\n  "id": "x",\n  "title": "t",,\n}\n');
    const result = await runCli(['validate-policy', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}:3:`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('validate-policy accepts the baseline', async () => {
    const result = await runCli(['validate-policy', 'policies/baseline.json']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('valid policy baseline');
  });

  it('names the file of a missing or corrupt snapshot folder', async () => {
    const dir = await tempDir();
    const missing = await runCli(['audit', '--snapshot', dir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(path.join(dir, 'manifest.json'));
    await writeFile(path.join(dir, 'manifest.json'), '{"formatVersion": 1,');
    const corrupt = await runCli(['audit', '--snapshot', dir]);
    expect(corrupt.code).toBe(2);
    expect(corrupt.stderr).toMatch(/manifest\.json:1:\d+: invalid JSON/);
  });

  it('rejects a bad --fail-on and --only with a usage message', async () => {
    expect((await runCli(['audit', '--demo', '--fail-on', 'severe'])).code).toBe(2);
    const only = await runCli(['audit', '--demo', '--only', 'mfa,dns']);
    expect(only.code).toBe(2);
    expect(only.stderr).toContain('unknown area "dns"');
  });

  it('lists the catalog in every format', async () => {
    const text = await runCli(['controls']);
    expect(text.stdout).toContain('mfa.registration');
    const json = await runCli(['controls', '--format', 'json']);
    expect((JSON.parse(json.stdout) as { id: string }[]).map((c) => c.id)).toContain('mfa.registration');
    expect((await runCli(['controls', '--format', 'yaml'])).code).toBe(2);
  });
});
