import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { SignInState } from './sign-in-state.js';

/*
 * The carried state holds user names, addresses and places: personal data, and GitHub warns that
 * anyone who can open a pull request may read a repository's Actions caches ("We recommend that
 * you don't store any sensitive information … in files in the cache path", docs: dependency
 * caching). So it is sealed with AES-256-GCM (NIST SP 800-38D), which also authenticates it: a
 * truncated, tampered or foreign file fails to open, and the run starts fresh instead of
 * trusting it. The key is derived with HKDF-SHA256 (RFC 5869) from a secret the user holds.
 *
 * Layout: "MWSIGNIN" · version (1 byte) · salt (16) · IV (12) · tag (16) · ciphertext of the
 * gzipped JSON. The header (magic, version, salt) is the GCM additional data.
 */

const MAGIC = Buffer.from('MWSIGNIN', 'ascii');
/** Raised whenever what a state holds, or means, changes: an older state is then not continued. */
export const STATE_FORMAT_VERSION = 1;
const SALT = 16;
const IV = 12;
const TAG = 16;
const HEADER = MAGIC.length + 1 + SALT;
/** A state of 100,000 users is a few MB (bench/incremental.ts); far more is not one we wrote. */
export const MAX_STATE_BYTES = 512 * 1024 * 1024;

/** Why a state could not be continued; the run then reads its full look-back window. */
export type StateProblem =
  | { readonly kind: 'truncated' }
  | { readonly kind: 'not-a-state' }
  | { readonly kind: 'version'; readonly found: number }
  | { readonly kind: 'unreadable' }
  | { readonly kind: 'too-large'; readonly bytes: number };

function keyOf(secret: string, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), salt, 'mailwarden sign-in state', 32));
}

/** The state, sealed with a key derived from `secret`. */
export function sealState(state: SignInState, secret: string): Buffer {
  const salt = randomBytes(SALT);
  const iv = randomBytes(IV);
  const header = Buffer.concat([MAGIC, Buffer.from([STATE_FORMAT_VERSION]), salt]);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret, salt), iv);
  cipher.setAAD(header);
  const body = Buffer.concat([cipher.update(gzipSync(JSON.stringify(state))), cipher.final()]);
  return Buffer.concat([header, iv, cipher.getAuthTag(), body]);
}

/** Opens a sealed state, or says why it cannot be trusted. */
export function openState(
  bytes: Buffer,
  secret: string,
): { readonly state: SignInState } | { readonly problem: StateProblem } {
  if (bytes.length > MAX_STATE_BYTES) return { problem: { kind: 'too-large', bytes: bytes.length } };
  if (bytes.length < MAGIC.length) return { problem: { kind: 'truncated' } };
  if (!bytes.subarray(0, MAGIC.length).equals(MAGIC)) return { problem: { kind: 'not-a-state' } };
  if (bytes.length < HEADER + IV + TAG) return { problem: { kind: 'truncated' } };
  const version = bytes[MAGIC.length] ?? 0;
  if (version !== STATE_FORMAT_VERSION) return { problem: { kind: 'version', found: version } };
  const salt = bytes.subarray(MAGIC.length + 1, HEADER);
  const iv = bytes.subarray(HEADER, HEADER + IV);
  const tag = bytes.subarray(HEADER + IV, HEADER + IV + TAG);
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(secret, salt), iv);
    decipher.setAAD(bytes.subarray(0, HEADER));
    decipher.setAuthTag(tag);
    plain = Buffer.concat([decipher.update(bytes.subarray(HEADER + IV + TAG)), decipher.final()]);
  } catch {
    // GCM cannot tell a wrong key from changed bytes: either way nothing in it is trusted.
    return { problem: { kind: 'unreadable' } };
  }
  // Authenticated, so written by us with this key: a state that does not parse is a bug, not input.
  return { state: JSON.parse(gunzipSync(plain).toString('utf8')) as SignInState };
}

/** One line for the log: why the state was not continued. */
export function problemText(problem: StateProblem): string {
  switch (problem.kind) {
    case 'truncated':
      return 'it is truncated';
    case 'not-a-state':
      return 'it is not a mailwarden sign-in state';
    case 'version':
      return `it is in state format ${problem.found}, and this version reads format ${STATE_FORMAT_VERSION}`;
    case 'unreadable':
      return 'it does not open with this key (another key, or the file was changed)';
    case 'too-large':
      return `it is ${problem.bytes} bytes, more than the ${MAX_STATE_BYTES} a state can be`;
  }
}
