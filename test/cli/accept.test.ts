import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const NOW = new Date('2026-11-27T12:00:00Z');

/** The bundled baseline, as an organisation copies it: its notes, its settings (reasons of 20 characters, 365 days). */
async function baselineCopy(): Promise<{ file: string; text: string }> {
  const file = path.join(await tempDir(), 'contoso.json');
  const text = await readFile('policies/baseline.json', 'utf8');
  await writeFile(file, text);
  return { file, text };
}

function flags(file: string, change: Record<string, string | undefined> = {}): string[] {
  const all: Record<string, string | undefined> = {
    policy: file,
    control: 'forwarding.inbox-rules',
    target: 'adele@contoso.example/AQAAAJ5dZqA=',
    until: '2027-03-31',
    reason: "the finance team's archive vendor needs this forward",
    'approved-by': 'security-lead',
    ticket: 'CHG-1234',
    ...change,
  };
  return ['accept', ...Object.entries(all).flatMap(([k, v]) => (v === undefined ? [] : [`--${k}`, v]))];
}

describe('mailwarden accept (the CLI)', () => {
  it('adds the exception in place, byte for byte outside the entry, and the policy still validates', async () => {
    const { file, text } = await baselineCopy();
    const run = await runCli(flags(file));
    expect(run).toEqual({
      code: 0,
      stdout: `${file}: added the exception for forwarding.inbox-rules on "adele@contoso.example/AQAAAJ5dZqA=" until 2027-03-31 at /exceptions/0\n`,
      stderr: '',
    });
    const written = await readFile(file, 'utf8');
    const at = text.indexOf('"exceptions": []') + '"exceptions": '.length;
    expect(written.slice(0, at)).toBe(text.slice(0, at));
    expect(written.endsWith(text.slice(at + '[]'.length))).toBe(true);
    expect(parsePolicy(written, file, NOW).policy.exceptions).toEqual([
      {
        control: 'forwarding.inbox-rules',
        target: 'adele@contoso.example/AQAAAJ5dZqA=',
        reason: "the finance team's archive vendor needs this forward",
        approvedBy: 'security-lead',
        expires: '2027-03-31',
        ticket: 'CHG-1234',
        pointer: '/exceptions/0',
      },
    ]);
    expect((await runCli(['validate-policy', file])).code).toBe(0);

    // The same control and target again: the entry is replaced, not doubled.
    const again = await runCli(flags(file, { until: '90d', ticket: undefined, 'approved-by': 'ciso' }));
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/: replaced the exception .* until 2027-02-25 at \/exceptions\/0\n$/);
    const exceptions = parsePolicy(await readFile(file, 'utf8'), file, NOW).policy.exceptions;
    expect(exceptions).toHaveLength(1);
    expect(exceptions[0]).toMatchObject({ approvedBy: 'ciso', expires: '2027-02-25' });
    expect(exceptions[0]?.ticket).toBeUndefined();
  });

  it('counts days from the real clock too', async () => {
    const { file } = await baselineCopy();
    const now = new Date();
    const run = await runCli(flags(file, { until: '30d' }), { now });
    expect(run.code).toBe(0);
    const expected = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 30));
    expect(run.stdout).toContain(`until ${expected.toISOString().slice(0, 10)} at /exceptions/0`);
  });

  it.each([
    [
      { reason: undefined, 'approved-by': undefined },
      /^mailwarden: accept needs .* \(missing: --reason, --approved-by\)$/,
    ],
    [
      { until: '31/03/2027' },
      /^mailwarden: --until: expected a date \(YYYY-MM-DD\) or a number of days \(90d\), got "31\/03\/2027"$/,
    ],
    [{ until: '2027-02-30' }, /--until: expected a date/],
    [
      { until: '2028-01-01' },
      /: exception not added: expires 2028-01-01, 400 days ahead; the policy allows at most 365 days$/,
    ],
    [{ until: '2026-11-26' }, /: exception not added: 2026-11-26 is already past/],
    [
      { reason: 'vendor needs it' },
      /: exception not added: the reason has 15 characters; the policy asks for at least 20 \(settings\.minExceptionReasonLength\)$/,
    ],
    [{ control: 'forwarding.bogus' }, /: exception not added: the control is not in the catalog$/],
    [{ ticket: 'CHG 1' }, /: exception not added: the ticket must be one reference/],
    [{ reason: 'a reason long enough \u202e but reversed' }, /bidirectional/],
  ])('bad input %j: exit 2, one line, the file untouched', async (change, message) => {
    const { file, text } = await baselineCopy();
    const run = await runCli(flags(file, change));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr.trimEnd()).toMatch(message);
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('a missing or invalid policy file is exit 2 naming the file, and nothing is written', async () => {
    const dir = await tempDir();
    const missing = await runCli(flags(path.join(dir, 'none.json')));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/none\.json: cannot read policy file/);
    const broken = path.join(dir, 'broken.json');
    await writeFile(broken, '{"id": "x",\n');
    const bad = await runCli(flags(broken));
    expect(bad.code).toBe(2);
    expect(bad.stderr.trimEnd()).toMatch(/^mailwarden: .*broken\.json:2:1: invalid JSON/);
    expect(await readFile(broken, 'utf8')).toBe('{"id": "x",\n');
  });

  it('is listed in the help', async () => {
    expect((await runCli(['help'])).stdout).toMatch(/^ {2}accept {20}Add a policy exception/m);
    expect((await runCli(['help'])).stdout).toMatch(/^accept options:$/m);
  });
});
