import type { DnsResolver } from '../snapshot/dns-resolver.js';
import type { DnsAnswer, DnsRecord, MxData } from '../snapshot/dns-types.js';
import { isDataAnswer } from '../snapshot/dns-types.js';
import { normaliseName } from '../model/domain-name.js';

/** A lookup that did not give data (timeout, SERVFAIL, REFUSED, malformed, not collected). */
export interface FailedQuery {
  readonly question: string;
  readonly rcode: string;
  readonly detail?: string;
  readonly server?: string;
}

export type Lookup<T> =
  | { readonly ok: true; readonly values: readonly T[]; readonly nxdomain: boolean }
  | { readonly ok: false; readonly failed: FailedQuery };

export function failedQuery(name: string, type: string, answer: DnsAnswer): FailedQuery {
  return {
    question: `${normaliseName(name)}/${type}`,
    rcode: answer.rcode,
    ...(answer.detail !== undefined ? { detail: answer.detail } : {}),
    ...(answer.server !== undefined ? { server: answer.server } : {}),
  };
}

/** The records of the asked type at the end of the CNAME chain (RFC 1034 §3.6.2). */
function finalRecords(answer: DnsAnswer, type: string): DnsRecord[] {
  return answer.records.filter((r) => r.type === type);
}

async function lookup<T>(
  resolver: DnsResolver,
  name: string,
  type: string,
  map: (r: DnsRecord) => T | undefined,
): Promise<Lookup<T>> {
  const answer = await resolver.resolve(name, type);
  if (!isDataAnswer(answer)) return { ok: false, failed: failedQuery(name, type, answer) };
  const values: T[] = [];
  for (const record of finalRecords(answer, type)) {
    const value = map(record);
    if (value !== undefined) values.push(value);
  }
  return { ok: true, values, nxdomain: answer.rcode === 'NXDOMAIN' };
}

/** TXT records, each the concatenation of its character-strings (RFC 7208 §3.3, RFC 6376 §3.6.2.2). */
export function lookupTxt(resolver: DnsResolver, name: string): Promise<Lookup<string>> {
  return lookup(resolver, name, 'TXT', (r) =>
    Array.isArray(r.data) ? r.data.join('') : typeof r.data === 'string' ? r.data : undefined,
  );
}

export function lookupAddresses(resolver: DnsResolver, name: string, type: 'A' | 'AAAA'): Promise<Lookup<string>> {
  return lookup(resolver, name, type, (r) => (typeof r.data === 'string' ? r.data : undefined));
}

export function lookupMx(resolver: DnsResolver, name: string): Promise<Lookup<MxData>> {
  return lookup(resolver, name, 'MX', (r) =>
    typeof r.data === 'object' && !Array.isArray(r.data) ? (r.data as MxData) : undefined,
  );
}

export function lookupPtr(resolver: DnsResolver, name: string): Promise<Lookup<string>> {
  return lookup(resolver, name, 'PTR', (r) => (typeof r.data === 'string' ? r.data : undefined));
}
