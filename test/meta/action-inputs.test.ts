import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ACCEPT_ACTION_INPUTS } from '../../src/action/accept-inputs.js';
import { ACTION_INPUTS, readActionMode, readInputs } from '../../src/action/inputs.js';
import { ACCEPT_ACTION_OUTPUTS } from '../../src/action/run-accept-action.js';
import { ACTION_OUTPUTS, overallResult } from '../../src/action/run-action.js';
import { EXIT } from '../../src/run/exit-codes.js';
import { actionInputDefaults } from '../helpers/action-run.js';

describe('action.yml', () => {
  it('declares exactly the inputs src/action/inputs.ts reads, and runs on node24', async () => {
    const action = parse(await readFile('action.yml', 'utf8')) as {
      inputs: Record<string, unknown>;
      runs: { using: string; main: string };
    };
    expect(Object.keys(action.inputs).sort()).toEqual([...ACTION_INPUTS].sort());
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });

  it('declares exactly the outputs src/action/run-action.ts sets', async () => {
    const action = parse(await readFile('action.yml', 'utf8')) as { outputs: Record<string, unknown> };
    expect(Object.keys(action.outputs).sort()).toEqual([...ACTION_OUTPUTS].sort());
    const runner = await readFile('src/action/run-action.ts', 'utf8');
    const set = [...runner.matchAll(/core\.setOutput\('([\w-]+)'/g)].map((m) => m[1]);
    expect([...new Set(set)].sort()).toEqual([...ACTION_OUTPUTS].sort());
  });

  it('reads inputs with a fixed set of values in any case, as cloud is', () => {
    const inputs: Record<string, string> = {
      domains: 'example.com',
      'fail-on': 'High',
      issues: 'Dry-Run',
      redact: 'ALWAYS',
      'redact-evidence': 'False',
    };
    const settings = readInputs((name) => inputs[name] ?? '', '/w');
    expect(settings.failOn).toBe('high');
    expect(settings.issues?.mode).toBe('dry-run');
    expect(settings.issues?.redact).toBe('always');
    expect(() => readInputs((name) => ({ ...inputs, 'fail-on': 'Highest' })[name] ?? '', '/w')).toThrow(
      /Input "fail-on": expected none, low, medium, high or critical, got "Highest"/,
    );
  });

  it('accepts the defaults the runner fills in for every input not given, in an audit job and in a merge job', () => {
    // The runner fills in every default at once, so each mode must accept them all together.
    const defaults = actionInputDefaults();
    expect(Object.keys(defaults)).toEqual(expect.arrayContaining(['incremental-cache', 'deadline-minutes', 'issues']));
    const given = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? defaults[name] ?? '';
    const merge = readActionMode(given({ 'merge-reports': 'partial-*.json' }), '/w');
    expect(merge.kind).toBe('merge');
    const audit = readActionMode(given({ domains: 'example.com' }), '/w');
    expect(audit).toMatchObject({ kind: 'audit', settings: { deadlineMinutes: 120, failOn: 'high' } });
    // Set on purpose, an audit-only input is still refused in a merge job.
    expect(() => readActionMode(given({ 'merge-reports': 'p.json', 'incremental-cache': 'true' }), '/w')).toThrow(
      /Inputs "merge-reports" and "incremental-cache" cannot be used together/,
    );
  });

  it('deadline-minutes: whole minutes from 1 to 1440, as --deadline', () => {
    const audit = (deadline: string) =>
      readInputs((name) => ({ domains: 'example.com', 'deadline-minutes': deadline })[name] ?? '', '/w');
    expect(audit('45').deadlineMinutes).toBe(45);
    expect(audit('1440').deadlineMinutes).toBe(1440);
    expect(readInputs((name) => ({ domains: 'example.com' })[name] ?? '', '/w').deadlineMinutes).toBeUndefined();
    for (const bad of ['0', '1441', '1.5', '-3', 'two hours', '90m']) {
      expect(() => audit(bad)).toThrow(`Input "deadline-minutes": expected whole minutes from 1 to 1440, got "${bad}"`);
    }
  });

  it('result output: pass only when nothing failed at the threshold and every control was judged', () => {
    expect(overallResult(EXIT.done, 0)).toBe('pass');
    expect(overallResult(EXIT.done, 2)).toBe('error');
    expect(overallResult(EXIT.findings, 2)).toBe('fail');
    expect(overallResult(EXIT.nothingAudited, 0)).toBe('error');
    expect(overallResult(EXIT.issues, 0)).toBe('error');
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
