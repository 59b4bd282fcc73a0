import { createPrivateKey, X509Certificate } from 'node:crypto';
import { ConfigurationError } from '../../errors.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A tenant may also be named by one of its verified domains (contoso.onmicrosoft.com).
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** Checks a directory (tenant) ID; `what` names the flag or input. */
export function parseTenantId(value: string, what: string): string {
  const v = value.trim();
  if (GUID.test(v) || DOMAIN.test(v)) return v;
  throw new ConfigurationError(
    `${what}: "${value}" is not a tenant ID; expected a GUID (Entra admin centre > Overview > Tenant ID) or a verified domain`,
  );
}

/** Checks an application (client) ID. */
export function parseClientId(value: string, what: string): string {
  const v = value.trim();
  if (GUID.test(v)) return v;
  throw new ConfigurationError(
    `${what}: "${value}" is not a client ID; expected the app registration's Application (client) ID, a GUID`,
  );
}

/**
 * Checks a PEM that must hold a certificate and its unencrypted private key, as
 * ClientCertificateCredential needs. The message names the source, never the content.
 */
export function checkCertificatePem(pem: string, source: string): void {
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ConfigurationError(`${source}: no PEM certificate (-----BEGIN CERTIFICATE-----) found`);
  }
  if (!/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(pem)) {
    throw new ConfigurationError(
      `${source}: no unencrypted PEM private key found; the file must hold the certificate and its key`,
    );
  }
  try {
    new X509Certificate(pem);
  } catch {
    throw new ConfigurationError(`${source}: the certificate is not valid PEM`);
  }
  try {
    createPrivateKey(pem);
  } catch {
    throw new ConfigurationError(`${source}: the private key cannot be read`);
  }
}
