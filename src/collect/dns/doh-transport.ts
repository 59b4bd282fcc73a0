import http2, { type ClientHttp2Session } from 'node:http2';
import type { Exchange } from './transports.js';

/** RFC 1035 §4.2.2 / RFC 8484 §6: a DNS message is at most 65,535 bytes. */
const MAX_MESSAGE_BYTES = 65_535;

export interface DohOptions {
  /**
   * Certificate authorities to trust instead of Node's default store (PEM). Tests pass the
   * lab's own CA; in production, leave it out (NODE_EXTRA_CA_CERTS adds a private CA).
   */
  readonly ca?: string | readonly string[];
}

/**
 * DNS-over-HTTPS (RFC 8484) over HTTP/2, the version §5.2 recommends and the only one some
 * servers (Unbound's DoH) speak. One HTTP/2 session per origin carries every query as its own
 * stream (§5: many exchanges on one connection). TLS is verified as usual; a session that
 * failed or was closed by the server is replaced on the next query.
 */
export class DohSessions {
  private readonly sessions = new Map<string, { session: ClientHttp2Session; error?: string }>();
  private closed = false;

  constructor(private readonly options: DohOptions = {}) {}

  private sessionFor(origin: string): { session: ClientHttp2Session; error?: string } {
    const existing = this.sessions.get(origin);
    if (existing && !existing.session.closed && !existing.session.destroyed && existing.error === undefined)
      return existing;
    const ca = this.options.ca;
    const session = http2.connect(origin, ca === undefined ? {} : { ca: typeof ca === 'string' ? ca : [...ca] });
    const entry: { session: ClientHttp2Session; error?: string } = { session };
    // A session error (TLS, refused connection) also fails its streams; keep its reason for them.
    session.on('error', (error: Error) => {
      entry.error = error.message;
    });
    const forget = (): void => {
      if (this.sessions.get(origin) === entry) this.sessions.delete(origin);
    };
    session.on('close', forget);
    session.on('goaway', forget);
    // Idle sessions must not keep the process alive; a pending request holds its own timer.
    session.unref();
    this.sessions.set(origin, entry);
    return entry;
  }

  /** RFC 8484 §4.1: POST of the wire-format query as application/dns-message. */
  exchange(url: string, query: Buffer, timeoutMs: number): Promise<Exchange> {
    if (this.closed) return Promise.resolve({ kind: 'failed', detail: 'the DNS client is closed' });
    return new Promise((resolve) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (result: Exchange): void => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        resolve(result);
      };
      let target: URL;
      let entry: { session: ClientHttp2Session; error?: string };
      try {
        target = new URL(url);
        entry = this.sessionFor(target.origin);
      } catch (error: unknown) {
        finish({
          kind: 'failed',
          detail: `DoH request failed: ${error instanceof Error ? error.message : String(error)}`,
        });
        return;
      }
      const request = entry.session.request({
        ':method': 'POST',
        ':path': `${target.pathname}${target.search}`,
        'content-type': 'application/dns-message',
        accept: 'application/dns-message',
        'content-length': query.length,
      });
      timer = setTimeout(() => {
        request.close(http2.constants.NGHTTP2_CANCEL);
        finish({ kind: 'timeout' });
      }, timeoutMs);
      let status = 0;
      let contentType = '';
      const chunks: Buffer[] = [];
      let received = 0;
      request.on('response', (headers) => {
        status = Number(headers[':status'] ?? 0);
        contentType = String(headers['content-type'] ?? '');
      });
      request.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > MAX_MESSAGE_BYTES) {
          request.close(http2.constants.NGHTTP2_CANCEL);
          finish({
            kind: 'failed',
            detail: `DoH reply is larger than a DNS message (over ${MAX_MESSAGE_BYTES} bytes)`,
          });
          return;
        }
        chunks.push(chunk);
      });
      request.on('end', () => {
        if (status !== 200) {
          finish({ kind: 'failed', detail: `DoH server answered HTTP ${status}` });
        } else if (!contentType.toLowerCase().startsWith('application/dns-message')) {
          finish({ kind: 'failed', detail: `DoH server answered content-type "${contentType}"` });
        } else {
          finish({ kind: 'reply', bytes: Buffer.concat(chunks) });
        }
      });
      request.on('error', (error: Error) => {
        finish({ kind: 'failed', detail: `DoH request failed: ${entry.error ?? error.message}` });
      });
      request.on('close', () => {
        // Closed without 'end' or 'error' (e.g. RST_STREAM): not an answer.
        finish({
          kind: 'failed',
          detail: `DoH request failed: ${entry.error ?? `stream closed (code ${request.rstCode ?? '?'})`}`,
        });
      });
      request.end(query);
    });
  }

  close(): void {
    this.closed = true;
    for (const { session } of this.sessions.values()) session.destroy();
    this.sessions.clear();
  }
}
