import type { Cloud } from '../../model/cloud.js';
import type { CloudEndpoints } from './clouds.js';

/** How the app authenticates to Entra ID. Secrets are registered with the logger when read. */
export type CredentialSettings =
  /** GitHub Actions OIDC token exchanged for an Entra token (workload identity federation). No secret. */
  | { readonly kind: 'github-oidc' }
  | { readonly kind: 'client-secret'; readonly secret: string }
  /** PEM holding the certificate and its private key; `source` names the file or input for errors. */
  | { readonly kind: 'certificate'; readonly pem: string; readonly source: string }
  /**
   * @azure/identity EnvironmentCredential (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET or
   * AZURE_CLIENT_CERTIFICATE_PATH).
   */
  | { readonly kind: 'environment' }
  /** The signed-in Azure CLI (`az login`). */
  | { readonly kind: 'azure-cli' };

/** A live Microsoft 365 tenant. */
export interface TenantTarget {
  readonly kind: 'tenant';
  /** Directory (tenant) ID: a GUID or a verified domain such as contoso.onmicrosoft.com. */
  readonly tenantId: string;
  /** Application (client) ID; `undefined` only with the Azure CLI credential. */
  readonly clientId: string | undefined;
  readonly credentials: CredentialSettings;
  readonly cloud: Cloud;
  /** The cloud's endpoints with `--graph-url`, `--authority-url` and `--exchange-url` applied. */
  readonly endpoints: CloudEndpoints;
}
