import type { IdTokenClaims } from './id-token-claims.js';
import type { CredentialSettings } from './tenant-target.js';

/**
 * Signing in to Entra failed, so nothing of the tenant can be read: one message with the cause
 * and the fix, shown once, and every tenant source `failed` with it.
 */
export class AuthenticationFailure extends Error {
  override readonly name = 'AuthenticationFailure';
}

/** `AADSTS7000215: Invalid client secret provided. …`: the code and its first sentence, without trace IDs. */
export function aadstsOf(text: string): { readonly code: string; readonly sentence: string } | undefined {
  const match = /AADSTS(\d+):\s*([\s\S]*?\.)(?=\s|$)/.exec(text);
  if (!match?.[1]) return undefined;
  return { code: `AADSTS${match[1]}`, sentence: (match[2] ?? '').trim() };
}

/**
 * GitHub's immutable subject claims (docs.github.com, "OpenID Connect reference": repositories
 * created after 2026-06-18 use them by default): a credential registered with the old
 * `repo:OWNER/REPO:…` form no longer matches.
 */
const GITHUB_SUBJECT_NOTE =
  'Repositories created after 2026-06-18 present the immutable subject format `repo:OWNER-OWNERID/REPO-REPOID:ref:refs/heads/main` by default; a credential registered as `repo:OWNER/REPO:…` does not match it';

export interface AuthFailureContext {
  readonly credentials: CredentialSettings['kind'];
  readonly authority: string;
  readonly tenantId: string;
  readonly clientId: string | undefined;
  /** The claims of the GitHub OIDC token presented, when one was. */
  readonly idToken?: IdTokenClaims;
}

/**
 * The one line shown when signing in failed: what happened, quoted from Entra where Entra said
 * it (the AADSTS code, learn.microsoft.com "Microsoft Entra authentication and authorization
 * error codes"), and what to change.
 */
export function describeAuthFailure(error: string, context: AuthFailureContext): string {
  if (/ACTIONS_ID_TOKEN_REQUEST_(URL|TOKEN)/.test(error)) {
    return 'no GitHub OIDC token: the job needs `permissions: id-token: write` (or pass client-secret or certificate)';
  }
  const aadsts = aadstsOf(error);
  const quoted = aadsts ? `${aadsts.code}: ${aadsts.sentence}` : undefined;
  const app = context.clientId ?? '(no client ID)';
  switch (aadsts?.code) {
    case 'AADSTS70021':
    case 'AADSTS700211':
    case 'AADSTS700212':
    case 'AADSTS700213': {
      const claims = context.idToken;
      const presented = claims
        ? ` The GitHub token presented subject "${claims.subject}", issuer ${claims.issuer}, audience ${claims.audience}.`
        : '';
      return `Entra refused the federated credential (${quoted}).${presented} Add a federated credential with exactly this issuer, subject and audience to app ${app} (App registrations > the app > Certificates & secrets > Federated credentials). ${GITHUB_SUBJECT_NOTE}.`;
    }
    case 'AADSTS7000215':
      return `Entra refused the client secret (${quoted}): pass the secret's Value, not its Secret ID.`;
    case 'AADSTS7000222':
      return `Entra refused the client secret (${quoted}): it has expired; create a new one.`;
    case 'AADSTS700016':
      return `Entra has no app ${app} in tenant ${context.tenantId} (${quoted}): check client-id and tenant-id.`;
    case 'AADSTS90002':
    case 'AADSTS900023':
      return `Entra does not know tenant ${context.tenantId} (${quoted}): check tenant-id.`;
    case 'AADSTS700027':
      return `Entra refused the certificate (${quoted}): upload this certificate to app ${app}.`;
    default:
      break;
  }
  if (quoted) return `Entra refused the sign-in (${quoted}).`;
  if (context.credentials === 'github-oidc' && /OIDC|ID token|id-token/i.test(error))
    return `could not get a GitHub OIDC token (${error}): the job needs \`permissions: id-token: write\``;
  return `could not sign in at ${context.authority}: ${error}`;
}
