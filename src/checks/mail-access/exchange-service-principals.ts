import type { ExchangeObject } from '../../snapshot/exchange-types.js';
import { text } from '../exchange-values.js';

/*
 * Exchange's service principals (Get-ServicePrincipal) are pointers to Entra service principals,
 * made with New-ServicePrincipal -AppId -ObjectId (learn.microsoft.com/powershell/module/
 * exchangepowershell/new-serviceprincipal). A mailbox permission granted to an app names one of
 * them; which of its names the permission's User column shows is not documented, so every
 * name of the pointer is matched.
 */

const NAME_PROPERTIES = ['Identity', 'Name', 'DisplayName', 'AppId', 'ObjectId', 'ServiceId', 'Guid'] as const;

/** One app's pointers and every name they answer to (lower-case). */
export interface ExchangeAppPointer {
  readonly appId: string;
  readonly displayName: string | null;
  readonly names: ReadonlySet<string>;
}

/** The pointers by lower-case appId, and a lookup from any of their names. */
export interface ExchangeAppPointers {
  byAppId(appId: string): ExchangeAppPointer | undefined;
  byName(name: string): ExchangeAppPointer | undefined;
}

export function exchangeAppPointers(servicePrincipals: readonly ExchangeObject[]): ExchangeAppPointers {
  const byAppId = new Map<string, ExchangeAppPointer>();
  const byName = new Map<string, ExchangeAppPointer>();
  for (const sp of servicePrincipals) {
    const appId = text(sp.AppId)?.toLowerCase();
    if (appId === undefined) continue;
    const names = new Set(
      NAME_PROPERTIES.map((k) => text(sp[k])?.toLowerCase()).filter((n): n is string => n !== undefined),
    );
    const pointer: ExchangeAppPointer = { appId, displayName: text(sp.DisplayName) ?? null, names };
    byAppId.set(appId, pointer);
    for (const name of names) byName.set(name, pointer);
  }
  return {
    byAppId: (appId) => byAppId.get(appId.toLowerCase()),
    byName: (name) => byName.get(name.trim().toLowerCase()),
  };
}
