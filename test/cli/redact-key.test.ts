import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditSettings } from '../../src/cli/audit.js';
import { readInputs } from '../../src/action/inputs.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const EVIDENCE = ['--snapshot', 'snap', '--evidence-dir', 'pack', '--redact-evidence', '--issues', 'dry-run'];

describe('MAILWARDEN_REDACT_KEY keys every pseudonym; MAILWARDEN_REDACTION_KEY is its deprecated alias', () => {
  it('keys both the issues and the evidence pack with MAILWARDEN_REDACT_KEY', () => {
    const settings = auditSettings(EVIDENCE, { MAILWARDEN_REDACT_KEY: 'first-redaction-key' });
    expect(settings.issues?.redactKey).toBe('first-redaction-key');
    expect(settings.evidence?.redactionKey).toBe('first-redaction-key');
  });

  it('still reads the old name, trimmed as before, when the new one is unset; the new name wins', () => {
    const old = auditSettings(EVIDENCE, { MAILWARDEN_REDACTION_KEY: ' second-redaction-key ' });
    expect(old.evidence?.redactionKey).toBe('second-redaction-key');
    expect(old.issues?.redactKey).toBe('second-redaction-key');
    const both = auditSettings(EVIDENCE, {
      MAILWARDEN_REDACT_KEY: 'first-redaction-key',
      MAILWARDEN_REDACTION_KEY: 'second-redaction-key',
    });
    expect([both.issues?.redactKey, both.evidence?.redactionKey]).toEqual([
      'first-redaction-key',
      'first-redaction-key',
    ]);
  });

  it('refuses a key too short to be one, naming the variable', () => {
    expect(() => auditSettings(EVIDENCE, { MAILWARDEN_REDACT_KEY: 'k1' })).toThrow(
      'MAILWARDEN_REDACT_KEY: 2 characters is not a plausible redaction key (at least 8); check the value',
    );
  });

  it('without either, issues fall back to the tenant ID (later) and the pack to a random key per run', () => {
    const settings = auditSettings(EVIDENCE, {});
    expect(settings.issues?.redactKey).toBeUndefined();
    expect(settings.evidence?.redactionKey).toBeUndefined();
  });

  it('the Action keys issues with it, and keeps a random key per run for its evidence packs', () => {
    const inputs: Record<string, string> = { snapshot: 'snap', 'evidence-dir': 'pack' };
    const settings = readInputs((name) => inputs[name] ?? '', '/ws', { MAILWARDEN_REDACT_KEY: 'first-redaction-key' });
    expect(settings.issues?.redactKey).toBe('first-redaction-key');
    expect(settings.evidence).toEqual({ dir: 'pack', redact: true, redactionKey: undefined });
  });

  it('the CLI warns once when the deprecated name is set', async () => {
    const dir = await tempDir();
    const run = await runCli(['audit', '--demo', '--fail-on', 'none', '--report-json', path.join(dir, 'r.json')], {
      env: { MAILWARDEN_REDACTION_KEY: 'second-redaction-key' },
    });
    expect(run.code).toBe(0);
    const warnings = run.stderr.split('\n').filter((l) => l.includes('MAILWARDEN_REDACTION_KEY'));
    expect(warnings).toEqual([
      'warning: MAILWARDEN_REDACTION_KEY is deprecated: set MAILWARDEN_REDACT_KEY instead (it keys issue and evidence pseudonyms alike)',
    ]);
  });
});
