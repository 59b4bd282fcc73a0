/**
 * `clientAppUsed` values of the sign-in log (learn.microsoft.com/entra/identity/monitoring-health/
 * concept-sign-in-log-activity-details, "Client app"; spellings as Graph returns them).
 */

/** Modern authentication. */
export const MODERN_CLIENT_APPS: readonly string[] = ['Browser', 'Mobile Apps and Desktop clients'];

/** Legacy protocols, which cannot answer an MFA challenge. */
export const LEGACY_CLIENT_APPS: readonly string[] = [
  'IMAP4',
  'POP3',
  'Authenticated SMTP',
  'Exchange ActiveSync',
  'MAPI Over HTTP',
  'Exchange Web Services',
  'AutoDiscover',
  'Outlook Anywhere (RPC over HTTP)',
  'Exchange Online PowerShell',
  'Offline Address Book',
  'Other clients',
];

/** Compares client names the way people write them: case and spacing do not matter. */
export function clientKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}
