import { isJsonObject, type JsonObject } from '../model/json.js';
import type { ExchangeSourceId } from '../snapshot/source-id.js';
import type { SimResponse } from './graph-error.js';
import type { SimulatedTenant } from './tenant-data.js';

/** Cmdlets the simulator serves, and the snapshot source holding their output. */
export const CMDLET_SOURCES: Readonly<Record<string, ExchangeSourceId>> = {
  'get-mailbox': 'exo.mailbox',
  'get-hostedoutboundspamfilterpolicy': 'exo.hostedOutboundSpamFilterPolicy',
  'get-remotedomain': 'exo.remoteDomain',
  'get-dkimsigningconfig': 'exo.dkimSigningConfig',
  'get-transportconfig': 'exo.transportConfig',
  'get-casmailbox': 'exo.casMailbox',
  'get-inboxrule': 'exo.inboxRule',
  'get-hostedoutboundspamfilterrule': 'exo.hostedOutboundSpamFilterRule',
  'get-recipient': 'exo.recipient',
  'get-transportrule': 'exo.transportRule',
  'get-outboundconnector': 'exo.outboundConnector',
  'get-mailboxpermission': 'exo.mailboxPermission',
  'get-recipientpermission': 'exo.recipientPermission',
  'get-organizationconfig': 'exo.organizationConfig',
  'get-mailboxauditbypassassociation': 'exo.mailboxAuditBypassAssociation',
  'get-adminauditlogconfig': 'exo.adminAuditLogConfig',
  'get-applicationaccesspolicy': 'exo.applicationAccessPolicy',
  'get-managementroleassignment': 'exo.managementRoleAssignment',
  'get-serviceprincipal': 'exo.servicePrincipal',
};

/** Cmdlets whose default ResultSize (1000) truncates output unless `ResultSize=Unlimited`. */
const RESULT_SIZE_CMDLETS = new Set([
  'get-mailbox',
  'get-casmailbox',
  'get-recipient',
  'get-transportrule',
  'get-outboundconnector',
  'get-mailboxpermission',
  'get-recipientpermission',
  'get-mailboxauditbypassassociation',
]);

/**
 * The snapshot's mark on a Get-MailboxPermission row: the mailbox it was read for (the collector
 * adds it; the cmdlet's own `Identity` is the mailbox's name). Used to answer per mailbox, never served.
 */
const PERMISSION_MAILBOX_PROPERTY = 'MailboxUserPrincipalName';

/**
 * The snapshot folder's mark on a rule hidden from MAPI (an OData-style instance annotation, so
 * readers ignore it): Get-InboxRule lists it only with `-IncludeHidden`, and never shows the mark.
 */
export const HIDDEN_RULE_ANNOTATION = '@mailwarden.hidden';

/** A switch parameter as the admin API receives it: `true`, or the text PowerShell would bind. */
function switchOn(value: unknown): boolean {
  return value === true || (typeof value === 'string' && /^(\$?true|1)$/i.test(value.trim()));
}

const TRUNCATION_WARNING =
  'There are more results available than are currently displayed. To view them, increase the value for the ResultSize parameter.';

export interface ExchangeRequest {
  readonly tenant: string;
  readonly body: unknown;
  /** Page size from `Prefer: odata.maxpagesize=N`. */
  readonly maxPageSize: number | undefined;
  readonly skiptoken: string | undefined;
}

export interface ExchangeServiceOptions {
  /** Exchange's default ResultSize for Get-Mailbox and Get-CASMailbox. */
  readonly defaultResultSize: number;
  /** Page size when the client sends no `Prefer: odata.maxpagesize`. */
  readonly defaultPageSize: number;
  /** Cmdlets the app's roles do not include (realism `missingCmdlets`). */
  readonly missingCmdlets?: readonly string[];
}

/**
 * The error shape of a failed cmdlet, as in constructed/exo-error-cmdlet.json: the useful text
 * is `details[0].message`, `<code>|<exception type>|<text>`.
 */
export function exchangeError(status: number, code: string, exception: string, text: string): SimResponse {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: {
      error: {
        code,
        message: 'Error executing cmdlet',
        details: [{ code: 'Client', target: '', message: `Ex6F9304|${exception}|${text}` }],
        innererror: {
          message: 'Error executing cmdlet',
          type: 'Microsoft.Exchange.Admin.OData.Core.ODataServiceException',
        },
      },
      'adminapi.warnings@odata.type': '#Collection(String)',
      '@adminapi.warnings': [],
    },
  };
}

function identifiers(item: JsonObject): string[] {
  return [
    'Identity',
    'Name',
    'Alias',
    'DisplayName',
    'UserPrincipalName',
    'PrimarySmtpAddress',
    'ExternalDirectoryObjectId',
    'DomainName',
    'Domain',
    'Guid',
  ]
    .map((key) => item[key])
    .filter((v): v is string => typeof v === 'string')
    .map((v) => v.toLowerCase());
}

/**
 * The Exchange admin API's `InvokeCommand` over a simulated tenant: the body
 * `{"CmdletInput":{"CmdletName","Parameters"}}`, `@odata.nextLink` paging (the client re-posts
 * the same body to the link), and the truncated first page of Get-Mailbox without
 * `ResultSize=Unlimited` (graph-contract.md §7).
 */
export class ExchangeService {
  /** Mailboxes by every name, and Get-MailboxPermission rows by mailbox: built on first use (one call per mailbox). */
  private permissions:
    | { readonly mailboxes: Map<string, JsonObject>; readonly rows: Map<JsonObject, JsonObject[]> }
    | undefined;

  constructor(
    private readonly tenant: SimulatedTenant,
    private readonly baseUrl: string,
    private readonly options: ExchangeServiceOptions,
  ) {}

  private permissionIndex(): {
    readonly mailboxes: Map<string, JsonObject>;
    readonly rows: Map<JsonObject, JsonObject[]>;
  } {
    if (this.permissions !== undefined) return this.permissions;
    const mailboxes = new Map<string, JsonObject>();
    for (const m of this.tenant.collection('exo.mailbox') ?? [])
      for (const name of identifiers(m)) if (!mailboxes.has(name)) mailboxes.set(name, m);
    const rows = new Map<JsonObject, JsonObject[]>();
    for (const row of this.tenant.collection('exo.mailboxPermission') ?? []) {
      const owner = row[PERMISSION_MAILBOX_PROPERTY] ?? row.Identity;
      const mailbox = typeof owner === 'string' ? mailboxes.get(owner.toLowerCase()) : undefined;
      if (mailbox === undefined) continue;
      const list = rows.get(mailbox) ?? [];
      list.push(row);
      rows.set(mailbox, list);
    }
    this.permissions = { mailboxes, rows };
    return this.permissions;
  }

  /** The cmdlet named in a body, lower-case, for routing, permission and stats. */
  static cmdletOf(body: unknown): { name: string; parameters: JsonObject } | undefined {
    if (!isJsonObject(body) || !isJsonObject(body.CmdletInput)) return undefined;
    const { CmdletName, Parameters } = body.CmdletInput;
    if (typeof CmdletName !== 'string') return undefined;
    return { name: CmdletName, parameters: isJsonObject(Parameters) ? Parameters : {} };
  }

  handle(request: ExchangeRequest): SimResponse {
    const cmdlet = ExchangeService.cmdletOf(request.body);
    if (cmdlet === undefined) {
      return exchangeError(
        400,
        'BadRequest',
        'System.ArgumentException',
        'The request body must be {"CmdletInput":{"CmdletName":…,"Parameters":{…}}}.',
      );
    }
    const key = cmdlet.name.toLowerCase();
    const source = CMDLET_SOURCES[key];
    // Exchange's RBAC gives a session only the cmdlets its roles include.
    const missing = (this.options.missingCmdlets ?? []).some((c) => c.toLowerCase() === key);
    if (source === undefined || missing) {
      return exchangeError(
        400,
        'BadRequest',
        'System.Management.Automation.CommandNotFoundException',
        `The term '${cmdlet.name}' is not recognized as a cmdlet served by the simulated tenant.`,
      );
    }
    let items = this.tenant.collection(source) ?? [];
    const { parameters } = cmdlet;
    if (key === 'get-inboxrule' && typeof parameters.Mailbox === 'string') {
      const wanted = parameters.Mailbox.toLowerCase();
      const mailbox = (this.tenant.collection('exo.mailbox') ?? []).find((m) => identifiers(m).includes(wanted));
      if (mailbox === undefined) {
        return exchangeError(
          404,
          'NotFound',
          'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
          `The operation couldn't be performed because object '${parameters.Mailbox}' couldn't be found.`,
        );
      }
      const names = new Set(identifiers(mailbox));
      items = items.filter(
        (rule) => typeof rule.MailboxOwnerId === 'string' && names.has(rule.MailboxOwnerId.toLowerCase()),
      );
    } else if (key === 'get-mailboxpermission') {
      // Identity is mandatory: "the value $null or a non-existent value for the Identity parameter
      // returns all objects" (Get-MailboxPermission), so a sweep must never omit it.
      if (typeof parameters.Identity !== 'string' || parameters.Identity.trim() === '') {
        return exchangeError(
          400,
          'BadRequest',
          'System.Management.Automation.ParameterBindingException',
          "Cannot bind argument to parameter 'Identity' because it is null or empty.",
        );
      }
      const index = this.permissionIndex();
      const mailbox = index.mailboxes.get(parameters.Identity.toLowerCase());
      if (mailbox === undefined) {
        return exchangeError(
          404,
          'NotFound',
          'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
          `The operation couldn't be performed because object '${parameters.Identity}' couldn't be found.`,
        );
      }
      items = (index.rows.get(mailbox) ?? []).map((row) =>
        Object.fromEntries(Object.entries(row).filter(([k]) => k !== PERMISSION_MAILBOX_PROPERTY)),
      );
    } else if (typeof parameters.Identity === 'string') {
      const wanted = parameters.Identity.toLowerCase();
      items = items.filter((item) => identifiers(item).includes(wanted));
      if (items.length === 0) {
        return exchangeError(
          404,
          'NotFound',
          'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
          `The operation couldn't be performed because object '${parameters.Identity}' couldn't be found.`,
        );
      }
    }
    if (key === 'get-inboxrule') {
      // Rules hidden from MAPI appear only with -IncludeHidden (Get-InboxRule, learn.microsoft.com).
      const includeHidden = switchOn(parameters.IncludeHidden);
      items = items
        .filter((rule) => includeHidden || rule[HIDDEN_RULE_ANNOTATION] !== true)
        .map((rule) => Object.fromEntries(Object.entries(rule).filter(([k]) => k !== HIDDEN_RULE_ANNOTATION)));
    }
    const warnings: string[] = [];
    if (RESULT_SIZE_CMDLETS.has(key)) {
      const resultSize = parameters.ResultSize;
      const unlimited = typeof resultSize === 'string' && resultSize.toLowerCase() === 'unlimited';
      const limit = typeof resultSize === 'number' ? resultSize : unlimited ? Infinity : this.options.defaultResultSize;
      if (items.length > limit) {
        items = items.slice(0, limit);
        warnings.push(TRUNCATION_WARNING);
      }
    }
    const pageSize = request.maxPageSize ?? this.options.defaultPageSize;
    let offset = 0;
    if (request.skiptoken !== undefined) {
      offset = Number.parseInt(Buffer.from(request.skiptoken, 'base64url').toString('utf8'), 10);
      if (!Number.isInteger(offset) || offset < 0) {
        return exchangeError(
          400,
          'BadRequest',
          'System.ArgumentException',
          `Invalid $skiptoken '${request.skiptoken}'.`,
        );
      }
    }
    const value = items.slice(offset, offset + pageSize);
    const body: Record<string, unknown> = {
      '@odata.context': `${this.baseUrl}/adminapi/beta/${request.tenant}/$metadata#Collection(Exchange.GenericHashTable)`,
      'adminapi.warnings@odata.type': '#Collection(String)',
      '@adminapi.warnings': offset === 0 ? warnings : [],
      value,
    };
    if (offset + pageSize < items.length) {
      const token = Buffer.from(String(offset + pageSize)).toString('base64url');
      body['@odata.nextLink'] = `${this.baseUrl}/adminapi/beta/${request.tenant}/InvokeCommand?%24skiptoken=${token}`;
    }
    return { status: 200, headers: { 'content-type': 'application/json; odata.metadata=minimal' }, body };
  }
}
