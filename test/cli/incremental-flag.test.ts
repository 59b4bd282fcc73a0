import { describe, expect, it } from 'vitest';
import { auditSettings } from '../../src/cli/audit.js';

const KEY = 'a state key long enough to be one';

describe('--incremental STATE', () => {
  it('takes the state file and the key from MAILWARDEN_STATE_KEY, else MAILWARDEN_REDACT_KEY', () => {
    const args = ['--demo', '--only', 'sign-ins', '--incremental', 'state/sign-ins.state'];
    expect(auditSettings(args, { MAILWARDEN_STATE_KEY: KEY }).incremental).toEqual({
      statePath: 'state/sign-ins.state',
      key: KEY,
    });
    expect(auditSettings(args, { MAILWARDEN_REDACT_KEY: `${KEY}!` }).incremental?.key).toBe(`${KEY}!`);
    expect(auditSettings(['--demo', '--only', 'sign-ins'], { MAILWARDEN_STATE_KEY: KEY }).incremental).toBeUndefined();
  });

  it('is refused without a key (the state is never written in the clear), with a key too short, or with --shard', () => {
    const args = ['--demo', '--only', 'sign-ins', '--incremental', 'state.bin'];
    expect(() => auditSettings(args, {})).toThrow(
      /--incremental needs MAILWARDEN_STATE_KEY \(or MAILWARDEN_REDACT_KEY\)/,
    );
    expect(() => auditSettings(args, { MAILWARDEN_STATE_KEY: 'short' })).toThrow(/MAILWARDEN_STATE_KEY: 5 characters/);
    expect(() => auditSettings([...args, '--shard', '1/2'], { MAILWARDEN_STATE_KEY: KEY })).toThrow(/--shard/);
  });
});
