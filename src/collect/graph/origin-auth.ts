import type { TokenCredential } from '@azure/identity';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

/**
 * Attaches the bearer token to requests for the configured Graph origin only. It replaces the
 * SDK's AuthenticationHandler, whose host check accepts only `https://` URLs and so sent no
 * token to the simulator's loopback `http://` Graph; matching the whole origin (scheme, host,
 * port) is also the stricter rule: a token never follows a nextLink to another host.
 */
export class OriginAuthenticationHandler implements Middleware {
  private next: Middleware | undefined;

  constructor(
    private readonly credential: TokenCredential,
    private readonly origin: string,
    private readonly scope: string,
  ) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const headers = new Headers(context.options?.headers ?? {});
    if (new URL(url).origin === this.origin) {
      const token = await this.credential.getToken(this.scope);
      if (!token) throw new Error(`no token for ${this.scope}`);
      headers.set('authorization', `Bearer ${token.token}`);
    } else {
      headers.delete('authorization');
    }
    const flat: Record<string, string> = {};
    headers.forEach((value, key) => {
      flat[key] = value;
    });
    context.options = { ...(context.options ?? {}), headers: flat };
    if (!this.next) throw new Error('OriginAuthenticationHandler must not be the last middleware');
    await this.next.execute(context);
  }
}
