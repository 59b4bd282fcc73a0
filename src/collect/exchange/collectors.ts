import { errorMessage } from '../../errors.js';
import { recordCheck } from '../../snapshot/shape-check.js';
import { type ExchangeObject, INBOX_RULE_MAILBOX_PROPERTY } from '../../snapshot/exchange-types.js';
import type { SourceDataMap } from '../../snapshot/snapshot.js';
import type { ExchangeSourceId } from '../../snapshot/source-id.js';
import type { SourceStatus } from '../../snapshot/source-status.js';
import type { Collected, CollectContext, SourceCollector, SourceCollectors } from '../live/source-collector.js';
import { CAS_MAILBOX_PROPERTIES, MAILBOX_PROPERTIES } from './cmdlet-properties.js';
import { EXCHANGE_SETUP_STEPS, type ExchangeApi, ExchangeRequestError, isExchangeRefusal } from './exchange-api.js';
import { hiddenRuleMailboxes } from './hidden-rule-scope.js';

/** A source that did not end `ok`; it carries no data, so it fits every Exchange source. */
type ExchangeCollected = { readonly status: Exclude<SourceStatus, { status: 'ok' }> };

/**
 * How a refused or failed cmdlet ends: refusal is `not_permitted` with the exact setup steps.
 * A listing cmdlet (`listing`: no object named in its parameters) has no object to miss, so
 * any 404 from it means the endpoint or the tenant is not available to the app.
 */
function failure(error: unknown, cmdlet: string, listing = false): ExchangeCollected {
  if (isExchangeRefusal(error) || (listing && error instanceof ExchangeRequestError && error.status === 404)) {
    return {
      status: {
        status: 'not_permitted',
        permission: EXCHANGE_SETUP_STEPS,
        reason: `The Exchange admin API refused ${cmdlet} (HTTP ${error.status}).`,
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

/** How many `Get-InboxRule` calls run at once; one per mailbox, so per-mailbox limits hold. */
const INBOX_RULE_CONCURRENCY = 4;

/**
 * `Get-InboxRule -IncludeHidden` for the mailboxes in scope (see hidden-rule-scope.ts). Graph
 * does not show rules hidden from MAPI, which is where an attacker hides a forwarding rule.
 */
async function collectInboxRules(context: CollectContext): Promise<Collected<'exo.inboxRule'>> {
  const exchange: ExchangeApi | undefined = context.clients.exchange;
  if (!exchange) return noClient();
  let mailboxes: readonly ExchangeObject[];
  try {
    mailboxes =
      context.earlier('exo.mailbox') ??
      ((await exchange.invoke('Get-Mailbox', {}, { properties: MAILBOX_PROPERTIES })) as readonly ExchangeObject[]);
  } catch (error: unknown) {
    return failure(error, 'Get-Mailbox', true);
  }
  // The mailboxes choose whose rules are read: checked as the exo.mailbox source would be.
  const wrongMailbox = shapeFailure('exo.mailbox', 'Get-Mailbox', mailboxes);
  if (wrongMailbox) return wrongMailbox;
  const targets = hiddenRuleMailboxes(mailboxes, context);
  context.logger.info(`Get-InboxRule -IncludeHidden: ${targets.length} mailboxes in scope`);
  const rules: ExchangeObject[] = [];
  let next = 0;
  let refused: unknown;
  let failed: unknown;
  const worker = async (): Promise<void> => {
    while (refused === undefined && failed === undefined && next < targets.length) {
      const mailbox = targets[next++] as string;
      try {
        const found = await exchange.invoke('Get-InboxRule', { Mailbox: mailbox, IncludeHidden: true });
        for (const rule of found) rules.push({ ...rule, [INBOX_RULE_MAILBOX_PROPERTY]: mailbox });
      } catch (error: unknown) {
        // The cmdlet ran and did not find the mailbox (removed since Get-Mailbox): skip it.
        if (error instanceof ExchangeRequestError && error.status === 404 && error.detail !== undefined) continue;
        if (isExchangeRefusal(error)) refused = error;
        else failed = error;
      }
    }
  };
  await Promise.all(Array.from({ length: INBOX_RULE_CONCURRENCY }, worker));
  if (refused !== undefined) return failure(refused, 'Get-InboxRule');
  if (failed !== undefined) return failure(failed, 'Get-InboxRule');
  // Each rule's own properties are checked by the rule parser, so one odd rule is an error alone.
  const wrong = shapeFailure('exo.inboxRule', 'Get-InboxRule', rules);
  if (wrong) return wrong;
  return { status: { status: 'ok', count: rules.length }, data: rules };
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
};
