import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import type { PageStream, Snapshot, SourceDataMap } from '../snapshot/snapshot.js';
import type { SourceId } from '../snapshot/source-id.js';
import { STREAMED_SOURCES } from '../snapshot/folder-layout.js';

/**
 * Pseudonymisation of a snapshot for an evidence pack that leaves the organisation.
 *
 * Verdicts must reproduce from the redacted copy (an auditor re-evaluates it with
 * `verify-evidence`), so the transform keeps what checks compare and hides who it is about:
 * - e-mail addresses and UPNs keep their domain (internal vs external forwarding is judged by
 *   domain) and get a keyed-hash local part; the same address always gets the same pseudonym,
 *   so joins across sources still hold;
 * - people's names (display names, mailbox names, aliases and identities, recipient names,
 *   `ForwardingAddress`) become keyed pseudonyms; the same name always gets the same pseudonym,
 *   so a forwarding target still resolves to its recipient;
 * - IP addresses keep their network (IPv4 /24, IPv6 /48, so named-location and allow-list
 *   ranges up to that length still match) and get a keyed, one-to-one host part, so distinct
 *   addresses stay distinct (password-spray counts) and equal ones stay equal;
 * - DNS answers are public and are never changed (a DMARC `rua` address is policy, not a person);
 * - identifiers the policy file already names (exception targets) stay in clear, so exceptions
 *   still match; the policy is in the pack anyway.
 * Locations (country, city, coordinates), timestamps, IDs and settings are kept: checks judge them.
 */

export interface RedactionOptions {
  /** HMAC key. A fresh random key per run makes pseudonyms unlinkable across runs. */
  readonly key: string;
  /** Values (e-mail addresses, IPs) to keep in clear, compared case-insensitively. */
  readonly keep: ReadonlySet<string>;
}

/**
 * Keys whose string value is a person's name (or address) wherever it appears: among them who
 * holds a role or a mailbox permission, and the recipients a mail-flow rule adds, which name
 * mailboxes the way Get-Mailbox does, so both get the same pseudonym and still resolve.
 */
const ALWAYS_NAME_KEYS = new Set([
  'userDisplayName',
  'MailboxOwnerId',
  'initiatedByDisplayName',
  'ForwardingAddress',
  'principalDisplayName',
  'Trustee',
  'RedirectMessageTo',
  'BlindCopyTo',
  'CopyTo',
  'AddToRecipients',
]);

/**
 * Mailbox permission holders that are not people: the mailbox itself and the system accounts
 * (`NT AUTHORITY\SELF`), deleted accounts' SIDs, and object IDs (an app's Exchange service
 * principal is shown by its ObjectId, which Get-ServicePrincipal lists in clear). Kept in clear,
 * so the checks still tell them apart from delegates and match an app's grants to the app.
 */
const WELL_KNOWN_HOLDER =
  /^(?:NT AUTHORITY\\.+|S-1-5(?:-\d+)+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** Keys that hold a person's name on an object that describes a person or mailbox. */
const PERSON_NAME_KEYS = new Set([
  'displayName',
  'DisplayName',
  'Name',
  'Alias',
  'name',
  'givenName',
  'surname',
  'FirstName',
  'LastName',
  'Identity',
]);

/** Objects owned by a mailbox (Exchange inbox rules): their `Identity` is `<owner>\\<rule id>`. */
const OWNED_MARKERS = ['MailboxOwnerId'];

/**
 * Properties that mark an object as a person, mailbox or recipient, or as describing one (a
 * mailbox's permission entries, a SendAs entry, an account's audit bypass): its names are names.
 */
const PERSON_MARKERS = [
  'userPrincipalName',
  'UserPrincipalName',
  'PrimarySmtpAddress',
  'WindowsEmailAddress',
  'address',
  'MailboxUserPrincipalName',
  'Trustee',
];

/** Booleans that mark an object as describing an account (Get-MailboxAuditBypassAssociation). */
const ACCOUNT_MARKERS = ['AuditBypassEnabled'];

/** An Exchange recipient string `"Display Name" [SMTP:address]`: the quoted part names a person. */
const QUOTED_NAME = /"([^"]+)"(?=\s*\[)/g;

// `#` is atext (RFC 5322 §3.2.3) and appears in guest UPNs (`name_gmail.com#EXT#@tenant`).
const EMAIL = /[A-Za-z0-9._%+'#-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g;

function isPersonObject(object: { readonly [key: string]: unknown }): boolean {
  if (PERSON_MARKERS.some((marker) => typeof object[marker] === 'string')) return true;
  if (ACCOUNT_MARKERS.some((marker) => typeof object[marker] === 'boolean')) return true;
  const type = object['@odata.type'];
  return typeof type === 'string' && type.toLowerCase().endsWith('.user');
}

export class Redactor {
  private readonly hostPermutations = new Map<string, number[]>();
  /** How many values were pseudonymised, by kind; recorded in the pack's report. */
  readonly counts = { emails: 0, names: 0, ips: 0 };

  constructor(private readonly options: RedactionOptions) {}

  private hash(kind: string, value: string): string {
    return createHmac('sha256', this.options.key).update(`${kind}\u0000${value.toLowerCase()}`).digest('hex');
  }

  private kept(value: string): boolean {
    return this.options.keep.has(value.toLowerCase());
  }

  email(address: string, domain: string): string {
    if (this.kept(address)) return address;
    this.counts.emails++;
    return `u-${this.hash('email', address).slice(0, 12)}@${domain.toLowerCase()}`;
  }

  name(value: string): string {
    if (value === '' || this.kept(value)) return value;
    // An Exchange identity `owner\rule` keeps its shape; only the owner part names a person.
    const slash = value.indexOf('\\');
    if (slash > 0) return `${this.name(value.slice(0, slash))}${value.slice(slash)}`;
    this.counts.names++;
    return `person-${this.hash('name', value).slice(0, 10)}`;
  }

  /** A keyed permutation of 0..255 per /24, so the host octet maps one-to-one. */
  private permutation(prefix: string): number[] {
    let table = this.hostPermutations.get(prefix);
    if (!table) {
      const order = Array.from({ length: 256 }, (_, i) => ({ i, h: this.hash('ipv4-host', `${prefix}.${i}`) }));
      order.sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0));
      table = order.map((o) => o.i);
      this.hostPermutations.set(prefix, table);
    }
    return table;
  }

  ip(address: string): string {
    if (this.kept(address)) return address;
    const family = isIP(address);
    if (family === 4) {
      const parts = address.split('.');
      const prefix = parts.slice(0, 3).join('.');
      this.counts.ips++;
      return `${prefix}.${this.permutation(prefix)[Number(parts[3])]}`;
    }
    if (family === 6) {
      const groups = expandIpv6(address);
      if (!groups) return address;
      const host = this.hash('ipv6-host', groups.join(':')).slice(0, 20);
      const pseudo = [
        ...groups.slice(0, 3),
        host.slice(0, 4),
        host.slice(4, 8),
        host.slice(8, 12),
        host.slice(12, 16),
        host.slice(16, 20),
      ];
      this.counts.ips++;
      return pseudo.map((g) => g.replace(/^0+(?=.)/, '')).join(':');
    }
    return address;
  }

  string(value: string): string {
    if (isIP(value) !== 0) return this.ip(value);
    return value
      .replace(QUOTED_NAME, (_match, name: string) => `"${this.name(name)}"`)
      .replace(EMAIL, (match, domain: string) => this.email(match, domain));
  }

  value(value: unknown, key?: string, personObject = false): unknown {
    if (typeof value === 'string') {
      if ((key === 'User' || key === 'Trustee') && WELL_KNOWN_HOLDER.test(value.trim())) return value;
      if (key === 'User' && personObject) return value.includes('@') ? this.string(value) : this.name(value);
      if (key !== undefined && (ALWAYS_NAME_KEYS.has(key) || (personObject && PERSON_NAME_KEYS.has(key)))) {
        // A name field that holds an address is still an address: keep its domain.
        return value.includes('@') ? this.string(value) : this.name(value);
      }
      return this.string(value);
    }
    if (Array.isArray(value)) return value.map((item) => this.value(item, key, personObject));
    if (typeof value === 'object' && value !== null) {
      const object = value as { readonly [key: string]: unknown };
      const person = isPersonObject(object);
      const owned = OWNED_MARKERS.some((marker) => typeof object[marker] === 'string');
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(object)) {
        out[k] = owned && k === 'Identity' && typeof v === 'string' ? this.name(v) : this.value(v, k, person);
      }
      return out;
    }
    return value;
  }
}

/** Eight 4-digit hex groups of an IPv6 address, or undefined for forms we do not expand. */
function expandIpv6(address: string): string[] | undefined {
  if (address.includes('.')) return undefined; // IPv4-mapped: rare in sign-in logs; left as is.
  const [head = '', tail] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array.from({ length: missing }, () => '0'), ...right];
  return groups.length === 8 ? groups.map((g) => g.toLowerCase().padStart(4, '0')) : undefined;
}

/** Identifiers the policy names in exceptions: e-mail addresses and IPs found in the targets. */
export function keptIdentifiers(targets: readonly string[]): Set<string> {
  const keep = new Set<string>();
  for (const target of targets) {
    for (const match of target.matchAll(EMAIL)) keep.add(match[0].toLowerCase());
    for (const part of target.split('/')) if (isIP(part) !== 0) keep.add(part.toLowerCase());
    keep.add(target.toLowerCase());
  }
  return keep;
}

/** Sources that hold public data and are never redacted. */
const PUBLIC_SOURCES: ReadonlySet<SourceId> = new Set(['dns']);

/** A view of `snapshot` with personal data pseudonymised; streams are redacted page by page. */
export function redactSnapshot(snapshot: Snapshot, redactor: Redactor): Snapshot {
  const cache = new Map<SourceId, unknown>();
  return {
    manifest: snapshot.manifest,
    status: (id) => snapshot.status(id),
    data<K extends SourceId>(id: K): SourceDataMap[K] {
      const raw = snapshot.data(id);
      if (PUBLIC_SOURCES.has(id)) return raw;
      if (STREAMED_SOURCES.has(id)) {
        const stream = raw as unknown as PageStream<unknown>;
        const redacted: PageStream<unknown> = {
          async *pages() {
            for await (const page of stream.pages()) yield page.map((item) => redactor.value(item));
          },
        };
        return redacted as SourceDataMap[K];
      }
      if (!cache.has(id)) cache.set(id, redactor.value(raw));
      return cache.get(id) as SourceDataMap[K];
    },
  };
}
