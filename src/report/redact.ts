import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import type { Json, JsonObject } from '../model/json.js';

/** `auto` redacts when the repository is public; the default, because issues there are world-readable. */
export type RedactMode = 'auto' | 'always' | 'never';

export const REDACT_MODES: readonly RedactMode[] = ['auto', 'always', 'never'];

export function isRedactMode(value: string): value is RedactMode {
  return (REDACT_MODES as readonly string[]).includes(value);
}

/**
 * Rewrites personal data into stable pseudonyms: UPNs and e-mail addresses (`user-…`), IP
 * addresses (`ip-…`), and people's names (`person-…`), including the display name inside an
 * Exchange recipient string (`"Lee" [SMTP:lee@…]`), names the evidence gives under a person's
 * keys, rule names (people name rules after people), and, once learned from the evidence, those
 * same names wherever else they appear in text.
 */
export interface Redactor {
  readonly enabled: boolean;
  text(value: string): string;
  json(value: JsonObject): JsonObject;
  /** Walks evidence for people's names, so `text` also replaces them inside sentences. */
  learn(value: Json): void;
}

// `#` is atext (RFC 5322 §3.2.3) and appears in guest UPNs (`name_gmail.com#EXT#@tenant`).
const EMAIL = /[A-Za-z0-9._%+'#-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const WHOLE_EMAIL = new RegExp(`^${EMAIL.source}$`);
const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2})?\b/g;
// Candidates only; node:net isIP decides, so times like 12:30:00 are left alone.
const IPV6 = /\b[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\/\d{1,3})?\b/g;
/**
 * An Exchange recipient string, `"Display Name" [SMTP:address]` or `Display Name [EX:…]`
 * (Get-InboxRule `RedirectTo`, `ForwardTo`, `ForwardAsAttachmentTo`): the name before the
 * bracket names a person as surely as the address does.
 */
const RECIPIENT_NAME = /"([^"\n]+)"(?=\s*\[(?:SMTP|smtp|EX|ex|X500|x500):)/g;

/** Keys whose string value names a person (or a rule a person named) wherever it appears. */
const ALWAYS_PERSON_KEYS = new Set([
  'userDisplayName',
  'MailboxOwnerId',
  'ForwardingAddress',
  'forwardingAddress',
  'contact',
  'ruleName',
  'user',
  'initiatedByDisplayName',
]);
/** Keys that name a person on an object that describes a person, mailbox or recipient. */
const NAME_KEYS = new Set([
  'displayName',
  'DisplayName',
  'name',
  'Name',
  'givenName',
  'surname',
  'FirstName',
  'LastName',
  'Alias',
]);
/** Properties that mark an object as a person, mailbox or recipient. */
const PERSON_MARKERS = [
  'upn',
  'userPrincipalName',
  'UserPrincipalName',
  'mail',
  'address',
  'externalAddress',
  'PrimarySmtpAddress',
  'userId',
  'mailbox',
];

function isPerson(object: JsonObject): boolean {
  return PERSON_MARKERS.some((marker) => typeof object[marker] === 'string');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A learned name is replaced inside sentences only when it cannot be an ordinary word: two words
 * at least ("Lee Gu", not "Lee" or "Mark"), so "Mark as read" stays readable. A one-word name is
 * still replaced where the evidence gives it as a name.
 */
function learnable(name: string): boolean {
  return /\S\s+\S/.test(name.trim()) && name.trim().length >= 4;
}

export const NO_REDACTION: Redactor = {
  enabled: false,
  text: (v) => v,
  json: (v) => v,
  learn: () => undefined,
};

/**
 * A redactor with stable pseudonyms: the same input gives the same pseudonym in every run (so an
 * unchanged finding still renders the same body and makes no write), keyed so a reader cannot
 * confirm a guessed address by hashing it unless they hold the key.
 */
export function redactor(key: string): Redactor {
  const pseudonym = (kind: string, value: string): string =>
    `${kind}-${createHmac('sha256', key).update(`${kind}\n${value.toLowerCase()}`).digest('hex').slice(0, 10)}`;
  const names = new Set<string>();
  let namePattern: RegExp | undefined;
  let dirty = false;
  const ip = (candidate: string): string => {
    const address = candidate.split('/')[0] ?? candidate;
    return isIP(address) !== 0 ? pseudonym('ip', candidate) : candidate;
  };
  const person = (value: string): string => pseudonym('person', value.trim());
  const learnName = (value: string): void => {
    const name = value.trim();
    if (!learnable(name) || WHOLE_EMAIL.test(name) || names.has(name.toLowerCase())) return;
    names.add(name.toLowerCase());
    dirty = true;
  };
  const knownNames = (): RegExp | undefined => {
    if (dirty) {
      // Longest first, so "Lee Gu Jr" wins over "Lee Gu"; whole words only, any case.
      const alternatives = [...names].sort((a, b) => b.length - a.length).map(escapeRegExp);
      namePattern =
        alternatives.length > 0
          ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'giu')
          : undefined;
      dirty = false;
    }
    return namePattern;
  };
  const text = (value: string): string => {
    let out = value.replace(RECIPIENT_NAME, (_m, name: string) => `"${person(name)}"`);
    const known = knownNames();
    if (known) out = out.replace(known, (m) => person(m));
    return out
      .replace(EMAIL, (m) => pseudonym('user', m))
      .replace(IPV4, ip)
      .replace(IPV6, ip);
  };
  /** A whole value that names someone: an address keeps the address pseudonym, anything else is a person. */
  const identity = (value: string): string => {
    const trimmed = value.trim();
    if (trimmed === '') return value;
    if (WHOLE_EMAIL.test(trimmed)) return pseudonym('user', trimmed);
    // A value holding an address or a recipient string keeps its shape; a bare name becomes one pseudonym.
    const inText = text(value);
    return inText !== value ? inText : person(value);
  };
  const personKey = (key: string | undefined, parent: JsonObject | undefined): boolean =>
    key !== undefined &&
    (ALWAYS_PERSON_KEYS.has(key) || (NAME_KEYS.has(key) && parent !== undefined && isPerson(parent)));
  const walk = (value: Json, key?: string, parent?: JsonObject): Json => {
    if (typeof value === 'string') return personKey(key, parent) ? identity(value) : text(value);
    if (Array.isArray(value)) return (value as readonly Json[]).map((v) => walk(v, key, parent));
    if (value !== null && typeof value === 'object') {
      const object = value as JsonObject;
      return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, walk(v, k, object)]));
    }
    return value;
  };
  const learn = (value: Json, key?: string, parent?: JsonObject): void => {
    if (typeof value === 'string') {
      if (personKey(key, parent)) learnName(value);
      for (const match of value.matchAll(RECIPIENT_NAME)) if (match[1]) learnName(match[1]);
    } else if (Array.isArray(value)) {
      for (const v of value as readonly Json[]) learn(v, key, parent);
    } else if (value !== null && typeof value === 'object') {
      const object = value as JsonObject;
      for (const [k, v] of Object.entries(object)) learn(v, k, object);
    }
  };
  return { enabled: true, text, json: (value) => walk(value) as JsonObject, learn: (value) => learn(value) };
}
