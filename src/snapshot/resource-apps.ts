/*
 * The two resource applications whose permissions reach mailboxes, by their well-known appId.
 * Microsoft Graph: the get-servicePrincipal example (learn.microsoft.com/graph/api/serviceprincipal-get,
 * example 2). Office 365 Exchange Online: the EWS and Exchange app-only manifests
 * (learn.microsoft.com/exchange/client-developer/exchange-web-services/how-to-authenticate-an-ews-application-by-using-oauth,
 * learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2).
 */

export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const EXCHANGE_ONLINE_APP_ID = '00000002-0000-0ff1-ce00-000000000000';

/** The resources the app controls read, in the order they are fetched. */
export const MAIL_RESOURCE_APP_IDS: readonly string[] = [MICROSOFT_GRAPH_APP_ID, EXCHANGE_ONLINE_APP_ID];
