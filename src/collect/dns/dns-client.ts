import type { DnsAnswer, DnsRecord } from '../../snapshot/dns-types.js';
import type { DnsResolver } from '../../snapshot/dns-resolver.js';
import { serverLabel, type DnsServer } from './server-address.js';
import { DohSessions } from './doh-transport.js';
import { normaliseNameFast } from '../../model/domain-name.js';
import { Question, type CacheEntry } from './question.js';
import { tcpExchange, type Exchange } from './transports.js';
import { UdpTransport, type UdpFailure } from './udp-transport.js';
import { decodeReply, encodeQuery, isQueryType, QUERY_TYPES, type QueryType } from './wire.js';

export interface DnsClientOptions {
  /** Tried in turn: attempt n goes to server n mod count. */
  readonly servers: readonly DnsServer[];
  /** Per attempt, in milliseconds. */
  readonly timeoutMs?: number;
  /** Attempts after the first one, per question. */
  readonly retries?: number;
  /** Queries in flight at once. */
  readonly concurrency?: number;
  /** Absolute time (ms since epoch) after which every question ends as TIMEOUT. */
  readonly deadline?: number;
  /** Budget of the whole DNS phase, counted from the first question (an alternative to `deadline`). */
  readonly phaseTimeoutMs?: number;
  /** Negative answers (NXDOMAIN, NODATA) carry no record TTL; cache them this long (seconds). */
  readonly negativeTtl?: number;
  /** DoH: certificate authorities to trust instead of Node's default store (PEM). */
  readonly dohCa?: string | readonly string[];
  readonly now?: () => number;
}

export interface DnsClientStats {
  /** Questions asked of the client. */
  lookups: number;
  /** Questions answered from the cache or from an identical question in flight. */
  cacheHits: number;
  /** Packets sent: UDP attempts, TCP retries after truncation, DoH requests. */
  queriesSent: number;
  tcpFallbacks: number;
  timeouts: number;
}

/** RFC 1035 §2.3.4: labels of 1-63 octets, at most 253 characters in text form. */
function validName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  let label = 0;
  for (let i = 0; i < name.length; i++) {
    if (name.charCodeAt(i) === 0x2e) {
      if (label === 0) return false;
      label = 0;
    } else if (++label > 63) {
      return false;
    }
  }
  return label > 0;
}

/** Types as the checks spell them ('TXT', 'txt'), without an upper-casing per lookup. */
const TYPES = new Map<string, QueryType>(QUERY_TYPES.flatMap((t) => [[t, t] as const, [t.toLowerCase(), t] as const]));

function queryType(type: string): QueryType | undefined {
  const known = TYPES.get(type);
  if (known !== undefined) return known;
  const upper = type.toUpperCase();
  return isQueryType(upper) ? upper : undefined;
}

/** RFC 1034 §3.6.2 gives no limit; resolvers stop around 8-16 links. */
const MAX_CNAME_CHAIN = 8;

const PHASE_TIMEOUT: DnsAnswer = {
  rcode: 'TIMEOUT',
  records: [],
  detail: 'the DNS phase deadline passed before this question was answered',
};

/** A NOERROR answer holding a CNAME that the asked type's records may lie beyond. */
function hasCname(answer: DnsAnswer): boolean {
  if (answer.rcode !== 'NOERROR') return false;
  for (const record of answer.records) if (record.type === 'CNAME') return true;
  return false;
}

/**
 * The DNS client: UDP with EDNS0, TCP when the reply is truncated, DoH for https:// servers,
 * retries across servers, an in-run TTL cache, a concurrency limit, CNAME following and one
 * deadline for the whole DNS phase. It never throws: every outcome is a DnsAnswer.
 *
 * Per query, the work is: one Question object and one promise (its answer, shared by every
 * asker and kept in the cache once settled), the query bytes, and the transport's bookkeeping
 * (an ID in a Map, two links in the deadline list). Attempts, retries and the concurrency
 * limit are driven by callbacks from the transports, not by a chain of promises.
 */
export class DnsClient implements DnsResolver {
  readonly stats: DnsClientStats = { lookups: 0, cacheHits: 0, queriesSent: 0, tcpFallbacks: 0, timeouts: 0 };
  /** Answers by type, then by name: settled or in flight. A Map per type needs no key string per lookup. */
  private readonly cache = new Map<QueryType, Map<string, CacheEntry>>(
    QUERY_TYPES.map((t) => [t, new Map<string, CacheEntry>()]),
  );
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly negativeTtl: number;
  private readonly now: () => number;
  private readonly doh: DohSessions;
  private deadline: number | undefined;
  private readonly udp = new UdpTransport();
  /** serverLabel() of each server, computed once: every answer carries it. */
  private readonly labels = new Map<DnsServer, string>();
  /** The concurrency limit: attempts in flight, and questions waiting for a slot (FIFO as array + head). */
  private readonly limit: number;
  private active = 0;
  private readonly waiting: Question[] = [];
  private head = 0;
  private pumping = false;
  private readonly udpSettled = (question: Question, failure: UdpFailure | undefined): void =>
    this.attemptDone(question, failure);

  constructor(private readonly options: DnsClientOptions) {
    if (options.servers.length === 0) throw new Error('DnsClient needs at least one server');
    this.limit = options.concurrency ?? 64;
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.retries = options.retries ?? 2;
    this.negativeTtl = options.negativeTtl ?? 60;
    this.now = options.now ?? Date.now;
    this.doh = new DohSessions(options.dohCa === undefined ? {} : { ca: options.dohCa });
    this.deadline = options.deadline;
    for (const server of options.servers) this.labels.set(server, serverLabel(server));
  }

  resolve(name: string, type: string): Promise<DnsAnswer> {
    const entry = this.entryFor(name, type);
    if (typeof entry === 'string') return Promise.resolve({ rcode: 'MALFORMED', records: [], detail: entry });
    // The common case, a settled answer with no CNAME in it, needs no extra promise.
    if (entry.plain || entry.type === 'CNAME') return entry.answer;
    // In flight: every asker shares one promise of the followed answer. Settled with a CNAME:
    // followed afresh, as the links of the chain have TTLs of their own.
    if (entry.expires === Infinity) {
      entry.followed ??= this.following(entry);
      return entry.followed;
    }
    return this.following(entry);
  }

  private following(entry: CacheEntry): Promise<DnsAnswer> {
    return entry.answer.then((first) => (hasCname(first) ? this.follow(entry.qname, entry.type, first) : first));
  }

  /** Starts the question unless it is cached or in flight; counted as a lookup, as resolve() is. */
  prefetch(name: string, type: string): void {
    this.entryFor(name, type);
  }

  /**
   * The cache entry for a question, asked now if it is not cached or in flight; a string says why it
   * cannot be asked.
   */
  private entryFor(name: string, type: string): CacheEntry | string {
    this.stats.lookups++;
    if (this.deadline === undefined && this.options.phaseTimeoutMs !== undefined)
      this.deadline = this.now() + this.options.phaseTimeoutMs;
    const qtype = queryType(type);
    if (qtype === undefined) return `unsupported query type ${type}`;
    const qname = normaliseNameFast(name);
    const byName = this.cache.get(qtype) as Map<string, CacheEntry>;
    const entry = byName.get(qname);
    if (entry !== undefined && entry.expires > this.now()) {
      this.stats.cacheHits++;
      return entry;
    }
    // A name in the cache was checked when it was first asked.
    // RFC 1035 §2.3.4: labels of 1-63 octets, names up to 255 octets on the wire.
    if (!validName(qname)) return `invalid domain name "${name}"`;
    return this.ask(qname, qtype, byName);
  }

  /** Follows a CNAME chain that the server left unfinished (an authoritative server does). */
  private async follow(qname: string, type: QueryType, first: DnsAnswer): Promise<DnsAnswer> {
    const chain: DnsRecord[] = [];
    const seen = new Set<string>();
    let current = qname;
    for (let step = 0; step <= MAX_CNAME_CHAIN; step++) {
      if (seen.has(current)) return { rcode: 'MALFORMED', records: chain, detail: `CNAME loop at ${current}` };
      seen.add(current);
      const answer = step === 0 ? first : await this.cached(current, type);
      if (answer.rcode !== 'NOERROR')
        return step === 0 ? answer : { ...answer, records: [...chain, ...answer.records] };
      // Walk the chain inside this answer (a recursive resolver returns it whole).
      let target = current;
      const links = new Set<string>();
      for (;;) {
        const link = answer.records.find((r) => r.type === 'CNAME' && r.name === target);
        if (!link || typeof link.data !== 'string' || links.has(target)) break;
        links.add(target);
        target = link.data;
      }
      const final = answer.records.some((r) => r.type === type && r.name === target);
      if (final || target === current)
        return step === 0 ? answer : { ...answer, records: [...chain, ...answer.records] };
      chain.push(...answer.records.filter((r) => r.type === 'CNAME'));
      current = target;
    }
    return { rcode: 'MALFORMED', records: chain, detail: `CNAME chain longer than ${MAX_CNAME_CHAIN}` };
  }

  /** The answer as the server gave it, cached or asked now (for the links of a CNAME chain). */
  private cached(qname: string, type: QueryType): Promise<DnsAnswer> {
    const byName = this.cache.get(type) as Map<string, CacheEntry>;
    const entry = byName.get(qname);
    if (entry !== undefined && entry.expires > this.now()) {
      this.stats.cacheHits++;
      return entry.answer;
    }
    if (!validName(qname))
      return Promise.resolve({ rcode: 'MALFORMED', records: [], detail: `invalid domain name "${qname}"` });
    return this.ask(qname, type, byName).answer;
  }

  /** Starts a question; its entry is in the cache (in flight) before any attempt is made. */
  private ask(qname: string, type: QueryType, byName: Map<string, CacheEntry>): CacheEntry {
    const question = new Question(qname, type, byName, this.udpSettled);
    const entry: CacheEntry = {
      answer: new Promise<DnsAnswer>((resolve) => {
        question.resolveAnswer = resolve;
      }),
      expires: Infinity,
      plain: false,
      followed: undefined,
      qname,
      type,
    };
    byName.set(qname, entry);
    question.entry = entry;
    this.startAttempt(question);
    return entry;
  }

  /** Data answers are cached for their smallest TTL; failures are not cached. */
  private ttlOf(answer: DnsAnswer): number {
    if (answer.rcode !== 'NOERROR' && answer.rcode !== 'NXDOMAIN') return 0;
    if (answer.records.length === 0) return this.negativeTtl;
    let ttl = Infinity;
    for (const record of answer.records) if (record.ttl < ttl) ttl = record.ttl;
    return ttl;
  }

  private remaining(): number {
    return this.deadline === undefined ? Infinity : this.deadline - this.now();
  }

  /** Attempt n goes to server n mod count, once a slot of the concurrency limit is free. */
  private startAttempt(question: Question): void {
    if (this.remaining() <= 0) {
      this.complete(question, PHASE_TIMEOUT);
      return;
    }
    const server = this.options.servers[question.attempt % this.options.servers.length] as DnsServer;
    question.server = server;
    question.label = this.labels.get(server) as string;
    this.waiting.push(question);
    this.pump();
  }

  /**
   * Starts waiting attempts while slots are free. Re-entrant calls (an attempt that ended at once)
   * leave it to the running loop.
   */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    while (this.active < this.limit && this.head < this.waiting.length) {
      const question = this.waiting[this.head] as Question;
      this.head++;
      this.active++;
      this.send(question);
    }
    if (this.head === this.waiting.length) {
      this.waiting.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    }
    this.pumping = false;
  }

  private send(question: Question): void {
    const left = this.remaining();
    if (left <= 0) {
      // The phase deadline passed while this attempt waited for a slot.
      this.active--;
      this.complete(question, PHASE_TIMEOUT);
      return;
    }
    const server = question.server as DnsServer;
    question.timeoutMs = Math.min(this.timeoutMs, left);
    question.decoded = undefined;
    this.stats.queriesSent++;
    if (server.kind === 'doh') {
      // RFC 8484 §4.1: DoH uses ID 0 so that replies are cache-friendly.
      question.query = encodeQuery(0, question.qname, question.type);
      void this.doh
        .exchange(server.url, question.query, question.timeoutMs)
        .then((exchange) => this.attemptDone(question, exchange));
      return;
    }
    this.udp.send(question, server, question.timeoutMs);
  }

  /**
   * The end of an attempt: `undefined` when the UDP transport accepted a reply (decoded on the
   * question), else what the exchange ended in. A truncated UDP reply is retried over TCP.
   */
  private attemptDone(question: Question, exchange: Exchange | undefined): void {
    const answer = this.toAnswer(question, exchange);
    const server = question.server as DnsServer;
    if (question.truncated && server.kind === 'dns') {
      // RFC 7766 §5 / RFC 1035 §4.2.1: a truncated UDP reply is retried over TCP, with the same ID.
      this.stats.tcpFallbacks++;
      this.stats.queriesSent++;
      void tcpExchange(server.host, server.port, question.query as Buffer, question.timeoutMs).then((tcp) => {
        const viaTcp = this.toAnswer(question, tcp);
        this.release();
        this.retryOrComplete(
          question,
          question.truncated
            ? { rcode: 'MALFORMED', records: [], detail: 'TCP reply is truncated', server: question.label }
            : viaTcp,
        );
      });
      return;
    }
    this.release();
    this.retryOrComplete(question, answer);
  }

  private release(): void {
    this.active--;
    this.pump();
  }

  /** A data answer is final; a server failure may be one server's problem, so try the next. */
  private retryOrComplete(question: Question, answer: DnsAnswer): void {
    if (answer.rcode === 'NOERROR' || answer.rcode === 'NXDOMAIN' || question.attempt >= this.retries) {
      this.complete(question, answer);
      return;
    }
    question.attempt++;
    this.startAttempt(question);
  }

  /** Settles the question: data answers stay in the cache for their TTL, failures leave it. */
  private complete(question: Question, answer: DnsAnswer): void {
    const entry = question.entry as CacheEntry;
    const ttl = this.ttlOf(answer);
    if (ttl > 0) {
      entry.expires = this.now() + ttl * 1000;
      entry.plain = question.type === 'CNAME' || !hasCname(answer);
      entry.followed = undefined;
    } else if (question.cache.get(question.qname) === entry) {
      question.cache.delete(question.qname);
    }
    question.resolveAnswer(answer);
  }

  /** Closes the UDP sockets and DoH sessions; later questions fail. */
  close(): void {
    this.udp.close();
    this.doh.close();
  }

  /** The answer an attempt gave; `truncated` tells whether it is a truncated UDP reply (to retry over TCP). */
  private toAnswer(question: Question, exchange: Exchange | undefined): DnsAnswer {
    const server = question.label;
    question.truncated = false;
    let decoded = question.decoded;
    if (exchange !== undefined) {
      switch (exchange.kind) {
        case 'timeout':
          this.stats.timeouts++;
          return { rcode: 'TIMEOUT', records: [], detail: 'no reply before the timeout', server };
        case 'failed':
          return { rcode: 'MALFORMED', records: [], detail: exchange.detail, server };
        case 'reply':
          decoded = decodeReply(exchange.bytes, question.query as Buffer, question.qname, question.type, server);
          break;
      }
    }
    if (decoded === undefined) return { rcode: 'MALFORMED', records: [], detail: 'no reply was decoded', server };
    if (decoded.kind === 'bad') return { rcode: 'MALFORMED', records: [], detail: decoded.detail, server };
    question.truncated = decoded.truncated;
    return decoded.answer;
  }
}
