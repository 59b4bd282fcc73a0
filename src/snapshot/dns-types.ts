/**
 * DNS answers as captured: for each question (`name/TYPE`, lower-case name without the
 * trailing dot) the response code and the records. NXDOMAIN and NODATA are data; a
 * timeout or SERVFAIL is recorded as such so that replay gives the same `error`.
 */
export interface DnsAnswer {
  /** `NOERROR`, `NXDOMAIN`, `SERVFAIL`, `REFUSED`, `TIMEOUT`, `MALFORMED`. */
  readonly rcode: string;
  readonly records: readonly DnsRecord[];
}

export interface DnsRecord {
  readonly name: string;
  readonly type: string;
  readonly ttl: number;
  /** TXT: the character-strings; MX: `{preference, exchange}`; A/AAAA/CNAME/PTR/NS: a string. */
  readonly data: string | readonly string[] | { readonly preference: number; readonly exchange: string };
}

export interface DnsData {
  readonly answers: { readonly [question: string]: DnsAnswer };
}
