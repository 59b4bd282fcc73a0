import { spawn } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFingerprint } from '../../src/issues/marker.js';
import { createOctokit, octokitIssuesApi } from '../../src/issues/octokit-issues-api.js';
import { syncIssues } from '../../src/issues/sync.js';
import { memoryLogger } from '../../src/logger.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github-server.js';
import { demoPolicy, report, result, shown } from '../issues/report-fixture.js';
import { tempDir } from '../helpers/temp.js';
import { FAST_PACING } from '../helpers/fast-issues-client.js';

/**
 * The accept Action as the runner starts it: accept/action.yml runs `../dist/accept.js` with the
 * inputs as INPUT_* variables, the event in GITHUB_EVENT_PATH and outputs to GITHUB_OUTPUT. A
 * fresh bundle (never the committed dist/) runs in a child process against the fake GitHub.
 */

let f: FakeGitHub | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

async function bundle(): Promise<string> {
  const stage = await tempDir('mailwarden-accept-bundle-');
  const built = await runNode(['scripts/build.mjs', '--outdir', path.join(stage, 'dist')], {});
  expect(built.code, built.stderr).toBe(0);
  // The bundles read the version from ../package.json, as they do in the repository.
  await cp('package.json', path.join(stage, 'package.json'));
  await mkdir(path.join(stage, 'accept'));
  await cp('accept/action.yml', path.join(stage, 'accept', 'action.yml'));
  return stage;
}

function runNode(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Only what the runner would set: no token or API address leaks in from this process.
    const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the accept Action bundle, as the runner starts it', () => {
  it('reads INPUT_* and the event, opens the pull request, writes its outputs; a bad input fails the step', async () => {
    const stage = await bundle();
    f = await startFakeGitHub({ collaborators: { alice: 'write' } });
    const fake = f;
    const policy = await readFile('policies/baseline.json', 'utf8');
    fake.pushFile('policies/contoso.json', policy);
    const logger = memoryLogger();
    const target = 'adele@contoso.example/AQAAAJ5dZqA=';
    await syncIssues(
      octokitIssuesApi(
        createOctokit({
          token: 'test-token',
          baseUrl: fake.apiUrl,
          logger,
          pacing: FAST_PACING,
        }),
        { owner: 'contoso', repo: 'it-audit' },
      ),
      shown(report([result({ control: 'forwarding.inbox-rules', target })])),
      demoPolicy(),
      {
        mode: 'on',
        repo: { owner: 'contoso', repo: 'it-audit' },
        labels: [],
        maxNewIssues: 20,
        dashboard: false,
      },
      { logger, now: () => new Date() },
    );
    const [issue] = [...fake.issues.values()];
    if (!issue || !parseFingerprint(issue.body)) throw new Error('no finding issue');

    const dir = await tempDir();
    const eventPath = path.join(dir, 'event.json');
    const outputPath = path.join(dir, 'output');
    await writeFile(outputPath, '');
    await writeFile(
      eventPath,
      JSON.stringify({
        action: 'created',
        issue: { number: issue.number },
        comment: {
          id: 1,
          body: '/mailwarden accept for 30d because the archive vendor contract requires this forward',
          html_url: `https://github.com/contoso/it-audit/issues/${issue.number}#issuecomment-1`,
          user: { login: 'alice', type: 'User' },
        },
      }),
    );
    const env = {
      INPUT_POLICY: 'policies/contoso.json',
      'INPUT_GITHUB-TOKEN': 'test-token',
      GITHUB_EVENT_NAME: 'issue_comment',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: 'contoso/it-audit',
      GITHUB_API_URL: fake.apiUrl,
      GITHUB_OUTPUT: outputPath,
    };
    const ran = await runNode([path.join(stage, 'dist', 'accept.js')], env);
    expect(ran.stdout).not.toMatch(/::error::/);
    expect(ran.code, ran.stdout + ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/opened pull request #\d+: http/);
    // The token is registered for masking, and no other line of the log carries it.
    expect(ran.stdout).toMatch(/^::add-mask::test-token$/m);
    expect(ran.stdout.split('\n').filter((l) => l.includes('test-token') && !l.startsWith('::add-mask::'))).toEqual([]);

    const [pull] = [...fake.pulls.values()];
    const outputs = await readFile(outputPath, 'utf8');
    expect(outputs).toMatch(/^result<<(ghadelimiter_[\w-]+)\nopened\n\1$/m);
    expect(outputs).toMatch(new RegExp(`^pull-request-number<<(ghadelimiter_[\\w-]+)\\n${pull?.number}\\n\\1$`, 'm'));
    const edited = fake.fileText('policies/contoso.json', pull?.head) ?? '';
    expect(parsePolicy(edited, 'contoso.json', new Date()).policy.exceptions).toEqual([
      expect.objectContaining({ control: 'forwarding.inbox-rules', target, approvedBy: 'alice' }),
    ]);

    const failed = await runNode([path.join(stage, 'dist', 'accept.js')], { ...env, INPUT_POLICY: '' });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(
      /^::error::Input "policy": the path of the policy file in this repository is required/m,
    );
  }, 120_000);
});
