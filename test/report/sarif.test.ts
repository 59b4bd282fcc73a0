import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { renderSarif, SARIF_FINGERPRINT_KEY } from '../../src/report/sarif.js';
import { demoPolicy, report, result, shown, users } from '../issues/report-fixture.js';

/**
 * The SARIF 2.1.0 JSON schema (rtm.5, the final 2.1.0 schema), as shipped by the MIT-licensed npm
 * package @microsoft/jest-sarif 1.0.0-beta.0 (lib/schemas/sarif-2.1.0-rtm.5.json). It is draft-04:
 * `id` becomes `$id` for ajv 8, and nothing else in it is draft-04 specific.
 */
function sarifValidator() {
  const schema = JSON.parse(readFileSync('test/fixtures/sarif-2.1.0-rtm.5.schema.json', 'utf8')) as Record<
    string,
    unknown
  >;
  const { $schema: _draft, id, ...rest } = schema;
  // One `pattern` in the schema (language codes) is not valid with the `u` flag ajv uses by default.
  return new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false }).compile({
    $id: String(id),
    ...rest,
  });
}

describe('SARIF output', () => {
  it('validates against the SARIF 2.1.0 schema, one result per failing finding anchored at the control line', () => {
    const policy = demoPolicy();
    const rep = report([
      ...users(3),
      result({ target: 'ok@x.example', status: 'pass' }),
      result({ target: 'ex@x.example', status: 'excepted' }),
    ]);
    const sarif = renderSarif(shown(rep), policy, process.cwd()) as {
      runs: {
        results: Record<string, unknown>[];
        tool: { driver: { rules: { id: string; properties: Record<string, string> }[] } };
      }[];
    };
    const validate = sarifValidator();
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const run = sarif.runs[0]!;
    expect(run.results).toHaveLength(3);
    const line = policy.controls.get('mfa.registration')?.line;
    expect(line).toBeGreaterThan(1);
    for (const r of run.results) {
      expect(r).toMatchObject({
        ruleId: 'mfa.registration',
        level: 'error',
        locations: [
          { physicalLocation: { artifactLocation: { uri: 'demo/demo-policy.json' }, region: { startLine: line } } },
        ],
      });
      expect(Object.keys(r.partialFingerprints as object)).toEqual([SARIF_FINGERPRINT_KEY]);
    }
    expect(run.tool.driver.rules[0]?.properties['security-severity']).toBe('8.0');
  });

  it('the validator rejects a result without a location (so the test can fail)', () => {
    const validate = sarifValidator();
    expect(
      validate({
        version: '2.1.0',
        runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: 'not an object' }] }],
      }),
    ).toBe(false);
  });

  it('with the bundled policy, points at .mailwarden/policy.json in the checkout (the file init writes), at the same lines', async () => {
    const { loadPolicy } = await import('../../src/policy/load-policy.js');
    const { policy } = await loadPolicy(undefined, new Date('2026-11-27T06:00:00Z'));
    const rep = { ...report(users(1)), policy: { ...report([]).policy, path: policy.path } };
    const sarif = renderSarif(shown(rep), policy, '/home/runner/work/it-audit/it-audit') as {
      runs: { results: { locations: { physicalLocation: unknown }[] }[]; originalUriBaseIds: unknown }[];
    };
    expect(sarif.runs[0]?.results[0]?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: '.mailwarden/policy.json', uriBaseId: '%SRCROOT%' },
      region: { startLine: policy.controls.get('mfa.registration')?.line },
    });
    expect(sarif.runs[0]?.originalUriBaseIds).toEqual({
      '%SRCROOT%': { uri: 'file:///home/runner/work/it-audit/it-audit/' },
    });
    expect(JSON.stringify(sarif)).not.toContain(policy.path);
  });

  it('messages and properties come from the report as shown: pseudonyms when redaction applies', () => {
    const rep = report([
      result({
        target: 'grady@contosohealth.example',
        message: 'Grady Archie (grady@contosohealth.example) is not registered.',
        evidence: { upn: 'grady@contosohealth.example', displayName: 'Grady Archie' },
      }),
    ]);
    const text = JSON.stringify(renderSarif(shown(rep, 'k'), demoPolicy(), process.cwd()));
    expect(text).not.toMatch(/grady|Grady Archie/i);
    expect(text).toMatch(/user-[0-9a-f]{10}/);
    expect(JSON.stringify(renderSarif(shown(rep), demoPolicy(), process.cwd()))).toContain(
      'grady@contosohealth.example',
    );
  });
});
