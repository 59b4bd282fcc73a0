import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AcceptApi } from '../../src/accept/accept-api.js';
import { readAcceptInputs } from '../../src/action/accept-inputs.js';
import { runAcceptAction } from '../../src/action/run-accept-action.js';
import { ConfigurationError } from '../../src/errors.js';
import { memoryLogger } from '../../src/logger.js';
import { tempDir } from '../helpers/temp.js';

const ENV = {
  GITHUB_EVENT_NAME: 'issue_comment',
  GITHUB_EVENT_PATH: '/nonexistent/event.json',
  GITHUB_REPOSITORY: 'contoso/it-audit',
  GITHUB_API_URL: 'https://ghes.contoso.example/api/v3/',
};
const INPUTS: Record<string, string> = { policy: './policies/contoso.json', 'github-token': 'ghs_token' };
const get = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';

/** Any GitHub call is a failure here: these runs must stop before reaching GitHub. */
const NO_GITHUB = new Proxy({} as AcceptApi, {
  get: (_target, name) => () => Promise.reject(new Error(`unexpected GitHub call ${String(name)}`)),
});

describe('the accept Action entry', () => {
  it('reads its inputs and the runner context once', () => {
    expect(readAcceptInputs(get(INPUTS), ENV)).toEqual({
      policyPath: 'policies/contoso.json',
      token: 'ghs_token',
      repo: { owner: 'contoso', repo: 'it-audit' },
      apiUrl: 'https://ghes.contoso.example/api/v3',
      eventName: 'issue_comment',
      eventPath: '/nonexistent/event.json',
    });
  });

  it.each([
    [{ ...INPUTS, policy: '' }, ENV, /Input "policy": the path of the policy file/],
    [
      { ...INPUTS, policy: '../elsewhere/policy.json' },
      ENV,
      /policy "..\/elsewhere\/policy.json": expected the policy file's path inside the repository/,
    ],
    [{ ...INPUTS, policy: '/etc/passwd' }, ENV, /expected the policy file's path inside the repository/],
    [{ ...INPUTS, 'github-token': '' }, ENV, /Input "github-token"/],
    [INPUTS, { ...ENV, GITHUB_REPOSITORY: 'contoso' }, /GITHUB_REPOSITORY is not set as OWNER\/NAME/],
    [INPUTS, { ...ENV, GITHUB_EVENT_PATH: '' }, /GITHUB_EVENT_PATH is not set/],
  ])('refuses bad inputs with one clear line (%#)', (inputs, env, message) => {
    expect(() => readAcceptInputs(get(inputs), env)).toThrow(ConfigurationError);
    expect(() => readAcceptInputs(get(inputs), env)).toThrow(message);
  });

  it('refuses another event, or an event file without the comment, before any GitHub call', async () => {
    const dir = await tempDir();
    const eventPath = path.join(dir, 'event.json');
    const deps = (env: typeof ENV) => ({
      getInput: get(INPUTS),
      env,
      logger: memoryLogger(),
      now: () => new Date(),
      api: () => NO_GITHUB,
      setOutput: () => undefined,
    });
    await writeFile(eventPath, JSON.stringify({ action: 'created', issue: { number: 3 } }));
    await expect(runAcceptAction(deps({ ...ENV, GITHUB_EVENT_PATH: eventPath }))).rejects.toThrow(
      'issue_comment event: comment.id is not a positive whole number',
    );
    await expect(
      runAcceptAction(deps({ ...ENV, GITHUB_EVENT_PATH: eventPath, GITHUB_EVENT_NAME: 'pull_request_target' })),
    ).rejects.toThrow(/runs on issue_comment events .* this run's event is "pull_request_target"/);
    await expect(runAcceptAction(deps(ENV))).rejects.toThrow(
      /GITHUB_EVENT_PATH \/nonexistent\/event.json: cannot read/,
    );
  });
});
