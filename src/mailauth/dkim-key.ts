import { createPublicKey } from 'node:crypto';

/**
 * DKIM key records (RFC 6376 §3.6.1), with RFC 8301 (RSA at least 1024 bits, no SHA-1 for
 * signing) and RFC 8463 (ed25519: the bare 32-byte key in p=).
 */
export type DkimKeyError =
  | 'bad-version'
  | 'unknown-key-type'
  | 'key-syntax'
  | 'missing-p'
  | 'duplicate-tag'
  | 'tag-syntax'
  | 'key-revoked'
  | 'key-too-short'
  | 'hash-not-allowed'
  | 'service-type'
  | 'i-not-equal-d';

export interface DkimKey {
  /** The record parses as a key record. */
  readonly valid: boolean;
  /** Why a verifier must not use the key (also set on some valid records: revoked, too short). */
  readonly error?: DkimKeyError;
  readonly detail?: string;
  readonly revoked: boolean;
  readonly keyType?: 'rsa' | 'ed25519';
  readonly keyBits?: number;
  /** h= (absent: any hash). */
  readonly hashAlgs?: readonly string[];
  /** t=y */
  readonly testing: boolean;
  /** t=s */
  readonly strictSubdomain: boolean;
  /** s= includes email or * (absent: *). */
  readonly usableForEmail: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

export interface DkimSignatureUse {
  /** a= of the signature, e.g. rsa-sha256. */
  readonly a?: string;
  readonly d?: string;
  readonly i?: string;
}

/** RFC 6376 §3.2 tag=value list. Tag names are case-sensitive; a duplicate invalidates the list. */
export function parseTagList(
  text: string,
): { tags: Record<string, string>; order: string[] } | { error: 'duplicate-tag' | 'tag-syntax'; detail: string } {
  const tags: Record<string, string> = {};
  const order: string[] = [];
  const parts = text.split(';');
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index] ?? '';
    if (part.trim() === '') {
      // Only a trailing ";" (or an empty record) may leave an empty part.
      if (index === parts.length - 1) continue;
      return { error: 'tag-syntax', detail: 'empty tag-spec' };
    }
    const eq = part.indexOf('=');
    if (eq < 0) return { error: 'tag-syntax', detail: `tag-spec "${part.trim()}" has no "="` };
    const name = part.slice(0, eq).trim();
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) return { error: 'tag-syntax', detail: `invalid tag name "${name}"` };
    if (Object.hasOwn(tags, name)) return { error: 'duplicate-tag', detail: `tag "${name}" appears twice` };
    tags[name] = part.slice(eq + 1).trim();
    order.push(name);
  }
  return { tags, order };
}

function keyBits(type: 'rsa' | 'ed25519', der: Buffer): number | string {
  if (type === 'ed25519') {
    // RFC 8463 §4.2: the base64 of the raw 32-byte public key, not a SubjectPublicKeyInfo.
    return der.length === 32 ? 256 : `ed25519 key is ${der.length} bytes, expected 32`;
  }
  // RFC 6376 §3.6.1 names RSAPublicKey, practice publishes SubjectPublicKeyInfo: accept both.
  for (const format of ['spki', 'pkcs1'] as const) {
    try {
      const key = createPublicKey({ key: der, format: 'der', type: format });
      if (key.asymmetricKeyType !== 'rsa') return `p= holds a ${key.asymmetricKeyType ?? 'non-RSA'} key`;
      const bits = key.asymmetricKeyDetails?.modulusLength;
      if (bits !== undefined) return bits;
    } catch {
      // Try the other encoding.
    }
  }
  return 'p= is not a DER-encoded RSA public key';
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Parses a key record and judges it for e-mail use; `minBits` defaults to RFC 8301's 1024. */
export function parseDkimKey(
  record: string,
  options: { minBits?: number; signature?: DkimSignatureUse } = {},
): DkimKey {
  const minBits = options.minBits ?? 1024;
  const base = { revoked: false, testing: false, strictSubdomain: false, usableForEmail: false, tags: {} };
  const list = parseTagList(record);
  if ('error' in list) return { ...base, valid: false, error: list.error, detail: list.detail };
  const { tags, order } = list;
  // §3.6.1 v=: if present it must be first and exactly "DKIM1".
  if (tags.v !== undefined && (order[0] !== 'v' || tags.v !== 'DKIM1')) {
    return { ...base, tags, valid: false, error: 'bad-version', detail: `v=${tags.v}` };
  }
  const k = tags.k ?? 'rsa';
  if (k !== 'rsa' && k !== 'ed25519')
    return { ...base, tags, valid: false, error: 'unknown-key-type', detail: `k=${k}` };
  if (tags.p === undefined) return { ...base, tags, valid: false, error: 'missing-p' };
  const flags = (tags.t ?? '').split(':').map((f) => f.trim());
  const services = tags.s === undefined ? ['*'] : tags.s.split(':').map((s) => s.trim());
  const hashAlgs = tags.h === undefined ? undefined : tags.h.split(':').map((h) => h.trim());
  const common = {
    tags,
    keyType: k,
    testing: flags.includes('y'),
    strictSubdomain: flags.includes('s'),
    usableForEmail: services.includes('email') || services.includes('*'),
    revoked: false,
    ...(hashAlgs ? { hashAlgs } : {}),
  } as const;
  const p = tags.p.replace(/[\s]/g, '');
  // §3.6.1: an empty p= means the key was revoked.
  if (p === '') return { ...common, valid: true, revoked: true, usableForEmail: false, error: 'key-revoked' };
  if (!BASE64.test(p) || p.length % 4 !== 0)
    return { ...common, valid: false, usableForEmail: false, error: 'key-syntax', detail: 'p= is not base64' };
  const bits = keyBits(k, Buffer.from(p, 'base64'));
  if (typeof bits === 'string')
    return { ...common, valid: false, usableForEmail: false, error: 'key-syntax', detail: bits };
  const key = { ...common, valid: true, keyBits: bits };
  if (!key.usableForEmail) return { ...key, error: 'service-type', detail: `s=${tags.s ?? ''}` };
  if (k === 'rsa' && bits < minBits)
    return {
      ...key,
      usableForEmail: false,
      error: 'key-too-short',
      detail: `${bits} bits, at least ${minBits} required`,
    };
  const signature = options.signature;
  if (signature?.a !== undefined && hashAlgs !== undefined) {
    const hash = signature.a.split('-')[1] ?? '';
    if (!hashAlgs.includes(hash))
      return { ...key, error: 'hash-not-allowed', detail: `h=${tags.h ?? ''} does not allow ${hash}` };
  }
  if (key.strictSubdomain && signature?.d !== undefined && signature.i !== undefined) {
    const iDomain = signature.i.slice(signature.i.lastIndexOf('@') + 1).toLowerCase();
    if (iDomain !== signature.d.toLowerCase())
      return { ...key, error: 'i-not-equal-d', detail: `t=s and i= domain ${iDomain} is not d=${signature.d}` };
  }
  return key;
}
