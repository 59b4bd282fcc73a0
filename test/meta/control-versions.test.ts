import { describe, expect, it } from 'vitest';
import type { ControlDefinition } from '../../src/controls/control.js';
import { CONTROLS } from '../../src/controls/catalog.js';
import { migrationHeading, statementSha256, updateControlLock } from '../../src/controls/control-versions.js';
import { controlLockUpdate } from '../../src/docs/generated-files.js';

const OLD = 'Every enabled member user SHALL be registered for multifactor authentication.';
const NEW = 'Every enabled member user SHALL be registered for phishing-resistant multifactor authentication.';

function control(version: number, statement: string): ControlDefinition {
  const base = CONTROLS[0];
  if (!base) throw new Error('the catalog is empty');
  return { ...base, id: 'x.control', version, statement };
}

const lock = { 'x.control': { version: 1, statementSha256: statementSha256(OLD), statement: OLD } };

function migration(body: string): string {
  return `# Control migrations\n\n${migrationHeading('x.control', 1, 2)}\n\n${body}\n\n## y.other v1 → v2\n\n**Reason.** unrelated\n`;
}

describe('control versions (docs/control-versions.json + docs/control-migrations.md)', () => {
  it('the committed lock matches the catalog: no statement changed without a version bump and a migration', async () => {
    const { problems } = await controlLockUpdate(process.cwd());
    expect(problems).toEqual([]);
  });

  it('rejects a changed statement at the same version', () => {
    const { problems, lock: next } = updateControlLock(lock, [control(1, NEW)], '');
    expect(problems).toEqual([
      expect.stringMatching(/^x\.control: the statement changed but the version is still 1\. Raise "version" to 2/),
    ]);
    expect(next['x.control']?.statement).toBe(OLD);
  });

  it('rejects a version bump without its migration section', () => {
    const { problems } = updateControlLock(lock, [control(2, NEW)], '# Control migrations\n');
    expect(problems).toEqual([expect.stringContaining('needs the section "## x.control v1 → v2"')]);
  });

  it('rejects a migration section that lacks the old text, the new text or the reason', () => {
    const { problems } = updateControlLock(lock, [control(2, NEW)], migration(`**Old.**\n\n> ${OLD}`));
    expect(problems).toEqual([expect.stringMatching(/lacks the new statement, a "\*\*Reason\.\*\*" line$/)]);
  });

  it('accepts a bump with a complete migration (quoted text may wrap) and moves the lock on', () => {
    const wrapped = NEW.replace('phishing-resistant ', 'phishing-resistant\n> ');
    const { problems, lock: next } = updateControlLock(
      lock,
      [control(2, NEW)],
      migration(
        `**Reason.** Passwords plus SMS no longer suffice.\n\n**Old.**\n\n> ${OLD}\n\n**New.**\n\n> ${wrapped}`,
      ),
    );
    expect(problems).toEqual([]);
    expect(next['x.control']).toEqual({ version: 2, statementSha256: statementSha256(NEW), statement: NEW });
  });

  it('rejects a version that goes down', () => {
    const { problems } = updateControlLock(
      { 'x.control': { ...lock['x.control'], version: 3 } },
      [control(2, OLD)],
      '',
    );
    expect(problems).toEqual([expect.stringContaining('lower than the published version 3')]);
  });

  it('adds new controls and never drops retired ones', () => {
    const { problems, lock: next } = updateControlLock(lock, [{ ...control(1, NEW), id: 'a.new' }], '');
    expect(problems).toEqual([]);
    expect(Object.keys(next)).toEqual(['a.new', 'x.control']);
  });
});
