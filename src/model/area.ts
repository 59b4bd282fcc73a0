/**
 * The areas of the audit. `--only` selects areas, and reports
 * count results per area.
 */
export const AREAS = ['mfa', 'forwarding', 'legacy-auth', 'sign-ins', 'email-auth', 'mail-access', 'audit'] as const;

export type Area = (typeof AREAS)[number];

export const AREA_TITLES: Readonly<Record<Area, string>> = {
  mfa: 'MFA coverage',
  forwarding: 'Forwarding',
  'legacy-auth': 'Legacy authentication',
  'sign-ins': 'Sign-in anomalies',
  'email-auth': 'SPF, DKIM and DMARC',
  'mail-access': 'Mailbox access',
  audit: 'Audit readiness',
};

export function isArea(value: string): value is Area {
  return (AREAS as readonly string[]).includes(value);
}
