import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDkimKey } from '../../src/mailauth/dkim-key.js';

const FILE = new URL('../fixtures/conformance/dkim/key-records.json', import.meta.url);

interface KeyCase {
  id: string;
  record: string;
  txt_strings?: string[];
  signature?: { a?: string; d?: string; i?: string; usable: boolean };
  expect: {
    valid: boolean;
    error?: string;
    revoked?: boolean;
    key_type?: string;
    key_bits?: number;
    hash_algs?: string[];
    testing?: boolean;
    strict_subdomain?: boolean;
    usable_for_email?: boolean;
    lenient?: boolean;
  };
}

const cases = (JSON.parse(readFileSync(FILE, 'utf8')) as { cases: KeyCase[] }).cases;
let passed = 0;

describe('DKIM key records (key-records.json, RFC 6376 §3.6.1, RFC 8301, RFC 8463)', () => {
  for (const c of cases) {
    it(c.id, () => {
      const text = c.txt_strings ? c.txt_strings.join('') : c.record;
      const key = parseDkimKey(text, { minBits: 1024, ...(c.signature ? { signature: c.signature } : {}) });
      const got: Record<string, unknown> = {
        valid: key.valid,
        error: key.error,
        revoked: key.revoked,
        key_type: key.valid ? key.keyType : undefined,
        key_bits: key.keyBits,
        hash_algs: key.hashAlgs,
        testing: key.testing,
        strict_subdomain: key.strictSubdomain,
        usable_for_email: key.usableForEmail,
      };
      const expected: Record<string, unknown> = { ...c.expect };
      delete expected.lenient;
      // A valid record with no expected error must be usable and carry no error.
      if (expected.error === undefined) expected.error = undefined;
      const subset = Object.fromEntries(Object.keys(expected).map((k) => [k, got[k]]));
      if (c.signature)
        expect(key.error === undefined || !['hash-not-allowed', 'i-not-equal-d'].includes(key.error)).toBe(
          c.signature.usable,
        );
      expect(subset).toEqual(expected);
      passed++;
    });
  }
  afterAll(() => console.log(`DKIM key records: ${passed}/${cases.length} passed`));
});
