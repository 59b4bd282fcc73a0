import { ConfigurationError } from '../../errors.js';

/** The Microsoft 365 national clouds mailwarden can audit. */
export const CLOUDS = ['global', 'usgov', 'dod', 'china'] as const;
export type Cloud = (typeof CLOUDS)[number];

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
 * Hosts per cloud. Graph and authority: learn.microsoft.com/graph/deployments; token-exchange
 * audiences: Entra "workload identity federation" docs (AzureADTokenExchangeUSGov /
 * AzureADTokenExchangeChina); Exchange hosts: Exchange Online PowerShell `-ExchangeEnvironmentName`.
 * US Gov GCC High (L4) and DoD (L5) share the .us authority but not the Graph host.
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

export function isCloud(value: string): value is Cloud {
  return (CLOUDS as readonly string[]).includes(value);
}

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
