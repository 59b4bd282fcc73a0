import type { AuthenticationProvider, Context, Middleware } from '@microsoft/microsoft-graph-client';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Whether a URL is plain HTTP on this machine (the simulator), never anything reachable from outside. */
export function isLoopbackHttp(url: string): boolean {
  const parsed = new URL(url);
  return parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname);
}

/**
 * Attaches the bearer token for plain-HTTP loopback URLs only. The SDK's AuthenticationHandler
 * attaches tokens only to https URLs (GraphRequestUtil.isValidEndpoint), and the simulator serves
 * Graph over HTTP on 127.0.0.1; the token comes from the same AuthenticationProvider.
 * It sits directly after the AuthenticationHandler and does nothing for any other URL.
 */
export class LoopbackBearerMiddleware implements Middleware {
  private next: Middleware | undefined;

  constructor(private readonly provider: AuthenticationProvider) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    if (!this.next) throw new Error('LoopbackBearerMiddleware needs a next middleware');
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    if (isLoopbackHttp(url)) {
      const token = await this.provider.getAccessToken();
      const options = context.options ?? {};
      const value = `Bearer ${token}`;
      if (options.headers instanceof Headers) options.headers.set('Authorization', value);
      else if (Array.isArray(options.headers)) options.headers.push(['Authorization', value]);
      else options.headers = { ...(options.headers ?? {}), Authorization: value };
      context.options = options;
    }
    await this.next.execute(context);
  }
}
