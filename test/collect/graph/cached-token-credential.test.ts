import type { AccessToken, TokenCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import {
  CachedTokenAuthenticationProvider,
  CachedTokenCredential,
} from '../../../src/collect/graph/cached-token-credential.js';

function countingCredential(lifetimeMs: number, now: () => number): TokenCredential & { calls: number } {
  const credential = {
    calls: 0,
    async getToken(): Promise<AccessToken> {
      credential.calls += 1;
      return { token: `token-${credential.calls}`, expiresOnTimestamp: now() + lifetimeMs };
    },
  };
  return credential;
}

describe('CachedTokenCredential', () => {
  it('reuses a token until five minutes before it expires, then asks again', async () => {
    let now = 0;
    const inner = countingCredential(3_600_000, () => now);
    const cached = new CachedTokenCredential(inner, () => now);
    expect((await cached.getToken('https://graph.example/.default'))?.token).toBe('token-1');
    now = 3_600_000 - 300_001;
    expect((await cached.getToken('https://graph.example/.default'))?.token).toBe('token-1');
    now = 3_600_000 - 300_000;
    expect((await cached.getToken('https://graph.example/.default'))?.token).toBe('token-2');
    expect(inner.calls).toBe(2);
  });

  it('keeps tokens per scope, shares one request between concurrent callers, and passes claims through', async () => {
    const now = 0;
    const inner = countingCredential(3_600_000, () => now);
    const cached = new CachedTokenCredential(inner, () => now);
    const [a, b] = await Promise.all([
      cached.getToken('https://graph.example/.default'),
      cached.getToken('https://graph.example/.default'),
    ]);
    expect(a?.token).toBe('token-1');
    expect(b?.token).toBe('token-1');
    expect((await cached.getToken('https://outlook.example/.default'))?.token).toBe('token-2');
    expect((await cached.getToken('https://graph.example/.default', { claims: 'e30=' }))?.token).toBe('token-3');
    expect(inner.calls).toBe(3);
  });

  it('gives the SDK the token string, and fails closed when the credential has none', async () => {
    const provider = new CachedTokenAuthenticationProvider(countingCredential(3_600_000, Date.now), [
      'https://graph.example/.default',
    ]);
    expect(await provider.getAccessToken()).toBe('token-1');
    const none = new CachedTokenAuthenticationProvider({ getToken: async () => null }, [
      'https://graph.example/.default',
    ]);
    await expect(none.getAccessToken()).rejects.toThrow(/no access token/);
  });
});
