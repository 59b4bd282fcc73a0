import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditSettings } from '../../src/cli/audit.js';
import { readInputs } from '../../src/action/inputs.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const EVIDENCE = ['--snapshot', 'snap', '--evidence-dir', 'pack', '--redact-evidence', '--issues', 'dry-run'];

describe('MAILWARDEN_REDACT_KEY keys every pseudonym; MAILWARDEN_REDACTION_KEY is its deprecated alias', () => {
  it('keys both the issues and the evidence pack with MAILWARDEN_REDACT_KEY', () => {
    const settings = auditSettings(EVIDENCE, { MAILWARDEN_REDACT_KEY: 'k1' });
    expect(settings.issues?.redactKey).toBe('k1');
    expect(settings.evidence?.redactionKey).toBe('k1');
  });

  it('still reads the old name, trimmed as before, when the new one is unset; the new name wins', () => {
    const old = auditSettings(EVIDENCE, { MAILWARDEN_REDACTION_KEY: ' k2 ' });
    expect(old.evidence?.redactionKey).toBe('k2');
    expect(old.issues?.redactKey).toBe('k2');
    const both = auditSettings(EVIDENCE, { MAILWARDEN_REDACT_KEY: 'k1', MAILWARDEN_REDACTION_KEY: 'k2' });
    expect([both.issues?.redactKey, both.evidence?.redactionKey]).toEqual(['k1', 'k1']);
  });

  it('without either, issues fall back to the tenant ID (later) and the pack to a random key per run', () => {
    const settings = auditSettings(EVIDENCE, {});
    expect(settings.issues?.redactKey).toBeUndefined();
    expect(settings.evidence?.redactionKey).toBeUndefined();
  });

  it('the Action keys issues with it, and keeps a random key per run for its evidence packs', () => {
    const inputs: Record<string, string> = { snapshot: 'snap', 'evidence-dir': 'pack' };
    const settings = readInputs((name) => inputs[name] ?? '', '/ws', { MAILWARDEN_REDACT_KEY: 'k1' });
    expect(settings.issues?.redactKey).toBe('k1');
    expect(settings.evidence).toEqual({ dir: 'pack', redact: true, redactionKey: undefined });
  });

  it('the CLI warns once when the deprecated name is set', async () => {
    const dir = await tempDir();
    const run = await runCli(['audit', '--demo', '--fail-on', 'none', '--report-json', path.join(dir, 'r.json')], {
      env: { MAILWARDEN_REDACTION_KEY: 'k2' },
    });
    expect(run.code).toBe(0);
    const warnings = run.stderr.split('\n').filter((l) => l.includes('MAILWARDEN_REDACTION_KEY'));
    expect(warnings).toEqual([
      'warning: MAILWARDEN_REDACTION_KEY is deprecated: set MAILWARDEN_REDACT_KEY instead (it keys issue and evidence pseudonyms alike)',
    ]);
  });
});
