import type { AccessToken, TokenCredential } from '@azure/identity';

/** A credential passed in as a parameter, for transport tests that are not about auth. */
export function fakeCredential(token = 'test-token'): TokenCredential & { readonly scopes: string[] } {
  const scopes: string[] = [];
  return {
    scopes,
    async getToken(requested: string | string[]): Promise<AccessToken> {
      scopes.push(...(Array.isArray(requested) ? requested : [requested]));
      return { token, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
}
