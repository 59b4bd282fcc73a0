import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import type { Json, JsonObject } from '../model/json.js';

/** `auto` redacts when the repository is public; the default, because issues there are world-readable. */
export type RedactMode = 'auto' | 'always' | 'never';

export const REDACT_MODES: readonly RedactMode[] = ['auto', 'always', 'never'];

export function isRedactMode(value: string): value is RedactMode {
  return (REDACT_MODES as readonly string[]).includes(value);
}

/** Rewrites personal data (UPNs, e-mail addresses, IP addresses, display names) into pseudonyms. */
export interface Redactor {
  readonly enabled: boolean;
  text(value: string): string;
  json(value: JsonObject): JsonObject;
}

const EMAIL = /[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2})?\b/g;
// Candidates only; node:net isIP decides, so times like 12:30:00 are left alone.
const IPV6 = /\b[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\/\d{1,3})?\b/g;
/** Keys whose values name a person. */
const PERSON_KEYS = /^(displayName|userDisplayName|givenName|surname|name|ownerDisplayName)$/;

export const NO_REDACTION: Redactor = { enabled: false, text: (v) => v, json: (v) => v };

/**
 * A redactor with stable pseudonyms: the same input gives the same pseudonym in every run (so an
 * unchanged finding still renders the same body and makes no write), keyed so a reader cannot
 * confirm a guessed address by hashing it unless they hold the key.
 */
export function redactor(key: string): Redactor {
  const pseudonym = (kind: string, value: string): string =>
    `${kind}-${createHmac('sha256', key).update(`${kind}\n${value.toLowerCase()}`).digest('hex').slice(0, 10)}`;
  const ip = (candidate: string): string => {
    const address = candidate.split('/')[0] ?? candidate;
    return isIP(address) !== 0 ? pseudonym('ip', candidate) : candidate;
  };
  const text = (value: string): string =>
    value
      .replace(EMAIL, (m) => pseudonym('user', m))
      .replace(IPV4, ip)
      .replace(IPV6, ip);
  const walk = (value: Json, key?: string): Json => {
    if (typeof value === 'string') return key && PERSON_KEYS.test(key) ? pseudonym('person', value) : text(value);
    if (Array.isArray(value)) return (value as readonly Json[]).map((v) => walk(v));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value as JsonObject).map(([k, v]) => [k, walk(v, k)]));
    }
    return value;
  };
  return { enabled: true, text, json: (value) => walk(value) as JsonObject };
}
