/**
 * Graph throttles by service, not by app: each family below has its own documented limit
 * (learn.microsoft.com/graph/throttling-limits). A request's family follows from its path.
 */
export type EndpointFamily =
  /** Identity and access reports: signIns, directoryAudits, authentication-method reports. 5 requests / 10 s. */
  | 'identity-reports'
  /** Identity Protection and Conditional Access: 1 request/s per tenant, with no Retry-After. */
  | 'identity-protection'
  /** Outlook resources (mail, mailbox settings, message rules): 4 concurrent requests per mailbox. */
  | 'outlook'
  /** JSON batch envelopes; their items are limited by their own families. */
  | 'batch'
  /** Directory and everything else: a resource-unit token bucket far above our needs. */
  | 'directory';

export interface EndpointClass {
  readonly family: EndpointFamily;
  /** The mailbox (user ID or UPN) for `outlook`; empty otherwise. */
  readonly key: string;
}

function pathOf(url: string): string {
  // Relative batch item URLs (`/users/…`, most calls: cut at the query, no URL parse) and absolute URLs alike.
  const relative = url.startsWith('/') && !url.startsWith('//') && !/[\\#]|\/\.\.?(?:\/|$|\?)/.test(url);
  const pathname = relative ? (url.split('?', 1)[0] ?? '') : new URL(url, 'https://graph.invalid/').pathname;
  return pathname.replace(/^\/(v1\.0|beta)(?=\/)/i, '').toLowerCase();
}

const OUTLOOK =
  /^\/(?:users\/([^/]+)|me)\/(?:mailfolders|messages|mailboxsettings|events|calendar|contacts|inferenceclassification)(?:\/|$)/;

/** Classifies a Graph URL (absolute, or relative to the version root) into its throttling family. */
export function endpointFamily(url: string): EndpointClass {
  const path = pathOf(url);
  if (path === '/$batch') return { family: 'batch', key: '' };
  if (path.startsWith('/auditlogs/') || path.startsWith('/reports/')) return { family: 'identity-reports', key: '' };
  if (path.startsWith('/identityprotection/') || path.startsWith('/identity/conditionalaccess/')) {
    return { family: 'identity-protection', key: '' };
  }
  const outlook = OUTLOOK.exec(path);
  if (outlook) return { family: 'outlook', key: decodeURIComponent(outlook[1] ?? 'me').toLowerCase() };
  return { family: 'directory', key: '' };
}
