import { Socket as TcpSocket } from 'node:net';

/** What one exchange with one server ended in. */
export type Exchange =
  | { readonly kind: 'reply'; readonly bytes: Buffer }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'failed'; readonly detail: string };

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
