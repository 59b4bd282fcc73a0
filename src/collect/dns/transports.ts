import { createSocket } from 'node:dgram';
import { isIP, Socket } from 'node:net';

/** What one exchange with one server ended in. */
export type Exchange =
  | { readonly kind: 'reply'; readonly bytes: Buffer }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'failed'; readonly detail: string };

/** Judges a raw reply: `true` when it is the answer to our query, a string when it is not. */
export type ReplyFilter = (bytes: Buffer) => true | string;

/**
 * One query over UDP. Replies that fail the filter (wrong ID or question) are ignored while we
 * keep waiting, as RFC 5452 §9.1 asks; if only such replies came, the last reason is returned.
 */
export function udpExchange(host: string, port: number, query: Buffer, timeoutMs: number, filter: ReplyFilter): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = createSocket(isIP(host.split('%')[0] ?? '') === 6 ? 'udp6' : 'udp4');
    let lastBad: string | undefined;
    let settled = false;
    const finish = (result: Exchange): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.close();
      resolve(result);
    };
    const timer = setTimeout(() => finish(lastBad ? { kind: 'failed', detail: lastBad } : { kind: 'timeout' }), timeoutMs);
    socket.on('error', (error) => finish({ kind: 'failed', detail: `UDP error: ${error.message}` }));
    socket.on('message', (bytes, remote) => {
      if (remote.port !== port) return;
      const verdict = filter(bytes);
      if (verdict === true) finish({ kind: 'reply', bytes });
      else lastBad = verdict;
    });
    socket.send(query, port, host, (error) => {
      if (error) finish({ kind: 'failed', detail: `UDP send failed: ${error.message}` });
    });
  });
}

/** One query over TCP (RFC 7766): two-byte length prefix each way. */
export function tcpExchange(host: string, port: number, query: Buffer, timeoutMs: number): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = new Socket();
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

/** DNS-over-HTTPS (RFC 8484 §4.1): POST application/dns-message. */
export async function dohExchange(url: string, query: Buffer, timeoutMs: number, fetcher: typeof fetch): Promise<Exchange> {
  try {
    const response = await fetcher(url, {
      method: 'POST',
      headers: { 'content-type': 'application/dns-message', accept: 'application/dns-message' },
      body: new Uint8Array(query),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status !== 200) return { kind: 'failed', detail: `DoH server answered HTTP ${response.status}` };
    const type = response.headers.get('content-type') ?? '';
    if (!type.toLowerCase().startsWith('application/dns-message')) {
      return { kind: 'failed', detail: `DoH server answered content-type "${type}"` };
    }
    return { kind: 'reply', bytes: Buffer.from(await response.arrayBuffer()) };
  } catch (error: unknown) {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return { kind: 'timeout' };
    return { kind: 'failed', detail: `DoH request failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
