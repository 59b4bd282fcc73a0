import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { INIT_WORKFLOW } from '../../src/cli/init-workflow.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

describe('mailwarden init', () => {
  it('writes the baseline policy byte for byte and the example workflow, and the policy validates', async () => {
    const repo = await tempDir('mailwarden-init-');
    const run = await runCli(['init', '--dir', repo]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(path.join(repo, '.mailwarden/policy.json'));
    expect(await readFile(path.join(repo, '.mailwarden/policy.json'), 'utf8')).toBe(
      await readFile('policies/baseline.json', 'utf8'),
    );
    const workflow = await readFile(path.join(repo, '.github/workflows/mailwarden.yml'), 'utf8');
    expect(workflow).toBe(INIT_WORKFLOW);
    const parsed = parse(workflow) as { jobs: { audit: { steps: { with?: Record<string, string> }[] } } };
    expect(parsed.jobs.audit.steps[1]?.with?.policy).toBe('.mailwarden/policy.json');
    const valid = await runCli(['validate-policy', path.join(repo, '.mailwarden/policy.json')]);
    expect(valid.code, valid.stderr).toBe(0);
  });

  it('refuses to overwrite without --force, in one line and exit 2, and writes nothing then', async () => {
    const repo = await tempDir('mailwarden-init-');
    await mkdir(path.join(repo, '.github/workflows'), { recursive: true });
    await writeFile(path.join(repo, '.github/workflows/mailwarden.yml'), 'mine\n');
    const refused = await runCli(['init', '--dir', repo]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toEqual([
      `mailwarden: init: ${path.join(repo, '.github/workflows/mailwarden.yml')} exists; pass --force to overwrite it`,
    ]);
    // Checked before anything is written: the policy was not written either.
    await expect(readFile(path.join(repo, '.mailwarden/policy.json'), 'utf8')).rejects.toThrow(/ENOENT/);
    expect(await readFile(path.join(repo, '.github/workflows/mailwarden.yml'), 'utf8')).toBe('mine\n');

    const forced = await runCli(['init', '--dir', repo, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(await readFile(path.join(repo, '.github/workflows/mailwarden.yml'), 'utf8')).toBe(INIT_WORKFLOW);
  });

  it('a missing folder is one line and exit 2', async () => {
    const run = await runCli(['init', '--dir', '/nonexistent/mailwarden-repo']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      'mailwarden: init: /nonexistent/mailwarden-repo is not a folder (--dir)',
    ]);
  });

  it("is the README's first workflow example, word for word", async () => {
    const readme = await readFile('README.md', 'utf8');
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    const first = blocks.find((b) => /^on:/m.test(b) && /^jobs:/m.test(b));
    expect(first).toBe(INIT_WORKFLOW);
  });
});
