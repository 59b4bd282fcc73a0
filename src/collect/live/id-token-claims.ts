/** What the run may say about the GitHub OIDC token it presented: never the token itself. */
export interface IdTokenClaims {
  readonly issuer: string;
  readonly subject: string;
  readonly audience: string;
}

/**
 * The `iss`, `sub` and `aud` claims of a JWT (RFC 7519 §4.1), read without checking the
 * signature: they are only shown, as azure/login does, so a federated-credential mismatch can
 * be seen in the log. `undefined` when the token is not a readable JWT.
 */
export function idTokenClaims(token: string): IdTokenClaims | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof claims !== 'object' || claims === null) return undefined;
  const { iss, sub, aud } = claims as Record<string, unknown>;
  const audience = Array.isArray(aud) ? aud.filter((a) => typeof a === 'string').join(' ') : aud;
  if (typeof iss !== 'string' || typeof sub !== 'string' || typeof audience !== 'string') return undefined;
  return { issuer: iss, subject: sub, audience };
}
