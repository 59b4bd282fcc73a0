import type { AppRole, ServicePrincipal } from '../../snapshot/graph-types.js';
import { EXCHANGE_ONLINE_APP_ID, MICROSOFT_GRAPH_APP_ID } from '../../snapshot/resource-apps.js';

/*
 * Which application permissions reach mailboxes. A permission is a pair (resource, app role
 * ID): the same name on Microsoft Graph and on Office 365 Exchange Online are two permissions,
 * and each assignment is named from its own resource's app roles.
 */

/**
 * Microsoft Graph's mail application permissions, by the IDs Microsoft publishes
 * (learn.microsoft.com/graph/permissions-reference#all-permissions-and-ids, "Application").
 */
export const GRAPH_MAIL_ROLE_IDS: ReadonlyMap<string, string> = new Map([
  ['810c84a8-4a9e-49e6-bf7d-12d183f40d01', 'Mail.Read'],
  ['6be147d2-ea4f-4b5a-a3fa-3eab6f3c140a', 'Mail.ReadBasic'],
  ['693c5e45-0940-467d-9b8a-1022fb9d42ef', 'Mail.ReadBasic.All'],
  ['e2a3a72e-5f79-4c64-b1b1-878b674786c9', 'Mail.ReadWrite'],
  ['b633e1c5-b582-4048-a93e-9f11b44c7e96', 'Mail.Send'],
  ['40f97065-369a-49f4-947c-6a255697ae91', 'MailboxSettings.Read'],
  ['6931bccd-447a-43d1-b442-00a195474933', 'MailboxSettings.ReadWrite'],
]);

const GRAPH_MAIL_ROLE_NAMES: ReadonlySet<string> = new Set(GRAPH_MAIL_ROLE_IDS.values());

/**
 * `full_access_as_app` on Office 365 Exchange Online, the one Exchange role ID Microsoft
 * publishes (the EWS app-only manifest, learn.microsoft.com/exchange/client-developer/
 * exchange-web-services/how-to-authenticate-an-ews-application-by-using-oauth). Every other
 * Exchange role is named from the resource's own `appRoles` at run time.
 */
export const FULL_ACCESS_AS_APP_ID = 'dc890d15-9560-4a4c-9b7f-a736ec74ec40';

/** IMAP and POP app access reaches only mailboxes that grant FullAccess to the app (IMAP/POP OAuth doc). */
export const PER_MAILBOX_ROLES: ReadonlySet<string> = new Set(['IMAP.AccessAsApp', 'POP.AccessAsApp']);

/** Office 365 Exchange Online's mail application permissions, by name. */
const EXCHANGE_MAIL_ROLE_NAMES: ReadonlySet<string> = new Set([
  'full_access_as_app',
  ...GRAPH_MAIL_ROLE_NAMES,
  ...PER_MAILBOX_ROLES,
]);

/** No specific role: "assigned to the resource app without any specific app roles" (appRoleAssignment). */
export const DEFAULT_ACCESS_ROLE_ID = '00000000-0000-0000-0000-000000000000';

export type MailResource = 'Microsoft Graph' | 'Office 365 Exchange Online';

/** One resource's roles: which are mail permissions, and every role it names. */
export interface ResourceRoles {
  readonly resource: MailResource;
  readonly servicePrincipal: ServicePrincipal;
  /** Mail permissions: app role ID → permission name. */
  readonly mail: ReadonlyMap<string, string>;
  /** Every application role the resource exposes: ID → name. */
  readonly named: ReadonlyMap<string, string>;
}

function isApplicationRole(role: AppRole): boolean {
  return role.allowedMemberTypes.some((t) => t.toLowerCase() === 'application');
}

/**
 * The roles of Microsoft Graph and Office 365 Exchange Online, keyed by each resource service
 * principal's object ID (the `resourceId` of an assignment). Graph's mail roles are the
 * published IDs together with any role its `appRoles` names the same (fail closed if Microsoft
 * ever re-issues one); Exchange Online's are those its `appRoles` names, plus full_access_as_app.
 */
export function mailRoleIndex(resources: readonly ServicePrincipal[]): Map<string, ResourceRoles> {
  const index = new Map<string, ResourceRoles>();
  for (const sp of resources) {
    const appId = sp.appId.toLowerCase();
    const graph = appId === MICROSOFT_GRAPH_APP_ID;
    if (!graph && appId !== EXCHANGE_ONLINE_APP_ID) continue;
    const named = new Map<string, string>();
    const mail = new Map<string, string>(graph ? GRAPH_MAIL_ROLE_IDS : [[FULL_ACCESS_AS_APP_ID, 'full_access_as_app']]);
    for (const role of sp.appRoles ?? []) {
      if (!isApplicationRole(role) || typeof role.value !== 'string') continue;
      const id = role.id.toLowerCase();
      named.set(id, role.value);
      if ((graph ? GRAPH_MAIL_ROLE_NAMES : EXCHANGE_MAIL_ROLE_NAMES).has(role.value)) mail.set(id, role.value);
    }
    index.set(sp.id.toLowerCase(), {
      resource: graph ? 'Microsoft Graph' : 'Office 365 Exchange Online',
      servicePrincipal: sp,
      mail,
      named,
    });
  }
  return index;
}

/**
 * Whether an Exchange application access policy can narrow a permission: it applies to
 * Microsoft Graph's mail and mailbox-settings permissions and to EWS full_access_as_app
 * (learn.microsoft.com/graph/auth-limit-mailbox-access), not to IMAP/POP or Exchange Online's
 * own Mail.* roles.
 */
export function accessPolicyApplies(resource: MailResource, permission: string): boolean {
  return resource === 'Microsoft Graph' || permission === 'full_access_as_app';
}

/**
 * Delegated mail permissions, as a grant's `scope` names them (claim values, case-insensitive):
 * Mail.*, MailboxSettings.*, and the Exchange protocol permissions (permissions reference).
 */
export function isMailScope(scope: string): boolean {
  const s = scope.toLowerCase();
  return (
    s.startsWith('mail.') ||
    s.startsWith('mailboxsettings.') ||
    s === 'ews.accessasuser.all' ||
    s === 'imap.accessasuser.all' ||
    s === 'pop.accessasuser.all' ||
    s === 'smtp.send'
  );
}
