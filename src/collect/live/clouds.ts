import { ConfigurationError } from '../../errors.js';
import { CLOUDS, type Cloud, isCloud } from '../../model/cloud.js';

/** Where one cloud's services live. */
export interface CloudEndpoints {
  /** Microsoft Graph, without version: `https://graph.microsoft.com`. */
  readonly graph: string;
  /** Entra ID token authority host: `https://login.microsoftonline.com`. */
  readonly authority: string;
  /** Audience of the GitHub OIDC token exchanged for an Entra token (workload identity federation). */
  readonly tokenExchangeAudience: string;
  /** Exchange Online admin API host. */
  readonly exchange: string;
}

/**
 * Hosts per cloud. Graph root and authority: learn.microsoft.com/graph/deployments (the table of
 * national cloud deployments; 21Vianet's authority is login.chinacloudapi.cn there). Token-exchange
 * audiences: learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity
 * (api://AzureADTokenExchange, …USGov, …China; for a GitHub issuer in the government and China
 * clouds Microsoft documents none, so the managed-identity values are used). Exchange hosts: the
 * Exchange Online PowerShell `-ExchangeEnvironmentName` endpoints and the per-cloud Microsoft 365
 * endpoint lists (learn.microsoft.com/microsoft-365/enterprise/microsoft-365-u-s-government-dod-endpoints,
 * ID 1, lists both webmail.apps.mil and outlook-dod.office365.us for DoD; which of them answers the
 * admin API's InvokeCommand is not documented, so `--exchange-url` can choose the other).
 * GCC High (L4) and DoD (L5) share the .us authority but not the Graph host. GCC (moderate) uses
 * the worldwide endpoints.
 */
export const CLOUD_ENDPOINTS: Readonly<Record<Cloud, CloudEndpoints>> = {
  global: {
    graph: 'https://graph.microsoft.com',
    authority: 'https://login.microsoftonline.com',
    tokenExchangeAudience: 'api://AzureADTokenExchange',
    exchange: 'https://outlook.office365.com',
  },
  usgov: {
    graph: 'https://graph.microsoft.us',
    authority: 'https://login.microsoftonline.us',
    tokenExchangeAudience: 'api://AzureADTokenExchangeUSGov',
    exchange: 'https://outlook.office365.us',
  },
  dod: {
    graph: 'https://dod-graph.microsoft.us',
    authority: 'https://login.microsoftonline.us',
    tokenExchangeAudience: 'api://AzureADTokenExchangeUSGov',
    exchange: 'https://webmail.apps.mil',
  },
  china: {
    graph: 'https://microsoftgraph.chinacloudapi.cn',
    authority: 'https://login.chinacloudapi.cn',
    tokenExchangeAudience: 'api://AzureADTokenExchangeChina',
    exchange: 'https://partner.outlook.cn',
  },
};

/** Reads a cloud name; `what` names the flag or input in the error. */
export function parseCloud(value: string | undefined, what: string): Cloud {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '') return 'global';
  if (isCloud(v)) return v;
  throw new ConfigurationError(`${what}: unknown cloud "${value}"; expected ${CLOUDS.join(', ')}`);
}

/**
 * Checks an endpoint override (`--graph-url` …) and returns its origin. https only, except for
 * loopback, where the simulator may run; a path or query is refused because we add our own.
 */
export function parseEndpointUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ConfigurationError(`${what}: "${value}" is not a URL`);
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ConfigurationError(`${what}: "${value}" must use https`);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    throw new ConfigurationError(
      `${what}: "${value}" must be an origin such as https://graph.microsoft.us, without a path`,
    );
  }
  return url.origin;
}

/** The endpoints of a cloud with any overrides applied. */
export function resolveEndpoints(
  cloud: Cloud,
  overrides: {
    readonly graph?: string;
    readonly authority?: string;
    readonly exchange?: string;
    /** The audience of the GitHub OIDC token, when the federated credential was registered with another. */
    readonly audience?: string;
  },
): CloudEndpoints {
  const base = CLOUD_ENDPOINTS[cloud];
  return {
    graph: overrides.graph ?? base.graph,
    authority: overrides.authority ?? base.authority,
    tokenExchangeAudience: overrides.audience ?? base.tokenExchangeAudience,
    exchange: overrides.exchange ?? base.exchange,
  };
}
