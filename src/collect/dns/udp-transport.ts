import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { DeadlineList, type Timed } from './deadline-list.js';
import { RandomIds } from './random-ids.js';
import type { Exchange } from './transports.js';

/** How a UDP exchange ended when no reply was accepted. */
export type UdpFailure = Exclude<Exchange, { kind: 'reply' }>;

/**
 * One query in flight over UDP. The asking object carries the transport's fields itself, so
 * that a query costs no promise, closure or timer of its own here.
 */
export interface UdpExchange extends Timed<UdpExchange> {
  /** Set by the transport: the query ID (RFC 5452 §9.2: random, unused on its socket). */
  id: number;
  /** Set by the transport while the exchange waits on one of its sockets. */
  socket: PooledSocket | undefined;
  /** Why the last datagram that was not our reply was ignored: the outcome if no reply comes. */
  lastBad: string | undefined;
  /** The query to send, with the ID the transport picked. */
  encode(id: number): Buffer;
  /** Judges a datagram carrying our ID: `true` when it answers our question, else why it does not. */
  judge(reply: Buffer): true | string;
  /** Called once per send: `undefined` when judge() accepted a reply, otherwise the failure. */
  settle(failure: UdpFailure | undefined): void;
}

const TIMEOUT: UdpFailure = { kind: 'timeout' };

/** A connected socket and the exchanges waiting on it, by ID. */
export class PooledSocket {
  readonly pending = new Map<number, UdpExchange>();
  connected = false;
  /** Why the socket could not be connected: every query on it fails with this. */
  broken: string | undefined;
  /** Queries asked before the socket was connected, sent once it is. */
  unsent: UdpExchange[] = [];
  unsentBytes: Buffer[] = [];
  constructor(readonly socket: Socket) {}
}

/**
 * UDP sockets shared by the queries of one client: a few connected sockets per server, each on
 * its own random port (RFC 5452 §9.2), replies matched by ID in one 'message' listener per
 * socket, and one timer for every query's timeout (DeadlineList). A connected socket only ever
 * sees datagrams from its server. Replies that fail the exchange's judgement (another ID or
 * question) are ignored while it keeps waiting, as RFC 5452 §9.1 asks; if only such replies
 * came, the last reason is its outcome.
 */
export class UdpTransport {
  private readonly sockets = new Map<object, PooledSocket[]>();
  private readonly deadlines = new DeadlineList<UdpExchange>((exchange) => this.expire(exchange));
  private readonly ids = new RandomIds();
  private next = 0;
  private closed = false;
  private outSockets: Socket[] = [];
  private outBytes: Buffer[] = [];
  private flushScheduled = false;
  private readonly flush = (): void => {
    this.flushScheduled = false;
    const sockets = this.outSockets;
    const bytes = this.outBytes;
    this.outSockets = [];
    this.outBytes = [];
    // No callback: a send error is emitted on the socket, whose handler fails its pending queries.
    for (let i = 0; i < sockets.length; i++) if (!this.closed) (sockets[i] as Socket).send(bytes[i] as Buffer);
  };

  constructor(private readonly size = 4) {}

  /** Sends `exchange`'s query to `server`; its settle() is called once, when it ends. */
  send(exchange: UdpExchange, server: { readonly host: string; readonly port: number }, timeoutMs: number): void {
    exchange.lastBad = undefined;
    if (this.closed) {
      exchange.settle({ kind: 'failed', detail: 'the DNS client is closed' });
      return;
    }
    const pooled = this.socketFor(server);
    if (pooled.broken !== undefined) {
      exchange.settle({ kind: 'failed', detail: pooled.broken });
      return;
    }
    let id = this.ids.next();
    while (pooled.pending.has(id)) id = this.ids.next();
    exchange.id = id;
    exchange.socket = pooled;
    pooled.pending.set(id, exchange);
    this.deadlines.add(exchange, performance.now() + timeoutMs);
    const bytes = exchange.encode(id);
    if (pooled.connected) {
      this.outSockets.push(pooled.socket);
      this.outBytes.push(bytes);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(this.flush);
      }
    } else {
      pooled.unsent.push(exchange);
      pooled.unsentBytes.push(bytes);
    }
  }

  private socketFor(server: { readonly host: string; readonly port: number }): PooledSocket {
    let list = this.sockets.get(server);
    if (list === undefined) {
      list = [];
      this.sockets.set(server, list);
    }
    if (list.length < this.size) {
      const pooled = this.open(server.host, server.port);
      list.push(pooled);
      return pooled;
    }
    this.next = (this.next + 1) % list.length;
    return list[this.next] as PooledSocket;
  }

  private open(host: string, port: number): PooledSocket {
    const socket = createSocket(isIP(host.split('%')[0] ?? '') === 6 ? 'udp6' : 'udp4');
    const pooled = new PooledSocket(socket);
    socket.once('connect', () => {
      pooled.connected = true;
      const unsent = pooled.unsentBytes;
      pooled.unsent = [];
      pooled.unsentBytes = [];
      for (const bytes of unsent) socket.send(bytes);
    });
    socket.on('message', (bytes: Buffer) => this.receive(pooled, bytes));
    socket.on('error', (error: Error) => {
      if (!pooled.connected) pooled.broken = `UDP error: ${error.message}`;
      this.fail(pooled, `UDP error: ${error.message}`);
    });
    socket.connect(port, host);
    socket.unref();
    return pooled;
  }

  private receive(pooled: PooledSocket, bytes: Buffer): void {
    const exchange =
      bytes.length >= 2 ? pooled.pending.get(((bytes[0] as number) << 8) | (bytes[1] as number)) : undefined;
    if (exchange === undefined) {
      // Garbage or an unknown ID: remember why, in case nothing better arrives in time. It
      // cannot be told which query it was meant for, so it never replaces a reason that was
      // specific to a query (a reply with its ID but another question).
      for (const waiting of pooled.pending.values())
        waiting.lastBad ??= `reply with unknown ID or too short (${bytes.length} bytes) ignored`;
      return;
    }
    const verdict = exchange.judge(bytes);
    if (verdict !== true) {
      exchange.lastBad = verdict;
      return;
    }
    this.forget(exchange);
    exchange.settle(undefined);
  }

  private forget(exchange: UdpExchange): void {
    exchange.socket?.pending.delete(exchange.id);
    exchange.socket = undefined;
    this.deadlines.remove(exchange);
  }

  private expire(exchange: UdpExchange): void {
    exchange.socket?.pending.delete(exchange.id);
    exchange.socket = undefined;
    exchange.settle(exchange.lastBad !== undefined ? { kind: 'failed', detail: exchange.lastBad } : TIMEOUT);
  }

  /** Ends every exchange waiting on `pooled` (settling one may send a retry: taken out first). */
  private fail(pooled: PooledSocket, detail: string): void {
    const failed = [...pooled.pending.values()];
    pooled.unsent = [];
    pooled.unsentBytes = [];
    for (const exchange of failed) this.forget(exchange);
    for (const exchange of failed) exchange.settle({ kind: 'failed', detail });
  }

  close(): void {
    this.closed = true;
    const lists = [...this.sockets.values()];
    this.sockets.clear();
    this.deadlines.clear();
    for (const list of lists) {
      for (const pooled of list) {
        this.fail(pooled, 'the DNS client is closed');
        pooled.socket.close();
      }
    }
  }
}
