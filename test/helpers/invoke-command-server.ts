import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the server saw. */
export interface SeenRequest {
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: { CmdletInput?: { CmdletName?: string; Parameters?: Record<string, unknown> } };
}

/** What a handler answers: a status, a JSON body and optional headers. */
export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export type Handler = (request: SeenRequest, base: string) => Reply | 'drop';

/**
 * A loopback HTTP server that speaks the Exchange admin API's `InvokeCommand` (POST, JSON body
 * `{CmdletInput:{CmdletName,Parameters}}`). `drop` destroys the socket, to test network errors.
 */
export async function startInvokeCommandServer(handler: Handler): Promise<{
  readonly base: string;
  readonly seen: SeenRequest[];
  close(): Promise<void>;
}> {
  const seen: SeenRequest[] = [];
  let base = '';
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const request: SeenRequest = {
        url: req.url ?? '',
        headers: req.headers,
        body: text === '' ? {} : (JSON.parse(text) as SeenRequest['body']),
      };
      seen.push(request);
      const reply = handler(request, base);
      if (reply === 'drop') {
        req.socket.destroy();
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    seen,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** An InvokeCommand collection body, as the API returns it. */
export function collection(
  base: string,
  value: readonly unknown[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    '@odata.context': `${base}/adminapi/beta/contoso.onmicrosoft.com/$metadata#Collection(Exchange.GenericHashTable)`,
    'adminapi.warnings@odata.type': '#Collection(String)',
    '@adminapi.warnings': [],
    value,
    ...extra,
  };
}
