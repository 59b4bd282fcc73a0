import { createSocket, type Socket } from 'node:dgram';
import { isIP, Socket as TcpSocket } from 'node:net';

/** What one exchange with one server ended in. */
export type Exchange =
  | { readonly kind: 'reply'; readonly bytes: Buffer }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'failed'; readonly detail: string };

/** Judges a raw reply: `true` when it is the answer to our query, a string when it is not. */
export type ReplyFilter = (bytes: Buffer) => true | string;

interface Pending {
  readonly filter: ReplyFilter;
  readonly finish: (result: Exchange) => void;
  lastBad?: string;
}

interface PooledSocket {
  readonly socket: Socket;
  readonly pending: Map<number, Pending>;
  /** Resolves once the socket is connected to its server (or failed to). */
  readonly ready: Promise<string | undefined>;
  /** Set once `ready` resolved without error: later queries skip the wait. */
  connected: boolean;
}

/**
 * UDP sockets shared by the queries of one client: a few connected sockets per server, each on
 * its own random port, replies matched by ID. Opening a socket per query costs more than the
 * query itself, and a connected socket only ever sees datagrams from its server. Replies that
 * fail the filter (wrong ID or question) are ignored while we keep waiting, as RFC 5452 §9.1
 * asks; if only such replies came, the last reason is returned.
 */
export class UdpPool {
  private readonly sockets = new Map<string, PooledSocket[]>();
  private next = 0;
  private closed = false;

  constructor(private readonly size = 4) {}

  private socketFor(host: string, port: number): PooledSocket {
    const key = `${host}|${port}`;
    let list = this.sockets.get(key);
    if (!list) {
      list = [];
      this.sockets.set(key, list);
    }
    if (list.length < this.size) {
      const socket = createSocket(isIP(host.split('%')[0] ?? '') === 6 ? 'udp6' : 'udp4');
      const pending = new Map<number, Pending>();
      let pooled: PooledSocket | undefined;
      const ready = new Promise<string | undefined>((resolve) => {
        socket.once('connect', () => {
          if (pooled) pooled.connected = true;
          resolve(undefined);
        });
        socket.once('error', (error) => resolve(`UDP error: ${error.message}`));
        socket.connect(port, host);
      });
      socket.on('message', (bytes) => {
        const entry = bytes.length >= 2 ? pending.get(bytes.readUInt16BE(0)) : undefined;
        if (!entry) {
          // Garbage or an unknown ID: remember why, in case nothing better arrives in time. It
          // cannot be told which query it was meant for, so it never replaces a reason that was
          // specific to a query (a reply with its ID but another question).
          for (const waiting of pending.values()) waiting.lastBad ??= `reply with unknown ID or too short (${bytes.length} bytes) ignored`;
          return;
        }
        const verdict = entry.filter(bytes);
        if (verdict === true) entry.finish({ kind: 'reply', bytes });
        else entry.lastBad = verdict;
      });
      socket.on('error', (error) => {
        for (const entry of pending.values()) entry.finish({ kind: 'failed', detail: `UDP error: ${error.message}` });
      });
      socket.unref();
      pooled = { socket, pending, ready, connected: false };
      list.push(pooled);
      return pooled;
    }
    this.next = (this.next + 1) % list.length;
    return list[this.next] as PooledSocket;
  }

  /** Sends `build(id)` to host:port with an ID unused on the chosen socket. */
  exchange(host: string, port: number, build: (id: number) => Buffer, timeoutMs: number, filter: ReplyFilter, randomId: () => number): Promise<Exchange> {
    if (this.closed) return Promise.resolve({ kind: 'failed', detail: 'the DNS client is closed' });
    const pooled = this.socketFor(host, port);
    if (!pooled.connected) {
      return pooled.ready.then((notReady) =>
        notReady === undefined ? this.send(pooled, build, timeoutMs, filter, randomId) : { kind: 'failed', detail: notReady },
      );
    }
    return this.send(pooled, build, timeoutMs, filter, randomId);
  }

  private send(pooled: PooledSocket, build: (id: number) => Buffer, timeoutMs: number, filter: ReplyFilter, randomId: () => number): Promise<Exchange> {
    let id = randomId();
    while (pooled.pending.has(id)) id = randomId();
    return new Promise((resolve) => {
      let done = false;
      const finish = (result: Exchange): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        pooled.pending.delete(id);
        resolve(result);
      };
      const entry: Pending = { filter, finish };
      const timer = setTimeout(() => finish(entry.lastBad ? { kind: 'failed', detail: entry.lastBad } : { kind: 'timeout' }), timeoutMs);
      pooled.pending.set(id, entry);
      // No callback: a send error is emitted on the socket, whose handler fails its pending queries.
      pooled.socket.send(build(id));
    });
  }

  close(): void {
    this.closed = true;
    for (const list of this.sockets.values()) {
      for (const pooled of list) {
        for (const entry of pooled.pending.values()) entry.finish({ kind: 'failed', detail: 'the DNS client is closed' });
        pooled.socket.close();
      }
    }
    this.sockets.clear();
  }
}

/** One query over TCP (RFC 7766): two-byte length prefix each way. */
export function tcpExchange(host: string, port: number, query: Buffer, timeoutMs: number): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = new TcpSocket();
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const finish = (result: Exchange): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
    socket.on('error', (error) => finish({ kind: 'failed', detail: `TCP error: ${error.message}` }));
    socket.on('close', () => finish({ kind: 'failed', detail: 'TCP connection closed before a full reply' }));
    socket.on('data', (data) => {
      chunks.push(data);
      received += data.length;
      if (received < 2) return;
      const all = Buffer.concat(chunks);
      const length = all.readUInt16BE(0);
      if (all.length >= 2 + length) finish({ kind: 'reply', bytes: all.subarray(2, 2 + length) });
    });
    socket.connect(port, host, () => {
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16BE(query.length);
      socket.write(Buffer.concat([prefix, query]));
    });
  });
}
