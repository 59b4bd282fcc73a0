/**
 * The Microsoft 365 clouds mailwarden can audit: worldwide (with GCC), GCC High (`usgov`), DoD and
 * 21Vianet (`china`). Collection (hosts, login authority) and the email checks (SPF include,
 * Microsoft-managed domains, DKIM targets) both follow it, so it lives in the base layer.
 */
export const CLOUDS = ['global', 'usgov', 'dod', 'china'] as const;
export type Cloud = (typeof CLOUDS)[number];

export function isCloud(value: string): value is Cloud {
  return (CLOUDS as readonly string[]).includes(value);
}
