import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimResponse } from './graph-error.js';

/** Reads a request body, refusing anything over `limit` bytes. */
export async function readBody(request: IncomingMessage, limit = 4 * 1024 * 1024): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Writes a simulator response as JSON (or nothing for 204). */
export function send(response: ServerResponse, result: SimResponse): void {
  const text = result.body === undefined ? '' : JSON.stringify(result.body);
  response.writeHead(result.status, { ...result.headers, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
