import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import type { Context, Middleware, MiddlewareOptions } from '@microsoft/microsoft-graph-client';
import { deadlineError } from '../deadline.js';

export interface HttpHandlerOptions {
  /**
   * Extra CA certificates (PEM) to trust for this client only: the simulator's or a private
   * endpoint's. Never a process-wide switch such as NODE_TLS_REJECT_UNAUTHORIZED.
   */
  readonly ca?: string;
  /** Whole-attempt timeout, including a stalled body. */
  readonly timeoutMs: number;
  readonly maxSockets?: number;
  /** The collection deadline (collect/deadline.ts): an attempt in flight when it passes is cut. */
  readonly signal?: AbortSignal;
}

/** A network-level failure (reset, timeout, DNS), retried by the throttling middleware. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
}

/**
 * A per-request middleware option (the SDK's MiddlewareControl): hand a 2xx body on as a stream
 * instead of buffering it, for pages parsed record by record. Error bodies stay buffered, so
 * the retry and error paths read them as before. The whole-attempt timeout still covers the body.
 */
export class StreamedBody implements MiddlewareOptions {}

function headerRecord(init: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(init ?? {}).forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

/**
 * The last middleware: sends the request with node:http(s) and stores a fetch `Response` in the
 * context. It replaces the SDK's HTTPMessageHandler (global fetch) so that a client can trust an
 * extra CA without touching global TLS settings, and so a stalled body times out.
 */
export class NodeHttpHandler implements Middleware {
  private readonly httpsAgent: https.Agent;
  private readonly httpAgent: http.Agent;

  constructor(private readonly options: HttpHandlerOptions) {
    const maxSockets = options.maxSockets ?? 32;
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets, ...(options.ca ? { ca: options.ca } : {}) });
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets });
  }

  setNext(): void {
    // The HTTP handler ends the chain.
  }

  destroy(): void {
    this.httpsAgent.destroy();
    this.httpAgent.destroy();
  }

  execute(context: Context): Promise<void> {
    const url = new URL(typeof context.request === 'string' ? context.request : context.request.url);
    const init = context.options ?? {};
    const body = typeof init.body === 'string' ? init.body : undefined;
    const headers = headerRecord(init.headers);
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const secure = url.protocol === 'https:';
    const transport = secure ? https : http;
    const streamed = context.middlewareControl?.getMiddlewareOptions(StreamedBody) !== undefined;
    const { signal } = this.options;
    if (signal?.aborted) return Promise.reject(deadlineError(signal));
    return new Promise<void>((resolve, reject) => {
      const request = transport.request(url, {
        method: init.method ?? 'GET',
        headers,
        agent: secure ? this.httpsAgent : this.httpAgent,
      });
      const onDeadline = () => request.destroy(signal ? deadlineError(signal) : new NetworkError('aborted'));
      signal?.addEventListener('abort', onDeadline, { once: true });
      const timer = setTimeout(() => {
        request.destroy(new NetworkError(`no complete response within ${this.options.timeoutMs} ms`));
      }, this.options.timeoutMs);
      /** The attempt is over: its timer and its deadline listener go. */
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onDeadline);
      };
      request.on('error', (error) => {
        done();
        reject(
          error instanceof NetworkError || error.name === 'DeadlinePassed' ? error : new NetworkError(error.message),
        );
      });
      request.on('response', (incoming) => {
        const status = incoming.statusCode ?? 0;
        const responseHeaders = (): Headers => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(incoming.headers)) {
            if (value === undefined) continue;
            headers.set(name, Array.isArray(value) ? value.join(', ') : value);
          }
          return headers;
        };
        if (streamed && status >= 200 && status <= 299 && status !== 204 && status !== 205) {
          // The timer runs on until the body ends, so a stalled body still fails the read.
          incoming.once('close', () => done());
          incoming.on('aborted', () => incoming.destroy(new NetworkError('response aborted')));
          const stream = Readable.toWeb(incoming) as unknown as ReadableStream<Uint8Array>;
          context.response = new Response(stream, {
            status,
            statusText: incoming.statusMessage ?? '',
            headers: responseHeaders(),
          });
          resolve();
          return;
        }
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', (error) => {
          done();
          reject(new NetworkError(error.message));
        });
        incoming.on('aborted', () => {
          done();
          reject(new NetworkError('response aborted'));
        });
        incoming.on('end', () => {
          done();
          if (status < 200 || status > 599) {
            reject(new NetworkError(`invalid HTTP status ${status}`));
            return;
          }
          const nullBody = status === 204 || status === 205 || status === 304;
          context.response = new Response(nullBody ? null : Buffer.concat(chunks), {
            status,
            statusText: incoming.statusMessage ?? '',
            headers: responseHeaders(),
          });
          resolve();
        });
      });
      if (body !== undefined) request.write(body);
      request.end();
    });
  }
}
