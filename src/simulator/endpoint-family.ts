/**
 * Graph's throttling scopes, as listed on learn.microsoft.com/graph/throttling-limits:
 * each simulated endpoint belongs to one, and the simulator counts and limits by it.
 */
export const ENDPOINT_FAMILIES = [
  /** users, domains, role assignments, groups, policies: identity and access token bucket. */
  'directory',
  /** Identity and access reports (signIns, userRegistrationDetails): 5 requests / 10 s per tenant. */
  'reports',
  /** Identity Protection (riskyUsers, riskDetections): 1 request/s per tenant, no Retry-After. */
  'identityProtection',
  /** Conditional Access policies: 1 request/s per tenant, no Retry-After. */
  'conditionalAccess',
  /** Outlook (messageRules): 4 concurrent and 10,000 per 10 minutes, per mailbox. */
  'outlook',
  /** The `$batch` envelope itself; its items count in their own families. */
  'batch',
  /** Exchange admin API InvokeCommand. */
  'exchange',
  /** The Entra ID token endpoint and metadata. */
  'login',
  /** Paths the simulator does not serve. */
  'unknown',
] as const;

export type EndpointFamily = (typeof ENDPOINT_FAMILIES)[number];
