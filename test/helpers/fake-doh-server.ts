import http2, { type IncomingHttpHeaders } from 'node:http2';
import type { AddressInfo } from 'node:net';
import * as packet from 'dns-packet';
import { generate } from 'selfsigned';

/** What the fake DoH server does with one query: respond (status, content-type, body) or not at all. */
export type FakeDohHandler = (
  query: packet.DecodedPacket,
  headers: IncomingHttpHeaders,
  respond: (status: number, contentType: string, body: Buffer) => void,
) => void;

export interface FakeDohServer {
  /** https://127.0.0.1:PORT/dns-query */
  readonly url: string;
  /** The self-signed certificate, for the client to trust explicitly. */
  readonly ca: string;
  /** HTTP/2 sessions accepted so far. */
  sessions(): number;
  close(): Promise<void>;
}

/**
 * An HTTP/2 DoH server (RFC 8484) on 127.0.0.1 with a fresh self-signed certificate, whose
 * answers a test decides: for the DoH client's failure cases (HTTP errors, wrong content type,
 * garbage, silence). The real DoH server of the integration tests is Unbound (test/helpers/dns-lab.ts).
 */
export async function startFakeDohServer(handler: FakeDohHandler): Promise<FakeDohServer> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  const server = http2.createSecureServer({ key: pems.private, cert: pems.cert });
  let sessions = 0;
  const open = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    sessions++;
    open.add(session);
    session.on('close', () => open.delete(session));
  });
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const query = packet.decode(Buffer.concat(chunks));
      handler(query, headers, (status, contentType, body) => {
        stream.respond({ ':status': status, 'content-type': contentType });
        stream.end(body);
      });
    });
    stream.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}/dns-query`,
    ca: pems.cert,
    sessions: () => sessions,
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of open) session.destroy();
        server.close(() => resolve());
      }),
  };
}
