import * as packet from 'dns-packet';
import type { DnsAnswer, DnsRcode, DnsRecord, MxData } from '../../snapshot/dns-types.js';
import { normaliseName } from '../../snapshot/dns-types.js';

/** The record types the audit asks for. */
export const QUERY_TYPES = ['A', 'AAAA', 'MX', 'TXT', 'PTR', 'CNAME', 'NS'] as const;
export type QueryType = (typeof QUERY_TYPES)[number];

export function isQueryType(type: string): type is QueryType {
  return (QUERY_TYPES as readonly string[]).includes(type);
}

/** EDNS0 payload size: the DNS Flag Day 2020 value, which avoids IP fragmentation. */
export const EDNS_UDP_SIZE = 1232;

/**
 * Bounds on TXT data. A record outside them is not something a mail receiver would act on,
 * and the bad-input cases (10 KB records, 100 strings in one record, non-ASCII bytes)
 * must end as `error` with evidence rather than be half-parsed.
 */
export const TXT_LIMITS = { maxRecordBytes: 4096, maxStrings: 64 } as const;

export function encodeQuery(id: number, name: string, type: QueryType): Buffer {
  return packet.encode({
    type: 'query',
    id,
    flags: packet.RECURSION_DESIRED,
    questions: [{ type, class: 'IN', name }],
    // RFC 6891: an OPT pseudo-record advertises the larger UDP payload.
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: EDNS_UDP_SIZE, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }],
  });
}

const RCODES: Readonly<Record<number, DnsRcode>> = { 0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED' };

export type Decoded =
  | { readonly kind: 'answer'; readonly answer: DnsAnswer; readonly truncated: boolean }
  | { readonly kind: 'bad'; readonly detail: string };

function txtStrings(data: unknown): Buffer[] {
  const list = Array.isArray(data) ? data : [data];
  return list.map((s: unknown) => (Buffer.isBuffer(s) ? s : Buffer.from(String(s), 'latin1')));
}

/** Turns one decoded resource record into our record shape; a string says why it is unacceptable. */
function toRecord(rr: packet.Answer): DnsRecord | string | undefined {
  const name = normaliseName(rr.name);
  const ttl = 'ttl' in rr && typeof rr.ttl === 'number' ? rr.ttl : 0;
  switch (rr.type) {
    case 'A':
    case 'AAAA':
    case 'NS':
    case 'PTR':
    case 'CNAME':
      return { name, type: rr.type, ttl, data: rr.type === 'A' || rr.type === 'AAAA' ? rr.data : normaliseName(rr.data) };
    case 'MX': {
      const mx: MxData = { preference: rr.data.preference ?? 0, exchange: normaliseName(rr.data.exchange) };
      return { name, type: 'MX', ttl, data: mx };
    }
    case 'TXT': {
      const strings = txtStrings(rr.data);
      const bytes = strings.reduce((n, s) => n + s.length, 0);
      if (strings.length > TXT_LIMITS.maxStrings) {
        return `TXT record at ${name} has ${strings.length} character-strings (limit ${TXT_LIMITS.maxStrings})`;
      }
      if (bytes > TXT_LIMITS.maxRecordBytes) return `TXT record at ${name} has ${bytes} bytes (limit ${TXT_LIMITS.maxRecordBytes})`;
      for (const s of strings) {
        const bad = s.findIndex((b) => b > 0x7e || (b < 0x20 && b !== 0x09));
        if (bad >= 0) {
          return `TXT record at ${name} has a non-ASCII or control byte 0x${(s[bad] ?? 0).toString(16)}`;
        }
      }
      return { name, type: 'TXT', ttl, data: strings.map((s) => s.toString('latin1')) };
    }
    default:
      return undefined;
  }
}

/**
 * Decodes and validates a reply: it must be a response with our ID and our question
 * (RFC 5452 §9.1), and every record we keep must be within bounds. Otherwise `bad`.
 */
export function decodeReply(buffer: Buffer, id: number, name: string, type: QueryType): Decoded {
  let reply: packet.DecodedPacket;
  try {
    reply = packet.decode(buffer);
  } catch (error: unknown) {
    return { kind: 'bad', detail: `undecodable reply (${error instanceof Error ? error.message : String(error)})` };
  }
  if (reply.type !== 'response') return { kind: 'bad', detail: 'reply is not a response (QR bit clear)' };
  if (reply.id !== id) return { kind: 'bad', detail: `reply ID ${reply.id ?? '?'} does not match query ID ${id}` };
  const question = reply.questions?.[0];
  if (
    reply.questions?.length !== 1 ||
    question === undefined ||
    normaliseName(question.name) !== normaliseName(name) ||
    question.type !== type
  ) {
    const got = question ? `${question.name}/${question.type}` : 'no question';
    return { kind: 'bad', detail: `reply question ${got} does not match ${normaliseName(name)}/${type}` };
  }
  const flags = reply.flags ?? 0;
  const rcode = RCODES[flags & 0xf];
  if (rcode === undefined) return { kind: 'bad', detail: `unknown rcode ${flags & 0xf}` };
  const truncated = (flags & packet.TRUNCATED_RESPONSE) !== 0;
  const records: DnsRecord[] = [];
  for (const rr of reply.answers ?? []) {
    const record = toRecord(rr);
    if (typeof record === 'string') return { kind: 'bad', detail: record };
    if (record !== undefined) records.push(record);
  }
  return { kind: 'answer', answer: { rcode, records }, truncated };
}
