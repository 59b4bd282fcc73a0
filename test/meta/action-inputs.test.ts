import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ACCEPT_ACTION_INPUTS } from '../../src/action/accept-inputs.js';
import { ACTION_INPUTS } from '../../src/action/inputs.js';
import { ACCEPT_ACTION_OUTPUTS } from '../../src/action/run-accept-action.js';

describe('action.yml', () => {
  it('declares exactly the inputs src/action/inputs.ts reads, and runs on node24', async () => {
    const action = parse(await readFile('action.yml', 'utf8')) as {
      inputs: Record<string, unknown>;
      runs: { using: string; main: string };
    };
    expect(Object.keys(action.inputs).sort()).toEqual([...ACTION_INPUTS].sort());
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });

  it('accept/action.yml declares exactly the inputs and outputs of the accept Action, and runs its bundle on node24', async () => {
    const action = parse(await readFile('accept/action.yml', 'utf8')) as {
      inputs: Record<string, { required?: boolean; default?: string }>;
      outputs: Record<string, unknown>;
      runs: { using: string; main: string };
    };
    expect(Object.keys(action.inputs).sort()).toEqual([...ACCEPT_ACTION_INPUTS].sort());
    expect(Object.keys(action.outputs).sort()).toEqual([...ACCEPT_ACTION_OUTPUTS].sort());
    expect(action.inputs.policy?.required).toBe(true);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
    expect(action.inputs['github-token']?.default).toBe('${{ github.token }}');
    // The path is relative to accept/, as codeql-action's init/action.yml runs ../lib/init-action.js.
    expect(action.runs).toEqual({ using: 'node24', main: '../dist/accept.js' });
    const build = await readFile('scripts/build.mjs', 'utf8');
    expect(build).toContain("accept: 'src/accept-index.ts'");
  });
});
