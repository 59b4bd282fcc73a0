import { normaliseName } from '../model/domain-name.js';
/**
 * DNS answers as captured: for each question (`name/TYPE`, lower-case name without the
 * trailing dot, upper-case type) the response code and the records. NXDOMAIN and NODATA
 * (NOERROR with no record of the type) are data; a timeout, SERVFAIL, REFUSED or a malformed
 * or mismatched reply is recorded as such so that replay gives the same `error`.
 */
export interface DnsAnswer {
  /** One of DnsRcode; typed as string so hand-written fixtures and other producers need no cast. */
  readonly rcode: string;
  /** The CNAME chain (if any) followed by the records of the asked type, in answer order. */
  readonly records: readonly DnsRecord[];
  /** Why the answer is not usable (timeout, malformed, mismatch), for evidence. */
  readonly detail?: string;
  /** The server that gave the answer (`host:port` or a DoH URL). */
  readonly server?: string;
}

/**
 * `NOERROR`, `NXDOMAIN`: data. Every other value makes the question fail closed:
 * `SERVFAIL`, `REFUSED`, `FORMERR`, `NOTIMP` (server rcodes), `TIMEOUT` (no answer in time or
 * past the run's DNS deadline), `MALFORMED` (undecodable, mismatched ID or question, or a
 * record outside our bounds), `NOT_COLLECTED` (replay of a question that was never asked).
 */
export type DnsRcode =
  | 'NOERROR'
  | 'NXDOMAIN'
  | 'SERVFAIL'
  | 'REFUSED'
  | 'FORMERR'
  | 'NOTIMP'
  | 'TIMEOUT'
  | 'MALFORMED'
  | 'NOT_COLLECTED';

/** Every DnsRcode: the values `dns/answers.json` may record (its schema lists them). */
export const DNS_RCODES: readonly DnsRcode[] = [
  'NOERROR',
  'NXDOMAIN',
  'SERVFAIL',
  'REFUSED',
  'FORMERR',
  'NOTIMP',
  'TIMEOUT',
  'MALFORMED',
  'NOT_COLLECTED',
];

export interface MxData {
  readonly preference: number;
  readonly exchange: string;
}

export interface DnsRecord {
  readonly name: string;
  readonly type: string;
  readonly ttl: number;
  /** TXT: the character-strings; MX: `{preference, exchange}`; A/AAAA/CNAME/PTR/NS: a string. */
  readonly data: string | readonly string[] | MxData;
}

/**
 * One HTTPS fetch made during DNS collection (the MTA-STS policy, RFC 8461 §3.3). Recorded so
 * the check stays pure over the snapshot. `status` 0 means no HTTP answer (`error` says why).
 */
export interface HttpsFetch {
  readonly status: number;
  readonly contentType?: string;
  readonly body?: string;
  readonly error?: string;
}

export interface DnsData {
  readonly answers: { readonly [question: string]: DnsAnswer };
  /** HTTPS fetches by URL; absent in snapshots that needed none. */
  readonly https?: { readonly [url: string]: HttpsFetch };
}

/** The key of a question: `name/TYPE`, name lower-case without the trailing dot. */
export function questionKey(name: string, type: string): string {
  return `${normaliseName(name)}/${type.toUpperCase()}`;
}

/** NOERROR and NXDOMAIN are data; any other code means the lookup failed. */
export function isDataAnswer(answer: DnsAnswer): boolean {
  return answer.rcode === 'NOERROR' || answer.rcode === 'NXDOMAIN';
}
