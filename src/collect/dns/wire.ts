import * as packet from 'dns-packet';
import type { DnsAnswer, DnsRcode, DnsRecord, MxData } from '../../snapshot/dns-types.js';
import { normaliseName } from '../../snapshot/dns-types.js';
import { readReply, type ReplyRecord } from './read-reply.js';

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

const TYPE_CODES: Readonly<Record<QueryType, number>> = { A: 1, NS: 2, CNAME: 5, PTR: 12, MX: 15, TXT: 16, AAAA: 28 };

/**
 * The query message (RFC 1035 §4.1): header with RD set, one question of class IN, and an
 * OPT pseudo-record advertising EDNS_UDP_SIZE (RFC 6891 §6.1.2). Written directly: the same
 * bytes as dns-packet's encode (test/collect/dns/read-reply.test.ts checks), without its
 * per-call length pass and object walk, which profiling showed at ~10 % of a query's CPU.
 */
export function encodeQuery(id: number, name: string, type: QueryType): Buffer {
  const labels = name.replace(/^\.|\.$/g, '').split('.').filter((l) => l.length > 0);
  let nameLength = 1;
  for (const label of labels) nameLength += Buffer.byteLength(label) + 1;
  const buf = Buffer.allocUnsafe(12 + nameLength + 4 + 11);
  buf.writeUInt16BE(id, 0);
  buf.writeUInt16BE(packet.RECURSION_DESIRED, 2);
  buf.writeUInt32BE(0x0001_0000, 4); // QDCOUNT 1, ANCOUNT 0
  buf.writeUInt32BE(0x0000_0001, 8); // NSCOUNT 0, ARCOUNT 1: the OPT record
  let offset = 12;
  for (const label of labels) {
    const length = buf.write(label, offset + 1);
    buf[offset] = length;
    offset += length + 1;
  }
  buf[offset++] = 0;
  buf.writeUInt16BE(TYPE_CODES[type], offset);
  buf.writeUInt16BE(1, offset + 2); // class IN
  offset += 4;
  // OPT: root name, TYPE 41, CLASS = UDP payload size, TTL = extended RCODE/version/flags 0, RDLENGTH 0.
  buf[offset] = 0;
  buf.writeUInt16BE(41, offset + 1);
  buf.writeUInt16BE(EDNS_UDP_SIZE, offset + 3);
  buf.writeUInt32BE(0, offset + 5);
  buf.writeUInt16BE(0, offset + 9);
  return buf;
}

const RCODES: Readonly<Record<number, DnsRcode>> = { 0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED' };

export type Decoded =
  | { readonly kind: 'answer'; readonly answer: DnsAnswer; readonly truncated: boolean }
  | { readonly kind: 'bad'; readonly detail: string };

/** Turns one read record into our record shape; a string says why it is unacceptable. */
function toRecord(rr: ReplyRecord): DnsRecord | string {
  if (rr.type !== 'TXT') return { name: rr.name, type: rr.type, ttl: rr.ttl, data: rr.data as string | MxData };
  const strings = rr.data as readonly Buffer[];
  const name = rr.name;
  if (strings.length > TXT_LIMITS.maxStrings) {
    return `TXT record at ${name} has ${strings.length} character-strings (limit ${TXT_LIMITS.maxStrings})`;
  }
  let bytes = 0;
  for (const s of strings) bytes += s.length;
  if (bytes > TXT_LIMITS.maxRecordBytes) return `TXT record at ${name} has ${bytes} bytes (limit ${TXT_LIMITS.maxRecordBytes})`;
  const data: string[] = [];
  for (const s of strings) {
    for (let i = 0; i < s.length; i++) {
      const b = s[i] as number;
      if (b > 0x7e || (b < 0x20 && b !== 0x09)) return `TXT record at ${name} has a non-ASCII or control byte 0x${b.toString(16)}`;
    }
    data.push(s.toString('latin1'));
  }
  return { name, type: 'TXT', ttl: rr.ttl, data };
}

/**
 * Decodes and validates a reply: it must be a response with our ID and our question
 * (RFC 5452 §9.1), and every record we keep must be within bounds. Otherwise `bad`.
 */
export function decodeReply(buffer: Buffer, id: number, name: string, type: QueryType): Decoded {
  const qname = normaliseName(name);
  const reply = readReply(buffer);
  if (typeof reply === 'string') return { kind: 'bad', detail: `undecodable reply (${reply})` };
  if (!reply.response) return { kind: 'bad', detail: 'reply is not a response (QR bit clear)' };
  if (reply.id !== id) return { kind: 'bad', detail: `reply ID ${reply.id} does not match query ID ${id}` };
  const question = reply.questions[0];
  if (reply.questions.length !== 1 || question === undefined || question.name !== qname || question.type !== type) {
    const got = question ? `${question.name}/${question.type}` : 'no question';
    return { kind: 'bad', detail: `reply question ${got} does not match ${qname}/${type}` };
  }
  const flags = reply.flags;
  const rcode = RCODES[flags & 0xf];
  if (rcode === undefined) return { kind: 'bad', detail: `unknown rcode ${flags & 0xf}` };
  const truncated = (flags & packet.TRUNCATED_RESPONSE) !== 0;
  const records: DnsRecord[] = [];
  for (const rr of reply.answers) {
    const record = toRecord(rr);
    if (typeof record === 'string') return { kind: 'bad', detail: record };
    records.push(record);
  }
  return { kind: 'answer', answer: { rcode, records }, truncated };
}
