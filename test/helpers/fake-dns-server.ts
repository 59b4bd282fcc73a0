import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import * as packet from 'dns-packet';

/** What the fake server does with one query: a reply packet, raw bytes, or silence. */
export type FakeReply = packet.Packet | Buffer | undefined;
export type FakeHandler = (query: packet.DecodedPacket, transport: 'udp' | 'tcp') => FakeReply;

export interface FakeDnsServer {
  readonly port: number;
  readonly address: string;
  readonly queries: { name: string; type: string; transport: 'udp' | 'tcp' }[];
  close(): Promise<void>;
}

function encode(reply: FakeReply): Buffer | undefined {
  if (reply === undefined) return undefined;
  return Buffer.isBuffer(reply) ? reply : packet.encode(reply);
}

/**
 * A tiny DNS server on 127.0.0.1 (UDP and TCP on the same port) whose answers a test decides:
 * garbage, silence, a wrong ID, or a crafted reply. For the client's bad-input tests.
 */
export async function startFakeDnsServer(handler: FakeHandler): Promise<FakeDnsServer> {
  // UDP picks a free port; TCP on the same number may be taken by another process: try again.
  for (let attempt = 0; ; attempt++) {
    try {
      return await startOnce(handler);
    } catch (error: unknown) {
      if (attempt >= 20 || !(error instanceof Error) || !error.message.includes('EADDRINUSE')) throw error;
    }
  }
}

async function startOnce(handler: FakeHandler): Promise<FakeDnsServer> {
  const queries: FakeDnsServer['queries'] = [];
  const udp: UdpSocket = createSocket('udp4');
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  const port = udp.address().port;
  udp.on('message', (bytes, remote) => {
    const query = packet.decode(bytes);
    const q = query.questions?.[0];
    queries.push({ name: q?.name ?? '', type: q?.type ?? '', transport: 'udp' });
    const out = encode(handler(query, 'udp'));
    if (out) udp.send(out, remote.port, remote.address);
  });
  const tcp: Server = createServer((socket) => {
    let buffered = Buffer.alloc(0);
    socket.on('data', (data) => {
      buffered = Buffer.concat([buffered, data]);
      if (buffered.length < 2) return;
      const length = buffered.readUInt16BE(0);
      if (buffered.length < 2 + length) return;
      const query = packet.decode(buffered.subarray(2, 2 + length));
      const q = query.questions?.[0];
      queries.push({ name: q?.name ?? '', type: q?.type ?? '', transport: 'tcp' });
      const out = encode(handler(query, 'tcp'));
      if (!out) return;
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16BE(out.length);
      socket.end(Buffer.concat([prefix, out]));
    });
    socket.on('error', () => undefined);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(port, '127.0.0.1', () => resolve());
    });
  } catch (error: unknown) {
    await new Promise<void>((resolve) => udp.close(() => resolve()));
    throw error;
  }
  return {
    port,
    address: '127.0.0.1',
    queries,
    close: async () => {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}

/** A reply to `query` with the given answers and flags. */
export function replyTo(query: packet.DecodedPacket, answers: packet.Answer[], flags = 0, rcode = 0): packet.Packet {
  return {
    type: 'response',
    id: query.id ?? 0,
    flags: packet.RECURSION_AVAILABLE | flags | rcode,
    questions: query.questions ?? [],
    answers,
  };
}
