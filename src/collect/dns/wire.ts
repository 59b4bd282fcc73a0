import * as packet from 'dns-packet';
import type { DnsAnswer, DnsRcode, DnsRecord, MxData } from '../../snapshot/dns-types.js';
import { normaliseName } from '../../model/domain-name.js';
import {
  readAnswers,
  readData,
  readReply,
  type KnownName,
  type RecordSink,
  type ReplyRecord,
  type ReplyType,
} from './read-reply.js';

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
 * and the issue's bad-input cases (10 KB records, 100 strings in one record, non-ASCII bytes)
 * must end as `error` with evidence rather than be half-parsed.
 */
export const TXT_LIMITS = { maxRecordBytes: 4096, maxStrings: 64 } as const;

const TYPE_CODES: Readonly<Record<QueryType, number>> = { A: 1, NS: 2, CNAME: 5, PTR: 12, MX: 15, TXT: 16, AAAA: 28 };

/** Header (12 bytes) plus the OPT pseudo-record (11 bytes): what a query holds besides its question. */
const HEADER_BYTES = 12;
const OPT_BYTES = 11;

/**
 * The query message (RFC 1035 §4.1): header with RD set, one question of class IN, and an
 * OPT pseudo-record advertising EDNS_UDP_SIZE (RFC 6891 §6.1.2). Written directly: the same
 * bytes as dns-packet's encode (test/collect/dns/read-reply.test.ts checks), without its
 * per-call length pass and object walk. ASCII names (all but the odd IDN in U-label form) are
 * copied char by char, with no split into labels and no per-label Buffer.write.
 */
export function encodeQuery(id: number, name: string, type: QueryType): Buffer {
  // One pass for the size: text length less dots, plus a length byte per non-empty label.
  let nameLength = 1;
  let label = 0;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x80) return encodeQueryUtf8(id, name, type);
    if (c === 0x2e) {
      if (label > 0) nameLength += label + 1;
      label = 0;
    } else {
      label++;
    }
  }
  if (label > 0) nameLength += label + 1;
  const buf = Buffer.allocUnsafe(HEADER_BYTES + nameLength + 4 + OPT_BYTES);
  writeHeader(buf, id);
  // Label bytes go after a placeholder for their length, filled in when the label ends.
  let lengthAt = HEADER_BYTES;
  let offset = HEADER_BYTES + 1;
  label = 0;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 0x2e) {
      if (label === 0) continue;
      buf[lengthAt] = label;
      lengthAt = offset++;
      label = 0;
    } else {
      buf[offset++] = c;
      label++;
    }
  }
  if (label > 0) {
    buf[lengthAt] = label;
    lengthAt = offset;
  }
  buf[lengthAt] = 0;
  writeQuestionTail(buf, lengthAt + 1, type);
  return buf;
}

/** Names with non-ASCII characters: labels written as UTF-8, as dns-packet does. */
function encodeQueryUtf8(id: number, name: string, type: QueryType): Buffer {
  const labels = name
    .replace(/^\.|\.$/g, '')
    .split('.')
    .filter((l) => l.length > 0);
  let nameLength = 1;
  for (const label of labels) nameLength += Buffer.byteLength(label) + 1;
  const buf = Buffer.allocUnsafe(HEADER_BYTES + nameLength + 4 + OPT_BYTES);
  writeHeader(buf, id);
  let offset = HEADER_BYTES;
  for (const label of labels) {
    const length = buf.write(label, offset + 1);
    buf[offset] = length;
    offset += length + 1;
  }
  buf[offset++] = 0;
  writeQuestionTail(buf, offset, type);
  return buf;
}

function writeHeader(buf: Buffer, id: number): void {
  buf.writeUInt16BE(id, 0);
  buf.writeUInt16BE(packet.RECURSION_DESIRED, 2);
  buf.writeUInt32BE(0x0001_0000, 4); // QDCOUNT 1, ANCOUNT 0
  buf.writeUInt32BE(0x0000_0001, 8); // NSCOUNT 0, ARCOUNT 1: the OPT record
}

/** QTYPE and QCLASS IN after the name ending at `offset`, then the OPT record. */
function writeQuestionTail(buf: Buffer, offset: number, type: QueryType): void {
  buf.writeUInt16BE(TYPE_CODES[type], offset);
  buf.writeUInt16BE(1, offset + 2); // class IN
  // OPT: root name, TYPE 41, CLASS = UDP payload size, TTL = extended RCODE/version/flags 0, RDLENGTH 0.
  const opt = offset + 4;
  buf[opt] = 0;
  buf.writeUInt16BE(41, opt + 1);
  buf.writeUInt16BE(EDNS_UDP_SIZE, opt + 3);
  buf.writeUInt32BE(0, opt + 5);
  buf.writeUInt16BE(0, opt + 9);
}

const RCODES: Readonly<Record<number, DnsRcode>> = {
  0: 'NOERROR',
  1: 'FORMERR',
  2: 'SERVFAIL',
  3: 'NXDOMAIN',
  4: 'NOTIMP',
  5: 'REFUSED',
};

export type Decoded =
  | { readonly kind: 'answer'; readonly answer: DnsAnswer; readonly truncated: boolean }
  | { readonly kind: 'bad'; readonly detail: string; readonly mismatch: boolean };

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
  if (bytes > TXT_LIMITS.maxRecordBytes)
    return `TXT record at ${name} has ${bytes} bytes (limit ${TXT_LIMITS.maxRecordBytes})`;
  const data: string[] = [];
  for (const s of strings) {
    for (let i = 0; i < s.length; i++) {
      const b = s[i] as number;
      if (b > 0x7e || (b < 0x20 && b !== 0x09))
        return `TXT record at ${name} has a non-ASCII or control byte 0x${b.toString(16)}`;
    }
    data.push(s.toString('latin1'));
  }
  return { name, type: 'TXT', ttl: rr.ttl, data };
}

/** The header's rcode, then the records: what every reply to our question goes through. */
function toDecoded(flags: number, read: readonly ReplyRecord[], server: string | undefined): Decoded {
  const rcode = RCODES[flags & 0xf];
  if (rcode === undefined) return { kind: 'bad', detail: `unknown rcode ${flags & 0xf}`, mismatch: false };
  const records: DnsRecord[] = [];
  for (const rr of read) {
    const record = toRecord(rr);
    if (typeof record === 'string') return { kind: 'bad', detail: record, mismatch: false };
    records.push(record);
  }
  return {
    kind: 'answer',
    answer: server === undefined ? { rcode, records } : { rcode, records, server },
    truncated: (flags & packet.TRUNCATED_RESPONSE) !== 0,
  };
}

/**
 * Records read straight into our shape: toRecord() of the full reader's records, without a
 * Buffer per TXT string. The first record out of bounds is kept in `invalid` (reported after
 * the rcode, as toDecoded() does) while the rest is still read, so that malformed bytes later
 * in the section still make the reply undecodable.
 */
class DirectRecords implements RecordSink<DnsRecord> {
  invalid: string | undefined = undefined;

  record(
    buf: Buffer,
    name: string,
    type: ReplyType,
    ttl: number,
    start: number,
    rdlength: number,
    known: KnownName | undefined,
  ): DnsRecord | undefined {
    if (type !== 'TXT')
      return { name, type, ttl, data: readData(buf, type, start, rdlength, known) as string | MxData };
    // RFC 1035 §3.3.14: one or more <character-string>s, each a length byte and that many bytes.
    const stop = start + rdlength;
    let count = 0;
    let bytes = 0;
    for (let at = start; at < stop; at += 1 + (buf[at] as number)) {
      if (at + 1 + (buf[at] as number) > stop) throw new Error('TXT character-string overruns its record');
      count++;
      bytes += buf[at] as number;
    }
    if (this.invalid !== undefined) return undefined;
    if (count > TXT_LIMITS.maxStrings) {
      this.invalid = `TXT record at ${name} has ${count} character-strings (limit ${TXT_LIMITS.maxStrings})`;
      return undefined;
    }
    if (bytes > TXT_LIMITS.maxRecordBytes) {
      this.invalid = `TXT record at ${name} has ${bytes} bytes (limit ${TXT_LIMITS.maxRecordBytes})`;
      return undefined;
    }
    const data: string[] = [];
    for (let at = start; at < stop; at += 1 + (buf[at] as number)) {
      const end = at + 1 + (buf[at] as number);
      for (let i = at + 1; i < end; i++) {
        const b = buf[i] as number;
        if (b > 0x7e || (b < 0x20 && b !== 0x09)) {
          this.invalid = `TXT record at ${name} has a non-ASCII or control byte 0x${b.toString(16)}`;
          return undefined;
        }
      }
      data.push(buf.toString('latin1', at + 1, end));
    }
    return { name, type, ttl, data };
  }
}

/**
 * Decodes and validates a reply to `query` (the bytes encodeQuery gave for `name` and
 * `type`): it must be a response with our ID and our question, name, type and class
 * (RFC 5452 §9.1), and every record we keep must be within bounds. Otherwise `bad`, with
 * `mismatch` set when the reply is for another query (to be ignored while we wait for ours).
 *
 * The usual reply echoes our question byte for byte (RFC 1035 §7.3; only the letters' case
 * may differ, RFC 4343): that is checked against the query's bytes, with no name decoded. Any
 * other reply goes through the full reader, which gives the reason.
 */
export function decodeReply(reply: Buffer, query: Buffer, name: string, type: QueryType, server?: string): Decoded {
  const questionEnd = query.length - OPT_BYTES;
  if (echoesQuestion(reply, query, questionEnd)) {
    // The owner names of the answers point at the question, whose bytes are ours: for an ASCII
    // name with no empty label (its wire form two bytes longer than its text), that is `name`.
    const ascii = questionEnd - 4 - HEADER_BYTES === name.length + 2 && isAscii(name);
    const flags = reply.readUInt16BE(2);
    // RFC 2181 §9: the sections of a truncated reply may be cut anywhere; it is retried over TCP.
    const count = (flags & packet.TRUNCATED_RESPONSE) !== 0 ? 0 : reply.readUInt16BE(6);
    const sink = new DirectRecords();
    let records: DnsRecord[];
    try {
      records = readAnswers(reply, questionEnd, count, ascii ? { offset: HEADER_BYTES, name } : undefined, sink);
    } catch (error: unknown) {
      return {
        kind: 'bad',
        detail: `undecodable reply (${error instanceof Error ? error.message : String(error)})`,
        mismatch: false,
      };
    }
    // The same order of checks as toDecoded(): the rcode, then the first record out of bounds.
    const rcode = RCODES[flags & 0xf];
    if (rcode === undefined) return { kind: 'bad', detail: `unknown rcode ${flags & 0xf}`, mismatch: false };
    if (sink.invalid !== undefined) return { kind: 'bad', detail: sink.invalid, mismatch: false };
    return {
      kind: 'answer',
      answer: server === undefined ? { rcode, records } : { rcode, records, server },
      truncated: (flags & packet.TRUNCATED_RESPONSE) !== 0,
    };
  }
  return decodeReplyByReader(reply, query.readUInt16BE(0), name, type, server);
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}

/** A response (QR set) with the query's ID, one question, and the query's question bytes (letters in any case). */
function echoesQuestion(reply: Buffer, query: Buffer, questionEnd: number): boolean {
  if (reply.length < questionEnd) return false;
  if ((reply[2] as number) < 0x80 || reply[0] !== query[0] || reply[1] !== query[1] || reply[4] !== 0 || reply[5] !== 1)
    return false;
  const nameEnd = questionEnd - 4;
  for (let i = HEADER_BYTES; i < nameEnd; i++) {
    let b = reply[i] as number;
    if (b >= 0x41 && b <= 0x5a) b += 32;
    if (b !== query[i]) return false;
  }
  for (let i = nameEnd; i < questionEnd; i++) if (reply[i] !== query[i]) return false;
  return true;
}

/**
 * The full reading (readReply), for replies that do not echo the question as sent: says what
 * is wrong. Exported so that tests can hold decodeReply's direct path to it.
 */
export function decodeReplyByReader(
  buffer: Buffer,
  id: number,
  name: string,
  type: QueryType,
  server: string | undefined,
): Decoded {
  const qname = normaliseName(name);
  const reply = readReply(buffer);
  if (typeof reply === 'string') return { kind: 'bad', detail: `undecodable reply (${reply})`, mismatch: false };
  if (!reply.response) return { kind: 'bad', detail: 'reply is not a response (QR bit clear)', mismatch: true };
  if (reply.id !== id)
    return { kind: 'bad', detail: `reply ID ${reply.id} does not match query ID ${id}`, mismatch: true };
  const question = reply.questions[0];
  if (
    reply.questions.length !== 1 ||
    question === undefined ||
    question.name !== qname ||
    question.type !== type ||
    question.qclass !== 1
  ) {
    const got = question
      ? `${question.name}/${question.type}${question.qclass !== 1 ? ` class ${question.qclass}` : ''}`
      : 'no question';
    return { kind: 'bad', detail: `reply question ${got} does not match ${qname}/${type}`, mismatch: true };
  }
  // Our question in another spelling than ours (say, a compressed name): accepted as read.
  return toDecoded(reply.flags, reply.answers, server);
}
