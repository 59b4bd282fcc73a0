import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acceptInFile } from '../../src/accept/accept-in-file.js';
import { ConfigurationError } from '../../src/errors.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import { tempDir } from '../helpers/temp.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const REQUEST = {
  control: 'mfa.registration',
  target: 'breakglass2@contosohealth.example',
  reason: 'second break-glass account, sealed envelope',
  approvedBy: 'CISO',
  expiry: { kind: 'for' as const, days: 90 },
};

async function demoCopy(): Promise<{ file: string; text: string }> {
  const dir = await tempDir();
  const file = path.join(dir, 'policy.json');
  // The demo policy, asking for reasons of 20 characters as the bundled policies do.
  const text = (await readFile('demo/demo-policy.json', 'utf8')).replace(
    '"exceptions": []',
    '"settings": { "minExceptionReasonLength": 20 },\n  "exceptions": []',
  );
  await writeFile(file, text);
  return { file, text };
}

describe('accepting a risk in a policy file', () => {
  it('writes the entry in place, validating, and leaves no temporary file', async () => {
    const { file, text } = await demoCopy();
    const done = await acceptInFile(file, REQUEST, NOW);
    expect(done).toMatchObject({ pointer: '/exceptions/0', replaced: false, exception: { expires: '2027-02-25' } });
    const written = await readFile(file, 'utf8');
    expect(parsePolicy(written, file, NOW).policy.exceptions).toHaveLength(1);
    // The demo policy had `"exceptions": []`: only those two bytes were replaced.
    const at = text.indexOf('"exceptions": []') + '"exceptions": '.length;
    expect(written.startsWith(text.slice(0, at))).toBe(true);
    expect(written.endsWith(text.slice(at + 2))).toBe(true);
    expect(await readdir(path.dirname(file))).toEqual(['policy.json']);
  });

  it('a refused request leaves the file byte for byte as it was', async () => {
    const { file, text } = await demoCopy();
    await expect(acceptInFile(file, { ...REQUEST, reason: 'ok' }, NOW)).rejects.toThrow(
      /policy\.json: exception not added: the reason has 2 characters; the policy asks for at least 20/,
    );
    await expect(acceptInFile(file, { ...REQUEST, expiry: { kind: 'for', days: 400 } }, NOW)).rejects.toThrow(
      ConfigurationError,
    );
    await expect(acceptInFile(path.join(path.dirname(file), 'missing.json'), REQUEST, NOW)).rejects.toThrow(
      /cannot read policy file/,
    );
    expect(await readFile(file, 'utf8')).toBe(text);
  });
});
