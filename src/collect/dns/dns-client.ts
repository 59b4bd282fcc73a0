import { randomFillSync } from 'node:crypto';
import type { DnsAnswer, DnsRecord } from '../../snapshot/dns-types.js';
import { normaliseName } from '../../snapshot/dns-types.js';
import type { DnsResolver } from './resolver.js';
import { serverLabel, type DnsServer } from './server-address.js';
import { DohSessions } from './doh-transport.js';
import { tcpExchange, UdpPool, type Exchange } from './transports.js';
import { decodeReply, encodeQuery, isQueryType, type Decoded, type QueryType } from './wire.js';

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

/** RFC 1034 §3.6.2 gives no limit; resolvers stop around 8-16 links. */
const MAX_CNAME_CHAIN = 8;

class Semaphore {
  private active = 0;
  /** A FIFO as an array and a head index: shift() on a long array is O(n). */
  private readonly waiting: (() => void)[] = [];
  private head = 0;
  constructor(private readonly limit: number) {}
  /** Runs `task` when a slot is free; without an `async` wrapper, as it runs once per query. */
  run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) {
      this.active++;
      return task().finally(() => this.release());
    }
    return new Promise<void>((resolve) => this.waiting.push(resolve)).then(() => task().finally(() => this.release()));
  }
  /** Hands the slot straight to the next waiter, so no newcomer can take it in between. */
  private release(): void {
    if (this.head < this.waiting.length) {
      const wake = this.waiting[this.head] as () => void;
      this.head++;
      if (this.head > 1024 && this.head * 2 > this.waiting.length) {
        this.waiting.splice(0, this.head);
        this.head = 0;
      }
      wake();
    } else {
      this.active--;
    }
  }
}

/**
 * Query IDs from the CSPRNG (RFC 5452 §9.2: IDs must be unpredictable), drawn from a block of
 * random bytes refilled when used up: one randomInt() call per query cost more than its use.
 */
class RandomIds {
  private readonly bytes = Buffer.alloc(4096);
  private offset = this.bytes.length;
  next(): number {
    if (this.offset >= this.bytes.length) {
      randomFillSync(this.bytes);
      this.offset = 0;
    }
    const id = this.bytes.readUInt16BE(this.offset);
    this.offset += 2;
    return id;
  }
}

/**
 * The DNS client: UDP with EDNS0, TCP when the reply is truncated, DoH for https:// servers,
 * retries across servers, an in-run TTL cache, a concurrency limit, CNAME following and one
 * deadline for the whole DNS phase. It never throws: every outcome is a DnsAnswer.
 */
export class DnsClient implements DnsResolver {
  readonly stats: DnsClientStats = { lookups: 0, cacheHits: 0, queriesSent: 0, tcpFallbacks: 0, timeouts: 0 };
  /** Answers by question, kept as settled promises so that a hit allocates nothing. */
  private readonly cache = new Map<string, { answer: Promise<DnsAnswer>; expires: number }>();
  private readonly inFlight = new Map<string, Promise<DnsAnswer>>();
  private readonly limiter: Semaphore;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly negativeTtl: number;
  private readonly now: () => number;
  private readonly doh: DohSessions;
  private deadline: number | undefined;
  private readonly udp = new UdpPool();
  private readonly ids = new RandomIds();
  /** serverLabel() of each server, computed once: every answer carries it. */
  private readonly labels = new Map<DnsServer, string>();

  constructor(private readonly options: DnsClientOptions) {
    if (options.servers.length === 0) throw new Error('DnsClient needs at least one server');
    this.limiter = new Semaphore(options.concurrency ?? 64);
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.retries = options.retries ?? 2;
    this.negativeTtl = options.negativeTtl ?? 60;
    this.now = options.now ?? Date.now;
    this.doh = new DohSessions(options.dohCa === undefined ? {} : { ca: options.dohCa });
    this.deadline = options.deadline;
  }

  resolve(name: string, type: string): Promise<DnsAnswer> {
    this.stats.lookups++;
    if (this.deadline === undefined && this.options.phaseTimeoutMs !== undefined) this.deadline = this.now() + this.options.phaseTimeoutMs;
    const upper = type.toUpperCase();
    if (!isQueryType(upper)) return Promise.resolve({ rcode: 'MALFORMED', records: [], detail: `unsupported query type ${type}` });
    const qname = normaliseName(name);
    if (!validName(qname)) {
      // RFC 1035 §2.3.4: labels of 1-63 octets, names up to 255 octets on the wire.
      return Promise.resolve({ rcode: 'MALFORMED', records: [], detail: `invalid domain name "${name}"` });
    }
    return this.resolveFollowing(qname, upper);
  }

  /** The cached or fresh answer, with a CNAME chain the server left unfinished followed. */
  private resolveFollowing(qname: string, type: QueryType): Promise<DnsAnswer> {
    const answer = this.cached(qname, type);
    // The common case, data with no CNAME in it, needs no extra promise.
    if (type === 'CNAME') return answer;
    return answer.then((first) => (first.rcode !== 'NOERROR' || !first.records.some((r) => r.type === 'CNAME') ? first : this.follow(qname, type, first)));
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
      if (answer.rcode !== 'NOERROR') return step === 0 ? answer : { ...answer, records: [...chain, ...answer.records] };
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
      if (final || target === current) return step === 0 ? answer : { ...answer, records: [...chain, ...answer.records] };
      chain.push(...answer.records.filter((r) => r.type === 'CNAME'));
      current = target;
    }
    return { rcode: 'MALFORMED', records: chain, detail: `CNAME chain longer than ${MAX_CNAME_CHAIN}` };
  }

  private cached(qname: string, type: QueryType): Promise<DnsAnswer> {
    // questionKey() without normalising again: qname is normalised by resolve().
    const key = `${qname}/${type}`;
    const hit = this.cache.get(key);
    if (hit && hit.expires > this.now()) {
      this.stats.cacheHits++;
      return hit.answer;
    }
    const pending = this.inFlight.get(key);
    if (pending) {
      this.stats.cacheHits++;
      return pending;
    }
    const promise = this.query(qname, type).then((answer) => {
      this.inFlight.delete(key);
      const ttl = this.ttlOf(answer);
      if (ttl > 0) this.cache.set(key, { answer: promise, expires: this.now() + ttl * 1000 });
      return answer;
    });
    this.inFlight.set(key, promise);
    return promise;
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

  /** Asks the servers in turn until one gives a usable answer or the attempts run out. */
  private async query(qname: string, type: QueryType): Promise<DnsAnswer> {
    const servers = this.options.servers;
    let last: DnsAnswer = { rcode: 'TIMEOUT', records: [], detail: 'no attempt made' };
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      const left = this.remaining();
      if (left <= 0) {
        return { rcode: 'TIMEOUT', records: [], detail: 'the DNS phase deadline passed before this question was answered' };
      }
      const server = servers[attempt % servers.length] as DnsServer;
      last = await this.limiter.run(() => this.attempt(server, qname, type, Math.min(this.timeoutMs, left)));
      // A data answer is final; a server failure may be one server's problem, so try the next.
      if (last.rcode === 'NOERROR' || last.rcode === 'NXDOMAIN') return last;
    }
    return last;
  }

  private async attempt(server: DnsServer, qname: string, type: QueryType, timeoutMs: number): Promise<DnsAnswer> {
    let label = this.labels.get(server);
    if (label === undefined) {
      label = serverLabel(server);
      this.labels.set(server, label);
    }
    this.stats.queriesSent++;
    if (server.kind === 'doh') {
      // RFC 8484 §4.1: DoH uses ID 0 so that replies are cache-friendly.
      const exchange = await this.doh.exchange(server.url, encodeQuery(0, qname, type), timeoutMs);
      return this.toAnswer(exchange, undefined, 0, qname, type, label).answer;
    }
    let decoded: Decoded | undefined;
    let sentId = 0;
    const exchange = await this.udp.exchange(
      server.host,
      server.port,
      (id) => {
        sentId = id;
        return encodeQuery(id, qname, type);
      },
      timeoutMs,
      (bytes) => {
        const d = decodeReply(bytes, sentId, qname, type);
        // A reply for another question or with another ID is ignored while we wait for ours.
        if (d.kind === 'bad' && /does not match|not a response/.test(d.detail)) return d.detail;
        decoded = d;
        return true;
      },
      () => this.ids.next(),
    );
    let result = this.toAnswer(exchange, decoded, sentId, qname, type, label);
    if (result.truncated) {
      // RFC 7766 §5 / RFC 1035 §4.2.1: a truncated UDP reply is retried over TCP.
      this.stats.tcpFallbacks++;
      this.stats.queriesSent++;
      const tcp = await tcpExchange(server.host, server.port, encodeQuery(sentId, qname, type), timeoutMs);
      result = this.toAnswer(tcp, undefined, sentId, qname, type, label);
      if (result.truncated) return { rcode: 'MALFORMED', records: [], detail: 'TCP reply is truncated', server: label };
    }
    return result.answer;
  }

  /** Closes the UDP sockets and DoH sessions; later questions fail. */
  close(): void {
    this.udp.close();
    this.doh.close();
  }

  private toAnswer(
    exchange: Exchange,
    known: Decoded | undefined,
    id: number,
    qname: string,
    type: QueryType,
    server: string,
  ): { answer: DnsAnswer; truncated: boolean } {
    switch (exchange.kind) {
      case 'timeout':
        this.stats.timeouts++;
        return { answer: { rcode: 'TIMEOUT', records: [], detail: 'no reply before the timeout', server }, truncated: false };
      case 'failed':
        return { answer: { rcode: 'MALFORMED', records: [], detail: exchange.detail, server }, truncated: false };
      case 'reply': {
        const decoded = known ?? decodeReply(exchange.bytes, id, qname, type);
        if (decoded.kind === 'bad') return { answer: { rcode: 'MALFORMED', records: [], detail: decoded.detail, server }, truncated: false };
        return { answer: { rcode: decoded.answer.rcode, records: decoded.answer.records, server }, truncated: decoded.truncated };
      }
    }
  }
}
