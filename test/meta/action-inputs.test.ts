import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ACTION_INPUTS } from '../../src/action/inputs.js';

describe('action.yml', () => {
  it('declares exactly the inputs src/action/inputs.ts reads, and runs on node24', async () => {
    const action = parse(await readFile('action.yml', 'utf8')) as {
      inputs: Record<string, unknown>;
      runs: { using: string; main: string };
    };
    expect(Object.keys(action.inputs).sort()).toEqual([...ACTION_INPUTS].sort());
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });
});
