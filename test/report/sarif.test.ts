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
});
