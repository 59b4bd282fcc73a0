import http from 'node:http';
import https from 'node:https';
import { deadlineError } from '../deadline.js';
import type { FetchLike } from './exchange-client.js';

/**
 * A `fetch` over node:http(s) with its own agent, so the Exchange client can trust an extra CA
 * (the simulator's) without a process-wide TLS switch, and a stalled response times out.
 */
export function nodeFetch(options: {
  readonly ca?: string;
  readonly timeoutMs: number;
}): FetchLike & { destroy(): void } {
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 16, ...(options.ca ? { ca: options.ca } : {}) });
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const send = (input: string, init: RequestInit): Promise<Response> => {
    const url = new URL(input);
    const secure = url.protocol === 'https:';
    const headers: Record<string, string> = {};
    new Headers(init.headers ?? {}).forEach((value, key) => {
      headers[key] = value;
    });
    const body = typeof init.body === 'string' ? init.body : undefined;
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(deadlineError(signal));
    return new Promise<Response>((resolve, reject) => {
      const request = (secure ? https : http).request(url, {
        method: init.method ?? 'GET',
        headers,
        agent: secure ? httpsAgent : httpAgent,
      });
      // The collection deadline cuts an attempt in flight (collect/deadline.ts).
      const onDeadline = () => request.destroy(signal ? deadlineError(signal) : new Error('aborted'));
      signal?.addEventListener('abort', onDeadline, { once: true });
      const timer = setTimeout(
        () => request.destroy(new Error(`no complete response within ${options.timeoutMs} ms`)),
        options.timeoutMs,
      );
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onDeadline);
      };
      request.on('error', (error) => {
        done();
        reject(error);
      });
      request.on('response', (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', (error) => {
          done();
          reject(error);
        });
        incoming.on('end', () => {
          done();
          const responseHeaders = new Headers();
          for (const [key, value] of Object.entries(incoming.headers)) {
            if (typeof value === 'string') responseHeaders.set(key, value);
            else if (Array.isArray(value)) for (const v of value) responseHeaders.append(key, v);
          }
          const status = incoming.statusCode ?? 0;
          const payload = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          resolve(new Response(payload, { status, headers: responseHeaders }));
        });
      });
      if (body !== undefined) request.write(body);
      request.end();
    });
  };
  return Object.assign(send, {
    destroy: () => {
      httpsAgent.destroy();
      httpAgent.destroy();
    },
  });
}
