import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import type { AuthenticationProvider } from '@microsoft/microsoft-graph-client';

/** Tokens are renewed this long before they expire, so none expires in flight. */
const RENEW_BEFORE_MS = 5 * 60_000;

/**
 * Keeps the last token per scope set and hands it out until shortly before it expires (or
 * until its `refreshAfterTimestamp`). @azure/identity caches tokens too, but each lookup goes
 * through MSAL's authority and cache code, about a millisecond of CPU: at 2,000 requests per
 * second that was a sixth of the audit's CPU. Concurrent callers share one pending request.
 */
export class CachedTokenCredential implements TokenCredential {
  private readonly tokens = new Map<string, AccessToken>();
  private readonly pending = new Map<string, Promise<AccessToken | null>>();

  constructor(
    private readonly inner: TokenCredential,
    private readonly now: () => number = Date.now,
  ) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    const key = (Array.isArray(scopes) ? scopes : [scopes]).join(' ');
    // Claims challenges and tenant overrides ask for a fresh, different token: pass them through.
    if (options?.claims !== undefined || options?.tenantId !== undefined) return this.inner.getToken(scopes, options);
    const cached = this.tokens.get(key);
    const now = this.now();
    if (
      cached &&
      now < cached.expiresOnTimestamp - RENEW_BEFORE_MS &&
      (cached.refreshAfterTimestamp === undefined || now < cached.refreshAfterTimestamp)
    ) {
      return cached;
    }
    let request = this.pending.get(key);
    if (!request) {
      request = this.inner.getToken(scopes, options).finally(() => this.pending.delete(key));
      this.pending.set(key, request);
    }
    const token = await request;
    if (token) this.tokens.set(key, token);
    else this.tokens.delete(key);
    return token;
  }
}

/**
 * The Graph SDK's AuthenticationProvider over a cached credential. It replaces the SDK's
 * TokenCredentialAuthenticationProvider, which builds an Error (with a stack trace) on every
 * call in case it needs one: measurable at thousands of requests per second.
 */
export class CachedTokenAuthenticationProvider implements AuthenticationProvider {
  private readonly credential: CachedTokenCredential;

  constructor(
    credential: TokenCredential,
    private readonly scopes: readonly string[],
  ) {
    this.credential = credential instanceof CachedTokenCredential ? credential : new CachedTokenCredential(credential);
  }

  async getAccessToken(): Promise<string> {
    const token = await this.credential.getToken([...this.scopes]);
    if (!token) throw new Error(`no access token for ${this.scopes.join(' ')}`);
    return token.token;
  }
}
