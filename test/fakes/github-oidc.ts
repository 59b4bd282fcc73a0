import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signJwt } from '../../src/simulator/jwt.js';

/**
 * A fake of GitHub Actions' OIDC side on loopback: the runner's ID-token endpoint
 * (ACTIONS_ID_TOKEN_REQUEST_URL, as @actions/core's getIDToken calls it: GET with the request
 * token as Bearer, `&audience=`), and the issuer's discovery document and JWKS, which Entra (and
 * the simulator's login) fetch to check the token's signature.
 * docs.github.com: "About security hardening with OpenID Connect".
 */
export interface FakeGitHubOidc {
  /** The issuer (`iss`), e.g. http://127.0.0.1:PORT. */
  readonly issuer: string;
  /** ACTIONS_ID_TOKEN_REQUEST_URL. */
  readonly requestUrl: string;
  /** ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  readonly requestToken: string;
  /** Tokens handed out (the JWT itself too, so a test can check no log shows it). */
  readonly issued: { readonly audience: string; readonly subject: string; readonly token: string }[];
  close(): Promise<void>;
}

export interface FakeGitHubOidcOptions {
  /** The `sub` claim, e.g. `repo:contoso-123/it-audit-456:ref:refs/heads/main`. */
  readonly subject: string;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * Starts the fake on a free loopback port. The ID-token endpoint checks the runner's request
 * token and takes `audience` from the query, as @actions/core's getIDToken sends them.
 */
export async function startFakeGitHubOidc(options: FakeGitHubOidcOptions): Promise<FakeGitHubOidc> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const jwk = publicKey.export({ format: 'jwk' });
  const kid = randomUUID();
  const requestToken = `runtime-${randomUUID()}`;
  const issued: { audience: string; subject: string; token: string }[] = [];
  let issuer = '';
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', issuer);
    if (req.method !== 'GET') return send(res, 405, { message: 'method not allowed' });
    if (url.pathname === '/.well-known/openid-configuration') {
      return send(res, 200, {
        issuer,
        jwks_uri: `${issuer}/.well-known/jwks`,
        subject_types_supported: ['public', 'pairwise'],
        response_types_supported: ['id_token'],
        claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf', 'ref', 'repository', 'repository_id'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid'],
      });
    }
    if (url.pathname === '/.well-known/jwks') {
      return send(res, 200, { keys: [{ kty: 'RSA', alg: 'RS256', use: 'sig', kid, n: jwk.n, e: jwk.e }] });
    }
    if (url.pathname === '/idtoken') {
      if (req.headers.authorization !== `Bearer ${requestToken}`)
        return send(res, 401, { message: 'bad request token' });
      const audience = url.searchParams.get('audience') ?? 'https://github.com/contoso';
      const now = Math.floor(Date.now() / 1000);
      const value = signJwt(
        { kid, x5t: kid },
        {
          jti: randomUUID(),
          sub: options.subject,
          aud: audience,
          ref: 'refs/heads/main',
          repository: 'contoso/it-audit',
          repository_id: '456',
          repository_owner: 'contoso',
          repository_owner_id: '123',
          event_name: 'schedule',
          iss: issuer,
          nbf: now - 5,
          iat: now,
          exp: now + 300,
        },
        privatePem,
      );
      issued.push({ audience, subject: options.subject, token: value });
      return send(res, 200, { count: 1, value });
    }
    send(res, 404, { message: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  issuer = `http://127.0.0.1:${port}`;
  return {
    issuer,
    requestUrl: `${issuer}/idtoken?api-version=2.0`,
    requestToken,
    issued,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
