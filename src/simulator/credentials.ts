import { generateKeyPair, randomUUID, X509Certificate, createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { generate } from 'selfsigned';
import { signJwt } from './jwt.js';

/** The app registration the simulated tenant knows. */
export interface SimulatorCredentials {
  readonly clientId: string;
  /** Accepted by the client-secret flow; absent: that flow is refused. */
  readonly clientSecret?: string;
  /** PEM certificates registered on the app, for the certificate flow (RFC 7523 client assertions). */
  readonly certificates?: readonly string[];
  /** PEM public keys of trusted federated issuers (workload identity federation). */
  readonly federatedKeys?: readonly string[];
  /** Audience a federated assertion must carry; Entra's default for GitHub OIDC. */
  readonly federatedAudience?: string;
  /**
   * A federated identity credential as Entra holds it: an assertion is accepted only from this
   * issuer (its signature checked with the keys the issuer publishes) and for this subject.
   */
  readonly federatedIdentity?: FederatedIdentity;
}

/** Entra's federated identity credential (learn.microsoft.com, "Workload identity federation"). */
export interface FederatedIdentity {
  /** The issuer URL, e.g. `https://token.actions.githubusercontent.com`; its JWKS is read from discovery. */
  readonly issuer: string;
  /** The exact `sub` claim, e.g. `repo:contoso-123/it-audit-456:ref:refs/heads/main`. */
  readonly subject: string;
}

/** The app registration as the login service checks it. */
export type RegisteredApp = Required<Omit<SimulatorCredentials, 'federatedIdentity'>> &
  Pick<SimulatorCredentials, 'federatedIdentity'>;

/** Credentials a client uses against the simulator; generated at start unless given. */
export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Certificate and private key in one PEM, as ClientCertificateCredential takes it. */
  readonly clientCertificatePem: string;
  /** A signed federated assertion (as GitHub's OIDC token would be) for ClientAssertionCredential. */
  federatedAssertion(subject?: string): string;
}

/** The simulator's default app: a fixed, documented client ID and secret, for demos only. */
export const SIMULATOR_CLIENT_ID = '5e3ce6c0-2b1f-4285-8d4b-75ee78787346';
export const SIMULATOR_CLIENT_SECRET = 'mailwarden-simulator-secret';
export const FEDERATED_AUDIENCE = 'api://AzureADTokenExchange';

const generateRsa = promisify(generateKeyPair);

export interface GeneratedKeys {
  /** Signs the access tokens the simulator issues. */
  readonly signing: { readonly privateKey: string; readonly publicKey: string; readonly kid: string };
  /**
   * TLS for the login endpoint and the policy hosts: self-signed for 127.0.0.1 and the policy
   * host names, so the client must trust it explicitly.
   */
  readonly tls: { readonly cert: string; readonly key: string };
  readonly client: ClientCredentials;
  readonly registered: RegisteredApp;
}

async function rsaPair(): Promise<{ privateKey: string; publicKey: string }> {
  return generateRsa('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

/**
 * Generates the keys of one simulator run; nothing is written to disk. `tlsNames` are DNS names
 * the TLS certificate is also valid for (the policy hosts, `mta-sts.<domain>`).
 */
export async function generateKeys(
  configured: SimulatorCredentials | undefined,
  tlsNames: readonly string[] = [],
): Promise<GeneratedKeys> {
  const now = new Date();
  const notAfter = new Date(now.getTime() + 7 * 24 * 3600 * 1000);
  const [signing, federated, tls, clientCert] = await Promise.all([
    rsaPair(),
    rsaPair(),
    generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keySize: 2048,
      algorithm: 'sha256',
      notBeforeDate: new Date(now.getTime() - 60_000),
      notAfterDate: notAfter,
      extensions: [
        { name: 'basicConstraints', cA: true },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [{ type: 7, ip: '127.0.0.1' }, ...tlsNames.map((value) => ({ type: 2 as const, value }))],
        },
      ],
    }),
    generate([{ name: 'commonName', value: 'mailwarden-simulator-client' }], {
      keySize: 2048,
      algorithm: 'sha256',
      notBeforeDate: new Date(now.getTime() - 60_000),
      notAfterDate: notAfter,
    }),
  ]);
  const clientId = configured?.clientId ?? SIMULATOR_CLIENT_ID;
  const clientSecret = configured?.clientSecret ?? SIMULATOR_CLIENT_SECRET;
  const federatedAudience = configured?.federatedAudience ?? FEDERATED_AUDIENCE;
  const kid = createHash('sha256').update(signing.publicKey).digest('base64url').slice(0, 16);
  return {
    signing: { ...signing, kid },
    tls: { cert: tls.cert, key: tls.private },
    client: {
      clientId,
      clientSecret,
      clientCertificatePem: `${clientCert.cert}\n${clientCert.private}`,
      federatedAssertion(subject = 'repo:example/mailwarden:ref:refs/heads/main') {
        const issuedAt = Math.floor(Date.now() / 1000);
        return signJwt(
          { kid: 'simulator-federated' },
          {
            iss: 'https://token.actions.githubusercontent.com',
            sub: subject,
            aud: federatedAudience,
            iat: issuedAt,
            nbf: issuedAt - 5,
            exp: issuedAt + 300,
            jti: randomUUID(),
          },
          federated.privateKey,
        );
      },
    },
    registered: {
      clientId,
      clientSecret,
      certificates: [...(configured?.certificates ?? []), clientCert.cert],
      federatedKeys: [...(configured?.federatedKeys ?? []), federated.publicKey],
      federatedAudience,
      ...(configured?.federatedIdentity ? { federatedIdentity: configured.federatedIdentity } : {}),
    },
  };
}

/** SHA-1 and SHA-256 thumbprints (base64url), as MSAL puts them in `x5t` / `x5t#S256`. */
export function thumbprints(certificatePem: string): { readonly sha1: string; readonly sha256: string } {
  const raw = new X509Certificate(certificatePem).raw;
  return {
    sha1: createHash('sha1').update(raw).digest('base64url'),
    sha256: createHash('sha256').update(raw).digest('base64url'),
  };
}
