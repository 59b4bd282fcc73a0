import { isIP } from 'node:net';
import type { Finding } from '../../model/finding.js';
import { TENANT_TARGET } from '../../model/finding.js';
import type { Json, JsonObject } from '../../model/json.js';
import type { ExchangeObject } from '../../snapshot/exchange-types.js';
import type { CheckInput } from '../check.js';
import { identityKeys, stringList, text } from '../exchange-values.js';
import { acceptedDomains, classifyDomain, type RecipientClass } from './recipient-domain.js';
import { type PlacedRecipient, placeRecipient, recipientDirectory } from './recipient-directory.js';

/*
 * forwarding.transport-rules. The actions and their meaning are Set-TransportRule's parameters
 * (learn.microsoft.com/powershell/module/exchangepowershell/set-transportrule): each names
 * recipients (RecipientIdParameter[]) added to the message or replacing its recipients.
 */

/** Actions that send the message, or a copy, to the recipients they name. */
const RECIPIENT_ACTIONS = ['RedirectMessageTo', 'BlindCopyTo', 'CopyTo', 'AddToRecipients'] as const;

/** Audit modes take "no action that affects message delivery" (Set-TransportRule, -Mode). */
const AUDIT_MODES = new Set(['audit', 'auditandnotify']);

function ruleName(rule: ExchangeObject): string {
  return text(rule.Name) ?? text(rule.Identity) ?? text(rule.Guid) ?? '(unnamed rule)';
}

/** What routing a rule's mail through an outbound connector does. */
interface ConnectorRoute {
  readonly connector: string;
  readonly class: RecipientClass | 'unresolved' | 'none';
  readonly why: string;
  readonly evidence: JsonObject;
}

/** A smart host (FQDN, IP address or CIDR block, Set-OutboundConnector -SmartHosts) placed by its name. */
function placeHost(host: string, accepted: readonly string[], partners: readonly string[]): RecipientClass {
  const bare = host.split('/')[0] ?? host;
  // An IP address names no domain: nothing says it is the tenant's or a partner's.
  if (isIP(bare) !== 0) return 'external';
  return classifyDomain(bare, accepted, partners);
}

/**
 * Where a rule-scoped outbound connector sends mail (Set-OutboundConnector): an OnPremises
 * connector to the organisation's own servers; a Partner connector to its smart hosts, or,
 * with UseMXRecord, to each recipient's own mail servers (no other party in between).
 */
function judgeConnector(
  name: string,
  connectors: readonly ExchangeObject[],
  accepted: readonly string[],
  partners: readonly string[],
): ConnectorRoute {
  const wanted = name.toLowerCase();
  const connector = connectors.find((c) => identityKeys(c).includes(wanted));
  if (connector === undefined) {
    return { connector: name, class: 'unresolved', why: 'no outbound connector has this name', evidence: {} };
  }
  const type = text(connector.ConnectorType) ?? null;
  const smartHosts = stringList(connector.SmartHosts);
  const evidence: JsonObject = {
    connectorType: type,
    enabled: typeof connector.Enabled === 'boolean' ? connector.Enabled : null,
    useMxRecord: typeof connector.UseMXRecord === 'boolean' ? connector.UseMXRecord : null,
    smartHosts: smartHosts === undefined ? null : [...smartHosts],
  };
  if (connector.Enabled === false)
    return { connector: name, class: 'none', why: 'the connector is disabled, so it sends nothing', evidence };
  if (type?.toLowerCase() === 'onpremises')
    return {
      connector: name,
      class: 'internal',
      why: "it delivers to the organisation's on-premises servers",
      evidence,
    };
  if (connector.UseMXRecord === true)
    return { connector: name, class: 'none', why: "it delivers to each recipient's own mail servers (MX)", evidence };
  if (smartHosts === undefined || smartHosts.length === 0) {
    return { connector: name, class: 'unresolved', why: 'its smart hosts cannot be read', evidence };
  }
  const placed = smartHosts.map((host) => ({ host, class: placeHost(host, accepted, partners) }));
  const external = placed.filter((p) => p.class === 'external');
  const worst: RecipientClass =
    external.length > 0 ? 'external' : placed.some((p) => p.class === 'partner') ? 'partner' : 'internal';
  return {
    connector: name,
    class: worst,
    why:
      worst === 'external'
        ? `it relays through ${external.length} smart host(s) outside the tenant and the partner domains`
        : 'its smart hosts are within the tenant or the partner domains',
    evidence: { ...evidence, smartHostClasses: placed },
  };
}

function recipientEvidence(action: string, placed: PlacedRecipient): JsonObject {
  return {
    action,
    recipient: placed.recipient,
    address: placed.address,
    domain: placed.domain,
    class: placed.class,
    via: placed.via,
  };
}

/**
 * `forwarding.transport-rules`: no enabled, enforcing mail-flow rule copies or redirects mail
 * outside the accepted domains and partner domains, or routes it through a connector that does.
 */
export function transportRules({ snapshot, params }: CheckInput): readonly Finding[] {
  const accepted = acceptedDomains(snapshot.data('graph.domains'));
  const partners = params.strings('partnerDomains');
  const rules = snapshot.data('exo.transportRule');
  const connectors = snapshot.data('exo.outboundConnector');
  const names: string[] = [];
  for (const rule of rules)
    for (const action of RECIPIENT_ACTIONS) for (const value of stringList(rule[action]) ?? []) names.push(value);
  const directory = recipientDirectory(snapshot.data('exo.mailbox'), snapshot.data('exo.recipient'), names);

  const findings: Finding[] = [];
  const counts = { rules: rules.length, judged: 0, disabled: 0, auditMode: 0, internalCopies: 0, partnerCopies: 0 };
  const managerCopies: JsonObject[] = [];
  for (const rule of rules) {
    const name = ruleName(rule);
    const target = `transport-rule/${name}`;
    // A rule without State is judged: only an explicit Disabled turns one off.
    if (text(rule.State)?.toLowerCase() === 'disabled') {
      counts.disabled++;
      continue;
    }
    const mode = text(rule.Mode) ?? 'Enforce';
    if (AUDIT_MODES.has(mode.toLowerCase())) {
      counts.auditMode++;
      continue;
    }
    counts.judged++;
    const base: JsonObject = {
      rule: name,
      priority: typeof rule.Priority === 'number' ? rule.Priority : null,
      mode,
      description: text(rule.Description) ?? null,
    };
    const placed: JsonObject[] = [];
    const unreadable: string[] = [];
    for (const action of RECIPIENT_ACTIONS) {
      const values = stringList(rule[action]);
      if (values === undefined) {
        unreadable.push(action);
        continue;
      }
      for (const value of values)
        placed.push(recipientEvidence(action, placeRecipient(value, directory, accepted, partners)));
    }
    const manager = text(rule.AddManagerAsRecipientType);
    if (manager !== undefined) managerCopies.push({ rule: name, addManagerAsRecipientType: manager });
    const connectorName = text(rule.RouteMessageOutboundConnector);
    const route = connectorName ? judgeConnector(connectorName, connectors, accepted, partners) : undefined;

    const classOf = (r: Json): string => (r as JsonObject).class as string;
    const external = placed.filter((r) => classOf(r) === 'external');
    const unresolved = placed.filter((r) => classOf(r) === 'unresolved');
    counts.internalCopies += placed.filter((r) => classOf(r) === 'internal').length;
    counts.partnerCopies += placed.filter((r) => classOf(r) === 'partner').length;
    const evidence: JsonObject = {
      ...base,
      recipients: placed,
      ...(route
        ? { outboundConnector: { name: route.connector, class: route.class, why: route.why, ...route.evidence } }
        : {}),
      ...(manager !== undefined ? { addManagerAsRecipientType: manager } : {}),
      ...(unreadable.length > 0 ? { unreadableActions: unreadable } : {}),
    };
    if (external.length > 0 || route?.class === 'external') {
      const parts = [
        ...(external.length > 0 ? [`sends mail to ${external.length} recipient(s) outside the tenant`] : []),
        ...(route?.class === 'external'
          ? [`routes mail through outbound connector "${route.connector}", which ${route.why}`]
          : []),
      ];
      findings.push({
        target,
        status: 'fail',
        message: `An enabled mail-flow rule ${parts.join(' and ')}.`,
        evidence,
      });
    } else if (unresolved.length > 0 || route?.class === 'unresolved' || unreadable.length > 0) {
      // Fail closed: a recipient or connector that cannot be placed is not assumed internal.
      findings.push({
        target,
        status: 'error',
        message:
          route?.class === 'unresolved'
            ? `The rule routes mail through outbound connector "${route.connector}", but ${route.why}.`
            : unreadable.length > 0
              ? `The rule's ${unreadable.join(', ')} cannot be read.`
              : `The rule names ${unresolved.length} recipient(s) that are neither an address nor a mailbox, mail contact or mail user.`,
        evidence,
      });
    }
  }
  if (findings.length > 0) return findings;
  return [
    {
      target: TENANT_TARGET,
      status: 'pass',
      message:
        rules.length === 0
          ? 'The tenant has no mail-flow rules (Get-TransportRule returned none), so none copies mail out.'
          : `No enabled mail-flow rule of ${rules.length} copies or redirects mail outside the tenant.`,
      evidence: { ...counts, connectors: connectors.length, managerCopies },
    },
  ];
}
