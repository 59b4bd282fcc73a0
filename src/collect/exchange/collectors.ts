import { errorMessage } from '../../errors.js';
import { recordCheck } from '../../snapshot/shape-check.js';
import {
  type ExchangeObject,
  INBOX_RULE_MAILBOX_PROPERTY,
  MAILBOX_PERMISSION_MAILBOX_PROPERTY,
} from '../../snapshot/exchange-types.js';
import type { SourceDataMap } from '../../snapshot/snapshot.js';
import type { ExchangeSourceId } from '../../snapshot/source-id.js';
import type { SourceStatus } from '../../snapshot/source-status.js';
import type { Collected, CollectContext, SourceCollector, SourceCollectors } from '../live/source-collector.js';
import {
  AUDIT_BYPASS_PROPERTIES,
  CAS_MAILBOX_PROPERTIES,
  interner,
  internStrings,
  MAILBOX_PROPERTIES,
  ORGANIZATION_CONFIG_PROPERTIES,
  PERMISSION_PROPERTIES,
} from './cmdlet-properties.js';
import {
  EXCHANGE_SETUP_STEPS,
  type ExchangeApi,
  ExchangeRequestError,
  isCmdletUnavailable,
  isExchangeRefusal,
} from './exchange-api.js';
import { hiddenRuleMailboxes } from './hidden-rule-scope.js';
import { sweepMailboxes } from './mailbox-sweep.js';
import { permissionSweepMailboxes } from './permission-scope.js';

/** A source that did not end `ok`; it carries no data, so it fits every Exchange source. */
type ExchangeCollected = { readonly status: Exclude<SourceStatus, { status: 'ok' }> };

/**
 * How a refused or failed cmdlet ends: refusal is `not_permitted` with the exact setup steps.
 * A listing cmdlet (`listing`: no object named in its parameters) has no object to miss, so
 * any 404 from it means the endpoint or the tenant is not available to the app.
 */
function failure(error: unknown, cmdlet: string, listing = false): ExchangeCollected {
  if (isExchangeRefusal(error) || (listing && error instanceof ExchangeRequestError && error.status === 404)) {
    const unavailable = isCmdletUnavailable(error);
    return {
      status: {
        status: 'not_permitted',
        permission: unavailable
          ? `an Exchange role that includes ${cmdlet} (Exchange Online PowerShell: Get-ManagementRole -Cmdlet ${cmdlet}), assigned to the app; ${EXCHANGE_SETUP_STEPS}`
          : EXCHANGE_SETUP_STEPS,
        reason: unavailable
          ? `${cmdlet} is not available to the app: its Exchange roles do not include it (HTTP ${error.status}).`
          : `The Exchange admin API refused ${cmdlet} (HTTP ${error.status}).`,
      },
    };
  }
  return { status: { status: 'failed', reason: errorMessage(error) } };
}

function noClient(): ExchangeCollected {
  return { status: { status: 'failed', reason: 'no Exchange admin API client was configured for this run' } };
}

/**
 * The cmdlet's objects checked against the source's schema (the one a replay checks them
 * against): a property of the wrong type is `failed` naming the cmdlet and the JSON pointer,
 * never read by truthiness (a forwarding address in a list is still a forwarding address).
 */
function shapeFailure(
  id: ExchangeSourceId,
  cmdlet: string,
  objects: readonly unknown[],
): ExchangeCollected | undefined {
  const check = recordCheck(id);
  for (const [index, object] of objects.entries()) {
    const problem = check(object);
    if (problem) {
      return {
        status: {
          status: 'failed',
          reason: `unexpected output of ${cmdlet}: /value/${index}${problem.pointer}: ${problem.message}`,
        },
      };
    }
  }
  return undefined;
}

/** A collector that runs one cmdlet and keeps its output as returned. */
function cmdletCollector<K extends ExchangeSourceId>(
  id: K,
  cmdlet: string,
  parameters: Readonly<Record<string, unknown>> = {},
  properties?: readonly string[],
): SourceCollector<K> {
  return async (context): Promise<Collected<K>> => {
    const exchange = context.clients.exchange;
    if (!exchange) return noClient();
    try {
      const value = (await exchange.invoke(
        cmdlet,
        parameters,
        properties ? { properties } : {},
      )) as readonly ExchangeObject[];
      const wrong = shapeFailure(id, cmdlet, value);
      if (wrong) return wrong;
      return { status: { status: 'ok', count: value.length }, data: value as SourceDataMap[K] };
    } catch (error: unknown) {
      return failure(error, cmdlet, true);
    }
  };
}

/** The mailboxes read earlier in the run, or Get-Mailbox now. */
async function mailboxList(exchange: ExchangeApi, context: CollectContext): Promise<readonly ExchangeObject[]> {
  return (
    context.earlier('exo.mailbox') ??
    ((await exchange.invoke('Get-Mailbox', {}, { properties: MAILBOX_PROPERTIES })) as readonly ExchangeObject[])
  );
}

/**
 * `Get-InboxRule -IncludeHidden` for the mailboxes in scope (see hidden-rule-scope.ts). Graph
 * does not show rules hidden from MAPI, which is where an attacker hides a forwarding rule.
 */
async function collectInboxRules(context: CollectContext): Promise<Collected<'exo.inboxRule'>> {
  const exchange: ExchangeApi | undefined = context.clients.exchange;
  if (!exchange) return noClient();
  let mailboxes: readonly ExchangeObject[];
  try {
    mailboxes = await mailboxList(exchange, context);
  } catch (error: unknown) {
    return failure(error, 'Get-Mailbox', true);
  }
  // The mailboxes choose whose rules are read: checked as the exo.mailbox source would be.
  const wrongMailbox = shapeFailure('exo.mailbox', 'Get-Mailbox', mailboxes);
  if (wrongMailbox) return wrongMailbox;
  const targets = hiddenRuleMailboxes(mailboxes, context);
  context.logger.info(`Get-InboxRule -IncludeHidden: ${targets.length} mailboxes in scope`);
  const swept = await sweepMailboxes(targets, async (mailbox) => {
    const found = await exchange.invoke('Get-InboxRule', { Mailbox: mailbox, IncludeHidden: true });
    return found.map((rule) => ({ ...rule, [INBOX_RULE_MAILBOX_PROPERTY]: mailbox }));
  });
  if ('error' in swept) return failure(swept.error, 'Get-InboxRule');
  // Each rule's own properties are checked by the rule parser, so one odd rule is an error alone.
  const wrong = shapeFailure('exo.inboxRule', 'Get-InboxRule', swept.rows);
  if (wrong) return wrong;
  return { status: { status: 'ok', count: swept.rows.length }, data: swept.rows };
}

/**
 * `Get-MailboxPermission -Identity <mailbox>` for every user and shared mailbox of the shard, at
 * the pace of the hidden-rule sweep. The cmdlet has no tenant-wide form: Identity is mandatory,
 * and "the value $null or a non-existent value for the Identity parameter returns all objects"
 * (learn.microsoft.com/powershell/module/exchangepowershell/get-mailboxpermission), so an empty
 * identity is never sent. Inherited entries (database and organisation defaults, the same on
 * every mailbox) are not kept: the checks read explicit grants only, and at 100,000 mailboxes
 * they would be most of the data.
 */
async function collectMailboxPermissions(context: CollectContext): Promise<Collected<'exo.mailboxPermission'>> {
  const exchange: ExchangeApi | undefined = context.clients.exchange;
  if (!exchange) return noClient();
  let mailboxes: readonly ExchangeObject[];
  try {
    mailboxes = await mailboxList(exchange, context);
  } catch (error: unknown) {
    return failure(error, 'Get-Mailbox', true);
  }
  const wrongMailbox = shapeFailure('exo.mailbox', 'Get-Mailbox', mailboxes);
  if (wrongMailbox) return wrongMailbox;
  const targets = permissionSweepMailboxes(mailboxes, context.shard);
  context.logger.info(`Get-MailboxPermission: ${targets.length} mailboxes in scope`);
  const intern = interner();
  const swept = await sweepMailboxes(targets, async (mailbox) => {
    const rows = await exchange.invoke(
      'Get-MailboxPermission',
      { Identity: mailbox },
      { properties: PERMISSION_PROPERTIES },
    );
    return rows
      .filter((row) => row.IsInherited !== true)
      .map((row) => internStrings({ ...row, [MAILBOX_PERMISSION_MAILBOX_PROPERTY]: mailbox }, intern));
  });
  if ('error' in swept) return failure(swept.error, 'Get-MailboxPermission');
  const wrong = shapeFailure('exo.mailboxPermission', 'Get-MailboxPermission', swept.rows);
  if (wrong) return wrong;
  return { status: { status: 'ok', count: swept.rows.length }, data: swept.rows };
}

/** Exchange source collectors, keyed by source ID. */
export const exchangeCollectors: SourceCollectors = {
  'exo.mailbox': cmdletCollector('exo.mailbox', 'Get-Mailbox', {}, MAILBOX_PROPERTIES),
  'exo.hostedOutboundSpamFilterPolicy': cmdletCollector(
    'exo.hostedOutboundSpamFilterPolicy',
    'Get-HostedOutboundSpamFilterPolicy',
  ),
  'exo.hostedOutboundSpamFilterRule': cmdletCollector(
    'exo.hostedOutboundSpamFilterRule',
    'Get-HostedOutboundSpamFilterRule',
  ),
  'exo.remoteDomain': cmdletCollector('exo.remoteDomain', 'Get-RemoteDomain'),
  'exo.dkimSigningConfig': cmdletCollector('exo.dkimSigningConfig', 'Get-DkimSigningConfig'),
  'exo.transportConfig': cmdletCollector('exo.transportConfig', 'Get-TransportConfig'),
  'exo.casMailbox': cmdletCollector('exo.casMailbox', 'Get-CASMailbox', {}, CAS_MAILBOX_PROPERTIES),
  'exo.recipient': cmdletCollector('exo.recipient', 'Get-Recipient', {
    RecipientTypeDetails: ['MailContact', 'MailUser'],
  }),
  'exo.inboxRule': collectInboxRules,
  'exo.transportRule': cmdletCollector('exo.transportRule', 'Get-TransportRule'),
  // Test-mode connectors route mail too; a rule may name one.
  'exo.outboundConnector': cmdletCollector('exo.outboundConnector', 'Get-OutboundConnector', {
    IncludeTestModeConnectors: true,
  }),
  'exo.mailboxPermission': collectMailboxPermissions,
  // SendAs is the only right it lists; Trustee is not filtered on, as the cmdlet documents wrong
  // results for recipients with several SIDs (Get-RecipientPermission, -Trustee).
  'exo.recipientPermission': cmdletCollector('exo.recipientPermission', 'Get-RecipientPermission', {
    AccessRights: 'SendAs',
  }),
  'exo.organizationConfig': cmdletCollector(
    'exo.organizationConfig',
    'Get-OrganizationConfig',
    {},
    ORGANIZATION_CONFIG_PROPERTIES,
  ),
  'exo.mailboxAuditBypassAssociation': cmdletCollector(
    'exo.mailboxAuditBypassAssociation',
    'Get-MailboxAuditBypassAssociation',
    {},
    AUDIT_BYPASS_PROPERTIES,
  ),
  // Exchange Online's endpoint only: Security & Compliance PowerShell always reports the
  // ingestion setting as False (learn.microsoft.com/powershell/module/exchangepowershell/get-adminauditlogconfig).
  'exo.adminAuditLogConfig': cmdletCollector('exo.adminAuditLogConfig', 'Get-AdminAuditLogConfig'),
  'exo.applicationAccessPolicy': cmdletCollector('exo.applicationAccessPolicy', 'Get-ApplicationAccessPolicy'),
  'exo.managementRoleAssignment': cmdletCollector('exo.managementRoleAssignment', 'Get-ManagementRoleAssignment'),
  'exo.servicePrincipal': cmdletCollector('exo.servicePrincipal', 'Get-ServicePrincipal'),
};
