import {
  AzureCliCredential,
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  EnvironmentCredential,
  type AccessToken,
  type GetTokenOptions,
  type TokenCredential,
} from '@azure/identity';
import { ConfigurationError, errorMessage } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { TenantTarget } from './tenant-target.js';
import { CLOUD_ENDPOINTS } from './clouds.js';
import { type IdTokenClaims, idTokenClaims } from './id-token-claims.js';

export interface CredentialDeps {
  readonly logger: Logger;
  /** Fetches the GitHub OIDC token for an audience: `core.getIDToken` in the Action. */
  readonly getIdToken?: (audience: string) => Promise<string>;
  /** Extra CA for the authority (the simulator's), trusted by this credential only. */
  readonly authorityCa?: string;
  /** Told the claims of each GitHub OIDC token presented (never the token), for the log. */
  readonly onIdToken?: (claims: IdTokenClaims) => void;
}

const KNOWN_AUTHORITIES: ReadonlySet<string> = new Set(Object.values(CLOUD_ENDPOINTS).map((c) => c.authority));

/**
 * Registers every token with the logger so that no log line can ever show one, and shares one
 * token request among callers that ask for the same scope at once (the first requests of a run
 * start together, before MSAL's cache holds anything).
 */
function masked(credential: TokenCredential, logger: Logger, authority: string): TokenCredential {
  const inFlight = new Map<string, Promise<AccessToken | null>>();
  const fetchToken = async (scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> => {
    let token: AccessToken | null;
    try {
      token = await credential.getToken(scopes, options);
    } catch (error: unknown) {
      // Named as an authentication failure, so it is not mistaken for a Graph outage.
      throw new Error(`authentication at ${authority} failed: ${errorMessage(error)}`);
    }
    if (token) logger.secret(token.token);
    return token;
  };
  return {
    getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      const key = Array.isArray(scopes) ? scopes.join(' ') : scopes;
      const pending = inFlight.get(key);
      if (pending) return pending;
      const request = fetchToken(scopes, options).finally(() => inFlight.delete(key));
      inFlight.set(key, request);
      return request;
    },
  };
}

/**
 * Builds the @azure/identity credential for a tenant target. In the Action the default is GitHub
 * OIDC federation: `ClientAssertionCredential` with the job's ID token for the cloud's
 * token-exchange audience, so no secret is stored anywhere.
 */
export function createCredential(target: TenantTarget, deps: CredentialDeps): TokenCredential {
  const { logger } = deps;
  const authorityHost = target.endpoints.authority;
  const options = {
    authorityHost,
    // MSAL validates unknown authorities against login.microsoftonline.com; a private or simulated
    // authority (an override) cannot be discovered that way, so it is trusted as configured.
    disableInstanceDiscovery: !KNOWN_AUTHORITIES.has(authorityHost),
    ...(deps.authorityCa ? { tlsOptions: { ca: deps.authorityCa } } : {}),
  };
  const clientId = (): string => {
    if (target.clientId === undefined)
      throw new ConfigurationError(`client ID missing: --client-id / input "client-id" is required`);
    return target.clientId;
  };
  const creds = target.credentials;
  switch (creds.kind) {
    case 'client-secret':
      logger.secret(creds.secret);
      return masked(
        new ClientSecretCredential(target.tenantId, clientId(), creds.secret, options),
        logger,
        authorityHost,
      );
    case 'certificate':
      logger.secret(creds.pem);
      return masked(
        new ClientCertificateCredential(target.tenantId, clientId(), { certificate: creds.pem }, options),
        logger,
        authorityHost,
      );
    case 'github-oidc': {
      const getIdToken = deps.getIdToken;
      if (!getIdToken)
        throw new ConfigurationError(
          'GitHub OIDC needs the Actions runtime; pass a client secret or certificate instead',
        );
      const audience = target.endpoints.tokenExchangeAudience;
      return masked(
        new ClientAssertionCredential(
          target.tenantId,
          clientId(),
          async () => {
            // Called by MSAL whenever it needs a new token, so short-lived GitHub JWTs are fine.
            const token = await getIdToken(audience);
            logger.secret(token);
            const claims = idTokenClaims(token);
            if (claims) deps.onIdToken?.(claims);
            return token;
          },
          options,
        ),
        logger,
        authorityHost,
      );
    }
    case 'environment':
      return masked(new EnvironmentCredential(options), logger, authorityHost);
    case 'azure-cli':
      return masked(new AzureCliCredential({ tenantId: target.tenantId }), logger, authorityHost);
  }
}
