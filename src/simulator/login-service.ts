import { createHash, createPublicKey, type JsonWebKey, type KeyObject, randomUUID } from 'node:crypto';
import { X509Certificate } from 'node:crypto';
import { errorMessage } from '../errors.js';
import { isJsonObject, type JsonObject } from '../model/json.js';
import { type FederatedIdentity, type RegisteredApp, thumbprints } from './credentials.js';
import type { SimResponse } from './graph-error.js';
import { decodeJwt, publicKeyOf, signJwt, verifyJwtSignature, type DecodedJwt } from './jwt.js';

/** Graph application permissions the simulated app holds unless configured missing. */
export const GRAPH_PERMISSIONS = [
  'User.Read.All',
  'AuditLog.Read.All',
  'Policy.Read.All',
  'RoleManagement.Read.Directory',
  'GroupMember.Read.All',
  'Domain.Read.All',
  'IdentityRiskyUser.Read.All',
  'IdentityRiskEvent.Read.All',
  'MailboxSettings.Read',
  'Mail.ReadBasic.All',
  'Application.Read.All',
  'Directory.Read.All',
] as const;

/** The Exchange Online application permission (plus a role, which we do not model). */
export const EXCHANGE_PERMISSION = 'Exchange.ManageAsApp';

/** Audiences a Graph token may carry: the simulator's own origin or any national-cloud Graph host. */
export const GRAPH_AUDIENCES = [
  'https://graph.microsoft.com',
  'https://graph.microsoft.us',
  'https://dod-graph.microsoft.us',
  'https://microsoftgraph.chinacloudapi.cn',
  '00000003-0000-0000-c000-000000000000',
];

/** Audiences of an Exchange admin API token (per cloud). */
export const EXCHANGE_AUDIENCES = [
  'https://outlook.office365.com',
  'https://outlook.office.com',
  'https://outlook.office365.us',
  'https://webmail.apps.mil',
  'https://partner.outlook.cn',
  '00000002-0000-0ff1-ce00-000000000000',
];

export interface IssuedToken {
  readonly audience: string;
  readonly roles: readonly string[];
  readonly expiresAt: number;
}

export interface LoginServiceOptions {
  readonly baseUrl: string;
  readonly tenantId: string;
  readonly registered: RegisteredApp;
  readonly signing: { readonly privateKey: string; readonly publicKey: string; readonly kid: string };
  readonly graphOrigin: string;
  readonly exchangeOrigin: string;
  readonly missingPermissions: readonly string[];
  readonly tokenLifetimeSeconds?: number;
}

/** Entra ID's OAuth error body (AADSTS codes, RFC 6749 §5.2). */
function oauthError(status: number, error: string, code: number, description: string): SimResponse {
  const traceId = randomUUID();
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${randomUUID()} Timestamp: ${new Date().toISOString()}`,
      error_codes: [code],
      timestamp: new Date().toISOString(),
      trace_id: traceId,
      correlation_id: randomUUID(),
      error_uri: `https://login.microsoftonline.com/error?code=${String(code)}`,
    },
  };
}

/**
 * Entra ID's v2.0 endpoints for the client-credentials grant: OpenID metadata, instance
 * discovery, JWKS and the token endpoint, enough for MSAL (through @azure/identity) with an
 * `authorityHost` override. Client authentication: secret, certificate assertion (RFC 7523,
 * `x5t`/`x5t#S256` header) or a federated assertion from a trusted issuer.
 */
export class LoginService {
  private readonly certificates: { sha1: string; sha256: string; pem: string }[];

  constructor(private readonly options: LoginServiceOptions) {
    this.certificates = options.registered.certificates.map((pem) => ({ pem, ...thumbprints(pem) }));
  }

  private tenantBase(tenant: string): string {
    return `${this.options.baseUrl}/${tenant}`;
  }

  private knownTenant(tenant: string): boolean {
    return tenant.toLowerCase() === this.options.tenantId.toLowerCase();
  }

  async handle(method: string, url: URL, form: URLSearchParams): Promise<SimResponse> {
    const segments = url.pathname.split('/').filter((s) => s !== '');
    if (method === 'GET' && url.pathname === '/common/discovery/instance') return this.instanceDiscovery(url);
    const [tenant = '', ...rest] = segments;
    const tail = rest.join('/');
    if (
      method === 'GET' &&
      (tail === 'v2.0/.well-known/openid-configuration' || tail === '.well-known/openid-configuration')
    ) {
      if (!this.knownTenant(tenant)) return oauthError(400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found.`);
      return { status: 200, headers: { 'content-type': 'application/json' }, body: this.openIdConfiguration(tenant) };
    }
    if (method === 'GET' && tail === 'discovery/v2.0/keys') {
      return { status: 200, headers: { 'content-type': 'application/json' }, body: this.jwks() };
    }
    if (method === 'POST' && tail === 'oauth2/v2.0/token') return this.token(tenant, form);
    return oauthError(
      404,
      'invalid_request',
      900561,
      `The endpoint ${method} ${url.pathname} is not served by the simulated tenant.`,
    );
  }

  private openIdConfiguration(tenant: string): JsonObject {
    const base = this.tenantBase(tenant);
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${base}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${this.options.graphOrigin}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'tid'],
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
    };
  }

  /** MSAL's instance discovery (`/common/discovery/instance`): this host is its own cloud. */
  private instanceDiscovery(url: URL): SimResponse {
    const host = new URL(this.options.baseUrl).host;
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: {
        tenant_discovery_endpoint: `${this.tenantBase(this.options.tenantId)}/v2.0/.well-known/openid-configuration`,
        'api-version': url.searchParams.get('api-version') ?? '1.1',
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      },
    };
  }

  private jwks(): JsonObject {
    const jwk = publicKeyOf(this.options.signing.publicKey).export({ format: 'jwk' });
    return { keys: [{ kty: 'RSA', use: 'sig', kid: this.options.signing.kid, n: String(jwk.n), e: String(jwk.e) }] };
  }

  private async token(tenant: string, form: URLSearchParams): Promise<SimResponse> {
    if (!this.knownTenant(tenant)) {
      return oauthError(
        400,
        'invalid_request',
        90002,
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID.`,
      );
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return oauthError(
        400,
        'unsupported_grant_type',
        70003,
        'The app requested an unsupported grant type; the simulator serves client_credentials only.',
      );
    }
    const clientId = form.get('client_id') ?? '';
    if (clientId !== this.options.registered.clientId) {
      return oauthError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`,
      );
    }
    const scope = form.get('scope') ?? '';
    const resources = scope.split(' ').filter((s) => s.endsWith('/.default'));
    if (resources.length !== 1) {
      return oauthError(
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    const audience = (resources[0] ?? '').slice(0, -'/.default'.length);
    const failure = await this.authenticateClient(clientId, form);
    if (failure !== undefined) return failure;

    const isExchange = audience === this.options.exchangeOrigin || EXCHANGE_AUDIENCES.includes(audience);
    const isGraph = audience === this.options.graphOrigin || GRAPH_AUDIENCES.includes(audience);
    if (!isExchange && !isGraph) {
      return oauthError(
        400,
        'invalid_resource',
        500011,
        `The resource principal named ${audience} was not found in the tenant named ${tenant}.`,
      );
    }
    const granted = isExchange ? [EXCHANGE_PERMISSION] : [...GRAPH_PERMISSIONS];
    const roles = granted.filter((r) => !this.options.missingPermissions.includes(r));
    const lifetime = this.options.tokenLifetimeSeconds ?? 3599;
    const issuedAt = Math.floor(Date.now() / 1000);
    const accessToken = signJwt(
      { kid: this.options.signing.kid, x5t: this.options.signing.kid },
      {
        aud: audience,
        iss: `https://sts.windows.net/${this.options.tenantId}/`,
        iat: issuedAt,
        nbf: issuedAt - 5,
        exp: issuedAt + lifetime,
        appid: clientId,
        azp: clientId,
        idtyp: 'app',
        oid: createHash('sha256').update(clientId).digest('hex').slice(0, 32),
        roles,
        tid: this.options.tenantId,
        ver: '1.0',
      },
      this.options.signing.privateKey,
    );
    return {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
      body: { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken },
    };
  }

  private async authenticateClient(clientId: string, form: URLSearchParams): Promise<SimResponse | undefined> {
    const secret = form.get('client_secret');
    const assertion = form.get('client_assertion');
    if (secret !== null) {
      if (secret !== this.options.registered.clientSecret) {
        return oauthError(
          401,
          'invalid_client',
          7000215,
          'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
        );
      }
      return undefined;
    }
    if (assertion === null)
      return oauthError(
        401,
        'invalid_client',
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      );
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
      return oauthError(401, 'invalid_client', 700023, 'Invalid client assertion type.');
    }
    const jwt = decodeJwt(assertion);
    if (jwt === undefined) return oauthError(401, 'invalid_client', 700025, 'Client assertion is not a valid JWT.');
    const now = Math.floor(Date.now() / 1000);
    const exp = jwt.payload.exp;
    if (typeof exp !== 'number' || exp < now - 300)
      return oauthError(401, 'invalid_client', 700024, 'Client assertion is not within its valid time range.');
    const x5t = jwt.header['x5t#S256'] ?? jwt.header.x5t;
    // An assertion the app signed itself names the app as issuer (RFC 7523 §3); any other issuer
    // is a federated one. GitHub's tokens carry an x5t header too, so it cannot tell them apart.
    const identity = this.options.registered.federatedIdentity;
    if (identity !== undefined && jwt.payload.iss !== clientId) return this.federatedIdentityAssertion(jwt, identity);
    if (typeof x5t === 'string') return this.certificateAssertion(clientId, jwt);
    return this.federatedAssertion(jwt);
  }

  /** RFC 7523 §3: iss and sub are the client ID, aud the token endpoint; signed by a registered certificate. */
  private certificateAssertion(clientId: string, jwt: DecodedJwt): SimResponse | undefined {
    const sha256 = jwt.header['x5t#S256'];
    const sha1 = jwt.header.x5t;
    const certificate = this.certificates.find((c) => c.sha256 === sha256 || c.sha1 === sha1);
    if (certificate === undefined) {
      return oauthError(
        401,
        'invalid_client',
        700027,
        'The certificate with identifier used to sign the client assertion is not registered on application.',
      );
    }
    if (!verifyJwtSignature(jwt, new X509Certificate(certificate.pem).publicKey)) {
      return oauthError(401, 'invalid_client', 700027, 'Client assertion failed signature validation.');
    }
    if (jwt.payload.iss !== clientId || jwt.payload.sub !== clientId) {
      return oauthError(
        401,
        'invalid_client',
        700021,
        'Client assertion application identifier does not match client_id parameter.',
      );
    }
    const aud = String(jwt.payload.aud ?? '');
    if (!aud.startsWith(this.options.baseUrl)) {
      return oauthError(
        401,
        'invalid_client',
        700212,
        `The audience claim in the client assertion does not match the token endpoint (${aud}).`,
      );
    }
    return undefined;
  }

  /** Workload identity federation: a token from a trusted issuer for `api://AzureADTokenExchange`. */
  private federatedAssertion(jwt: DecodedJwt): SimResponse | undefined {
    const trusted = this.options.registered.federatedKeys.some((pem) => verifyJwtSignature(jwt, publicKeyOf(pem)));
    if (!trusted)
      return oauthError(
        401,
        'invalid_client',
        700213,
        'No matching federated identity record found for presented assertion.',
      );
    const aud = jwt.payload.aud;
    const audiences = Array.isArray(aud) ? aud : [aud];
    if (!audiences.includes(this.options.registered.federatedAudience)) {
      return oauthError(
        401,
        'invalid_client',
        700212,
        `No matching federated identity record found for presented assertion audience '${String(aud)}'.`,
      );
    }
    return undefined;
  }

  /**
   * A federated identity credential, checked as Entra does: the assertion's issuer must be the
   * credential's, its signature must verify with a key the issuer publishes (OpenID Connect
   * Discovery 1.0 §4: `{issuer}/.well-known/openid-configuration`, then its `jwks_uri`), and its
   * subject and audience must match exactly. Mismatches answer with Entra's codes and name what
   * the assertion presented, so a test sees the same message a real tenant gives.
   */
  private async federatedIdentityAssertion(
    jwt: DecodedJwt,
    identity: FederatedIdentity,
  ): Promise<SimResponse | undefined> {
    const { iss, sub, aud } = jwt.payload;
    const audience = this.options.registered.federatedAudience;
    if (iss !== identity.issuer) {
      return oauthError(
        401,
        'invalid_client',
        700211,
        `No matching federated identity record found for presented assertion issuer '${String(iss)}'. Please note that the matching is done using a case-sensitive comparison.`,
      );
    }
    let key: KeyObject | undefined;
    try {
      key = await issuerKey(identity.issuer, jwt.header.kid);
    } catch (error: unknown) {
      return oauthError(
        401,
        'invalid_client',
        50013,
        `Assertion failed signature validation: the keys of issuer '${identity.issuer}' could not be read (${errorMessage(error)}).`,
      );
    }
    if (key === undefined || !verifyJwtSignature(jwt, key))
      return oauthError(401, 'invalid_client', 50013, 'Assertion failed signature validation.');
    const audiences = Array.isArray(aud) ? aud : [aud];
    if (sub !== identity.subject || !audiences.includes(audience)) {
      return oauthError(
        401,
        'invalid_client',
        70021,
        `No matching federated identity record found for presented assertion. Assertion Issuer: '${String(iss)}'. Assertion Subject: '${String(sub)}'. Assertion Audience: '${audiences.map(String).join(',')}'.`,
      );
    }
    return undefined;
  }
}

/** The issuer's signing key with this `kid`, from its discovery document and JWKS. */
async function issuerKey(issuer: string, kid: unknown): Promise<KeyObject | undefined> {
  const getJson = async (url: string): Promise<JsonObject> => {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    const body: unknown = await response.json();
    if (!isJsonObject(body)) throw new Error(`${url}: not a JSON object`);
    return body;
  };
  const discovery = await getJson(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`);
  if (typeof discovery.jwks_uri !== 'string') throw new Error('the discovery document has no jwks_uri');
  const jwks = await getJson(discovery.jwks_uri);
  const keys = Array.isArray(jwks.keys) ? jwks.keys : [];
  const jwk = keys.find((k) => isJsonObject(k) && k.kid === kid);
  return isJsonObject(jwk) ? createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }) : undefined;
}
