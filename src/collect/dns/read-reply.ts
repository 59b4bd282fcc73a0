import * as packet from 'dns-packet';
import type { MxData } from '../../snapshot/dns-types.js';

/**
 * Reads the parts of a DNS reply the client uses: the header, the question and the answer
 * section (RFC 1035 §4.1). The authority and additional sections are never read, and record
 * types we do not ask for are skipped by their RDLENGTH. Profiling showed dns-packet's full
 * decode (every section, a `toString` per label) as the largest single cost per query; this
 * reader gives the same values for what it reads (test/collect/dns/read-reply.test.ts compares
 * it with `packet.decode` on real and corrupted replies).
 */
export interface ReplyRecord {
  /** Lower-case, no trailing dot. */
  readonly name: string;
  readonly type: ReplyType;
  readonly ttl: number;
  /** A/AAAA: the address; CNAME/PTR/NS: a name; MX: preference and exchange; TXT: the raw strings. */
  readonly data: string | MxData | readonly Buffer[];
}

export interface ReplyMessage {
  readonly id: number;
  /** The header flags without the QR bit (as dns-packet gives them). */
  readonly flags: number;
  /** Whether the QR bit is set (RFC 1035 §4.1.1). */
  readonly response: boolean;
  /** `qclass`: the class code (1 is IN, RFC 1035 §3.2.4). */
  readonly questions: readonly { readonly name: string; readonly type: string; readonly qclass: number }[];
  readonly answers: readonly ReplyRecord[];
}

export type ReplyType = 'A' | 'AAAA' | 'MX' | 'TXT' | 'PTR' | 'CNAME' | 'NS';

const TYPE_NAMES: Readonly<Record<number, ReplyType>> = {
  1: 'A',
  2: 'NS',
  5: 'CNAME',
  12: 'PTR',
  15: 'MX',
  16: 'TXT',
  28: 'AAAA',
};

/**
 * A name already known by its offset: the question, which the answers' owner names point to
 * (RFC 1035 §4.1.4). Lets the reader skip building the same string once per record.
 */
export interface KnownName {
  readonly offset: number;
  readonly name: string;
}

/** RFC 1035 §3.1 and §4.1.4: labels, or a pointer to an earlier name; at most 255 octets. */
function readName(buf: Buffer, start: number, known?: KnownName): { name: string; end: number } {
  // The common owner name: a bare pointer to the question (0xC00C).
  if (
    known !== undefined &&
    start + 1 < buf.length &&
    buf[start] === (0xc0 | (known.offset >> 8)) &&
    buf[start + 1] === (known.offset & 0xff) &&
    known.offset < start
  ) {
    return { name: known.name, end: start + 2 };
  }
  let offset = start;
  let end = -1;
  let limit = start;
  let length = 0;
  let name = '';
  for (;;) {
    if (offset >= buf.length) throw new Error('Cannot decode name (buffer overflow)');
    const len = buf[offset] as number;
    if (len === 0) {
      if (end < 0) end = offset + 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (offset + 1 >= buf.length) throw new Error('Cannot decode name (buffer overflow)');
      const target = ((len & 0x3f) << 8) | (buf[offset + 1] as number);
      // Only pointers to earlier data, as dns-packet: this also rules out pointer loops.
      if (target >= limit) throw new Error('Cannot decode name (bad pointer)');
      if (end < 0) end = offset + 2;
      offset = target;
      limit = target;
      continue;
    }
    if ((len & 0xc0) !== 0) throw new Error('Cannot decode name (bad label)');
    if (offset + 1 + len > buf.length) throw new Error('Cannot decode name (buffer overflow)');
    length += len + 1;
    if (length > 254) throw new Error('Cannot decode name (name too long)');
    if (name.length > 0) name += '.';
    // Bytes as they are (latin1), lower-cased for ASCII letters only: names compare byte-wise
    // and case-insensitively (RFC 4343).
    for (let i = offset + 1; i <= offset + len; i++) {
      const b = buf[i] as number;
      name += String.fromCharCode(b >= 0x41 && b <= 0x5a ? b + 32 : b);
    }
    offset += 1 + len;
  }
  return { name, end };
}

/** The text form dns-packet (@leichtgewicht/ip-codec) gives, so both readers agree. */
function ip6Text(buf: Buffer, start: number): string {
  let text = '';
  for (let i = 0; i < 16; i += 2) {
    if (i !== 0) text += ':';
    text += (((buf[start + i] as number) << 8) | (buf[start + i + 1] as number)).toString(16);
  }
  return text.replace(/(^|:)0(:0)*:0(:|$)/, '$1::$3').replace(/:{3,4}/, '::');
}

function readTxt(buf: Buffer, start: number, rdlength: number): Buffer[] {
  const strings: Buffer[] = [];
  let offset = start;
  const stop = start + rdlength;
  while (offset < stop) {
    const len = buf[offset] as number;
    if (offset + 1 + len > stop) throw new Error('TXT character-string overruns its record');
    strings.push(buf.subarray(offset + 1, offset + 1 + len));
    offset += 1 + len;
  }
  return strings;
}

/** The data of one record of a kept type; throws, in dns-packet's words, when it is malformed. */
export function readData(
  buf: Buffer,
  type: ReplyType,
  start: number,
  rdlength: number,
  known: KnownName | undefined,
): ReplyRecord['data'] {
  switch (type) {
    case 'A':
      if (rdlength !== 4) throw new Error(`A record of ${rdlength} bytes`);
      return `${buf[start] as number}.${buf[start + 1] as number}.${buf[start + 2] as number}.${buf[start + 3] as number}`;
    case 'AAAA':
      if (rdlength !== 16) throw new Error(`AAAA record of ${rdlength} bytes`);
      return ip6Text(buf, start);
    case 'MX': {
      if (rdlength < 3) throw new Error(`MX record of ${rdlength} bytes`);
      return { preference: buf.readUInt16BE(start), exchange: readName(buf, start + 2, known).name };
    }
    case 'TXT':
      return readTxt(buf, start, rdlength);
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return readName(buf, start, known).name;
  }
}

/** What becomes of each answer record of a kept type: `undefined` drops it. */
export interface RecordSink<R> {
  /** Throws, in dns-packet's words, when the record's data at [start, start + rdlength) is malformed. */
  record(
    buf: Buffer,
    name: string,
    type: ReplyType,
    ttl: number,
    start: number,
    rdlength: number,
    known: KnownName | undefined,
  ): R | undefined;
}

const REPLY_RECORDS: RecordSink<ReplyRecord> = {
  record: (buf, name, type, ttl, start, rdlength, known) => ({
    name,
    type,
    ttl,
    data: readData(buf, type, start, rdlength, known),
  }),
};

/**
 * Reads `count` records of the answer section from `offset` (RFC 1035 §4.1.3), handing those
 * of the types we ask for to `sink`. Throws with dns-packet's wording when the bytes run out
 * or a name is bad.
 */
export function readAnswers<R>(
  buf: Buffer,
  offset: number,
  count: number,
  known: KnownName | undefined,
  sink: RecordSink<R>,
): R[] {
  const answers: R[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    const { name, end } = readName(buf, at, known);
    if (end + 10 > buf.length) throw new Error('Cannot decode answer (buffer overflow)');
    const code = buf.readUInt16BE(end);
    const ttl = buf.readUInt32BE(end + 4);
    const rdlength = buf.readUInt16BE(end + 8);
    const start = end + 10;
    if (start + rdlength > buf.length) throw new Error('Cannot decode answer data (buffer overflow)');
    const type = TYPE_NAMES[code];
    if (type !== undefined) {
      const record = sink.record(buf, name, type, ttl, start, rdlength, known);
      if (record !== undefined) answers.push(record);
    }
    at = start + rdlength;
  }
  return answers;
}

/** Reads a reply; a string says why it cannot be read. */
export function readReply(buf: Buffer): ReplyMessage | string {
  try {
    if (buf.length < 12) throw new Error('Cannot decode header (buffer overflow)');
    const id = buf.readUInt16BE(0);
    const flags = buf.readUInt16BE(2);
    const qdcount = buf.readUInt16BE(4);
    const ancount = buf.readUInt16BE(6);
    let offset = 12;
    const questions: { name: string; type: string; qclass: number }[] = [];
    for (let i = 0; i < qdcount; i++) {
      const { name, end } = readName(buf, offset);
      if (end + 4 > buf.length) throw new Error('Cannot decode question (buffer overflow)');
      const code = buf.readUInt16BE(end);
      questions.push({ name, type: TYPE_NAMES[code] ?? `TYPE${code}`, qclass: buf.readUInt16BE(end + 2) });
      offset = end + 4;
    }
    // RFC 2181 §9: the sections of a truncated reply may be cut anywhere; it is retried over TCP.
    const truncated = (flags & packet.TRUNCATED_RESPONSE) !== 0;
    const answers = readAnswers(buf, offset, truncated ? 0 : ancount, undefined, REPLY_RECORDS);
    return { id, flags: flags & 0x7fff, response: (flags & 0x8000) !== 0, questions, answers };
  } catch (error: unknown) {
    return error instanceof Error ? error.message : String(error);
  }
}
