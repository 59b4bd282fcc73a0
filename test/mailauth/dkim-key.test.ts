import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type DkimKey, parseDkimKey, parseTagList } from '../../src/mailauth/dkim-key.js';

/** Real keys, made once: base64 DER as a DNS record carries it. */
const spki = (type: 'rsa' | 'ec', bits = 1024): string => {
  const { publicKey } =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: bits })
      : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
};
const RSA_1024 = spki('rsa');
const RSA_512 = spki('rsa', 512);
const EC = spki('ec');
const ED25519_RAW = Buffer.alloc(32, 7).toString('base64');

function errorOf(key: DkimKey): { valid: boolean; error?: string; detail?: string } {
  return { valid: key.valid, error: key.error, detail: key.detail };
}

describe('DKIM tag lists (RFC 6376 §3.2)', () => {
  it('an empty tag-spec anywhere but at the end is a syntax error', () => {
    expect(parseTagList('v=DKIM1; ; p=')).toEqual({ error: 'tag-syntax', detail: 'empty tag-spec' });
    expect(parseTagList('v=DKIM1;; p=')).toEqual({ error: 'tag-syntax', detail: 'empty tag-spec' });
    expect(parseTagList('v=DKIM1; p=;')).toEqual({ tags: { v: 'DKIM1', p: '' }, order: ['v', 'p'] });
  });

  it('a tag-spec without "=" is named, trimmed', () => {
    expect(parseTagList('v=DKIM1; foo ; p=')).toEqual({ error: 'tag-syntax', detail: 'tag-spec "foo" has no "="' });
  });

  it('tag names start with a letter and hold letters, digits, "_" and "-"', () => {
    expect(parseTagList('=x')).toEqual({ error: 'tag-syntax', detail: 'invalid tag name ""' });
    expect(parseTagList('1k=rsa')).toEqual({ error: 'tag-syntax', detail: 'invalid tag name "1k"' });
    expect(parseTagList('a.b=1')).toEqual({ error: 'tag-syntax', detail: 'invalid tag name "a.b"' });
    expect(parseTagList('x-y_1=2')).toEqual({ tags: { 'x-y_1': '2' }, order: ['x-y_1'] });
  });

  it('a duplicate tag is named', () => {
    expect(parseTagList('p=a; p=b')).toEqual({ error: 'duplicate-tag', detail: 'tag "p" appears twice' });
  });

  it('a record that does not parse is invalid, not revoked, not testing and not usable', () => {
    expect(parseDkimKey('v=DKIM1;; p=')).toEqual({
      valid: false,
      error: 'tag-syntax',
      detail: 'empty tag-spec',
      revoked: false,
      testing: false,
      strictSubdomain: false,
      usableForEmail: false,
      tags: {},
    });
  });
});

describe('DKIM key records (RFC 6376 §3.6.1)', () => {
  it('names a wrong version and an unknown key type', () => {
    expect(errorOf(parseDkimKey(`v=DKIM2; p=${RSA_1024}`))).toEqual({
      valid: false,
      error: 'bad-version',
      detail: 'v=DKIM2',
    });
    expect(errorOf(parseDkimKey(`k=dsa; p=${RSA_1024}`))).toEqual({
      valid: false,
      error: 'unknown-key-type',
      detail: 'k=dsa',
    });
  });

  it('reads a 1024-bit RSA key', () => {
    const key = parseDkimKey(`v=DKIM1; k=rsa; p=${RSA_1024}`);
    expect(key).toMatchObject({ valid: true, keyType: 'rsa', keyBits: 1024, usableForEmail: true, revoked: false });
    expect(key.error).toBeUndefined();
  });

  it('an empty p= is a revoked key, not usable', () => {
    const key = parseDkimKey('v=DKIM1; p=');
    expect(key).toMatchObject({ valid: true, revoked: true, usableForEmail: false, error: 'key-revoked' });
  });

  it('p= that is not base64 is a key syntax error', () => {
    const notBase64 = { valid: false, error: 'key-syntax', detail: 'p= is not base64' };
    expect(errorOf(parseDkimKey('p=abc'))).toEqual(notBase64);
    expect(errorOf(parseDkimKey('p=ab!c'))).toEqual(notBase64);
    expect(parseDkimKey('p=abc').usableForEmail).toBe(false);
  });

  it('base64 that is no RSA key is a key syntax error', () => {
    const random = Buffer.from('not a key at all, just text').toString('base64');
    const key = parseDkimKey(`p=${random}`);
    expect(errorOf(key)).toEqual({
      valid: false,
      error: 'key-syntax',
      detail: 'p= is not a DER-encoded RSA public key',
    });
    expect(key.usableForEmail).toBe(false);
  });

  it('an EC key under k=rsa is named', () => {
    expect(errorOf(parseDkimKey(`p=${EC}`))).toEqual({
      valid: false,
      error: 'key-syntax',
      detail: 'p= holds a ec key',
    });
  });

  it('an ed25519 key must be the bare 32 bytes (RFC 8463 §4.2)', () => {
    expect(parseDkimKey(`k=ed25519; p=${ED25519_RAW}`)).toMatchObject({ valid: true, keyBits: 256 });
    expect(errorOf(parseDkimKey(`k=ed25519; p=${Buffer.alloc(44, 1).toString('base64')}`))).toEqual({
      valid: false,
      error: 'key-syntax',
      detail: 'ed25519 key is 44 bytes, expected 32',
    });
  });

  it('an RSA key under the minimum is too short (RFC 8301)', () => {
    const key = parseDkimKey(`p=${RSA_512}`);
    expect(key).toMatchObject({
      valid: true,
      keyBits: 512,
      usableForEmail: false,
      error: 'key-too-short',
      detail: '512 bits, at least 1024 required',
    });
  });

  it('t= flags: y is testing, s is strict, other flags are ignored, blanks around flags allowed', () => {
    expect(parseDkimKey(`t=y : s; p=${RSA_1024}`)).toMatchObject({ testing: true, strictSubdomain: true });
    expect(parseDkimKey(`t=ys; p=${RSA_1024}`)).toMatchObject({ testing: false, strictSubdomain: false });
    expect(parseDkimKey(`p=${RSA_1024}`)).toMatchObject({ testing: false, strictSubdomain: false });
  });

  it('s= must name email or *, blanks allowed; otherwise the key is not for e-mail', () => {
    expect(parseDkimKey(`s=tlsrpt : email; p=${RSA_1024}`).usableForEmail).toBe(true);
    expect(parseDkimKey(`s=tlsrpt ; p=${RSA_1024}`)).toMatchObject({
      valid: true,
      usableForEmail: false,
      error: 'service-type',
      detail: 's=tlsrpt',
    });
  });

  it('h= lists the hash algorithms, blanks allowed', () => {
    expect(parseDkimKey(`h=sha1 : sha256; p=${RSA_1024}`).hashAlgs).toEqual(['sha1', 'sha256']);
    expect(parseDkimKey(`p=${RSA_1024}`).hashAlgs).toBeUndefined();
  });
});

describe('DKIM key use by a signature', () => {
  it('without a signature, or a signature without a=, h= is not checked', () => {
    expect(parseDkimKey(`h=sha256; p=${RSA_1024}`).error).toBeUndefined();
    expect(parseDkimKey(`h=sha256; p=${RSA_1024}`, { signature: { d: 'example.test' } }).error).toBeUndefined();
  });

  it('a signature a= against a key without h= is allowed', () => {
    expect(parseDkimKey(`p=${RSA_1024}`, { signature: { a: 'rsa-sha1' } }).error).toBeUndefined();
  });

  it('a hash that h= does not list is named', () => {
    expect(parseDkimKey(`h=sha256; p=${RSA_1024}`, { signature: { a: 'rsa-sha1' } })).toMatchObject({
      error: 'hash-not-allowed',
      detail: 'h=sha256 does not allow sha1',
    });
    expect(parseDkimKey(`h=sha256; p=${RSA_1024}`, { signature: { a: 'rsa' } })).toMatchObject({
      error: 'hash-not-allowed',
      detail: 'h=sha256 does not allow ',
    });
    expect(parseDkimKey(`h=sha256; p=${RSA_1024}`, { signature: { a: 'rsa-sha256' } }).error).toBeUndefined();
  });

  it('t=s needs the i= domain to equal d=, in any case', () => {
    expect(
      parseDkimKey(`t=s; p=${RSA_1024}`, { signature: { d: 'example.test', i: 'a@sub.example.test' } }),
    ).toMatchObject({ error: 'i-not-equal-d', detail: 't=s and i= domain sub.example.test is not d=example.test' });
    expect(
      parseDkimKey(`t=s; p=${RSA_1024}`, { signature: { d: 'Example.test', i: 'a@EXAMPLE.test' } }).error,
    ).toBeUndefined();
    expect(parseDkimKey(`t=s; p=${RSA_1024}`, { signature: { d: 'example.test' } }).error).toBeUndefined();
    expect(
      parseDkimKey(`p=${RSA_1024}`, { signature: { d: 'example.test', i: 'a@sub.example.test' } }).error,
    ).toBeUndefined();
  });
});
