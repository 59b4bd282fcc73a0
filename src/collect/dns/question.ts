import type { DnsAnswer } from '../../snapshot/dns-types.js';
import type { DnsServer } from './server-address.js';
import type { PooledSocket, UdpExchange, UdpFailure } from './udp-transport.js';
import { decodeReply, encodeQuery, type Decoded, type QueryType } from './wire.js';

/** A cached or in-flight answer to one question. */
export interface CacheEntry {
  /** The answer as the server gave it (no CNAME followed); settled ones are handed out as they are. */
  readonly answer: Promise<DnsAnswer>;
  /** When the cached answer expires (ms, the client's clock); Infinity while in flight. */
  expires: number;
  /** Settled, and needing no CNAME following: the lookup can return `answer` itself. */
  plain: boolean;
  /** While in flight: the followed answer, shared by the askers that came before it settled. */
  followed: Promise<DnsAnswer> | undefined;
  /** The question, normalised. */
  readonly qname: string;
  readonly type: QueryType;
}

/**
 * One question on its way to an answer: its attempts, the query last sent and, while a UDP
 * attempt waits, the transport's fields (ID, socket, deadline links). One object per question
 * asked of a server, with its methods on the prototype: no closures per query.
 */
export class Question implements UdpExchange {
  // UdpExchange / DeadlineList fields, set by the transport.
  id = 0;
  socket: PooledSocket | undefined = undefined;
  lastBad: string | undefined = undefined;
  deadlineAt = 0;
  older: UdpExchange | undefined = undefined;
  newer: UdpExchange | undefined = undefined;
  listed = false;

  /** Attempts made before the current one. */
  attempt = 0;
  /** The server of the current attempt, and its label for evidence. */
  server: DnsServer | undefined = undefined;
  label = '';
  /** The current attempt's timeout (ms), also used by its TCP retry. */
  timeoutMs = 0;
  /** The query last sent: replies are checked against its ID and question bytes. */
  query: Buffer | undefined = undefined;
  /** Whether the last attempt's reply had TC set. */
  truncated = false;
  /** The reply judge() accepted, decoded. */
  decoded: Decoded | undefined = undefined;
  /** The cache entry this question settles. */
  entry: CacheEntry | undefined = undefined;
  /** Settles the entry's promise (set by the promise's executor, which runs at once). */
  resolveAnswer!: (answer: DnsAnswer) => void;

  constructor(
    readonly qname: string,
    readonly type: QueryType,
    readonly cache: Map<string, CacheEntry>,
    /** The client's handler for the end of a UDP attempt (one function per client). */
    private readonly udpSettled: (question: Question, failure: UdpFailure | undefined) => void,
  ) {}

  encode(id: number): Buffer {
    this.query = encodeQuery(id, this.qname, this.type);
    return this.query;
  }

  judge(reply: Buffer): true | string {
    const decoded = decodeReply(reply, this.query as Buffer, this.qname, this.type, this.label);
    // A reply for another question or with another ID is ignored while we wait for ours.
    if (decoded.kind === 'bad' && decoded.mismatch) return decoded.detail;
    this.decoded = decoded;
    return true;
  }

  settle(failure: UdpFailure | undefined): void {
    this.udpSettled(this, failure);
  }
}
