import type { Finding } from '../../model/finding.js';
import { TENANT_TARGET } from '../../model/finding.js';
import type { ExchangeObject } from '../../snapshot/exchange-types.js';
import type { Check, CheckInput } from '../check.js';
import { nothingRead } from '../nothing-read.js';
import { concealment } from './concealment.js';
import type { InboxRule } from './message-rule.js';
import { normaliseDomain } from '../../model/domain-name.js';
import { acceptedDomains, addressOf, classifyDomain, domainOf } from './recipient-domain.js';
import { placeRecipient, recipientDirectory } from './recipient-directory.js';
import { mailboxName, text } from '../exchange-values.js';
import { ruleSweepFold, ruleTarget } from './rule-sweep.js';
import { transportRules } from './transport-rules.js';

function ruleEvidence(rule: InboxRule, hidden: boolean) {
  return {
    mailbox: rule.mailbox,
    ruleId: rule.ruleId,
    // Verbatim: attacker-controlled, escaped only where it is shown (src/report/escape.ts).
    ruleName: rule.name,
    source: rule.source,
    hidden,
    conditions: rule.conditions,
    actions: rule.actions,
  };
}

/** `forwarding.inbox-rules`: no enabled rule forwards or redirects outside the tenant and its partners. */
function inboxRules(input: CheckInput) {
  const accepted = acceptedDomains(input.snapshot.data('graph.domains'));
  const partners = input.params.strings('partnerDomains');
  return ruleSweepFold(input, (rule, hidden): Finding | undefined => {
    const classified = rule.recipients.map((r) => ({
      action: r.action,
      address: r.address,
      name: r.name,
      domain: domainOf(r.address),
      class: classifyDomain(domainOf(r.address), accepted, partners),
    }));
    const external = classified.filter((r) => r.class === 'external');
    if (external.length === 0) return undefined;
    return {
      target: ruleTarget(rule.mailbox, rule.ruleId),
      status: 'fail',
      message: `An enabled inbox rule${hidden ? ' hidden from Outlook' : ''} sends mail to ${external.length} recipient(s) outside the tenant.`,
      evidence: {
        ...ruleEvidence(rule, hidden),
        externalRecipients: external,
        partnerRecipients: classified.filter((r) => r.class === 'partner'),
      },
      ...(hidden ? { severity: 'critical' as const } : {}),
    };
  });
}

/** `forwarding.concealment-rules`: no enabled rule hides mail the way a compromised mailbox's rules do. */
function concealmentRules(input: CheckInput) {
  const words = input.params.strings('triggerWords');
  const senders = input.params.strings('securityTeamSenders');
  return ruleSweepFold(input, (rule, hidden): Finding | undefined => {
    const match = concealment(rule, words, senders);
    if (!match && rule.moveToFolderUnread !== null) {
      // The folder's name decides ("RSS Feeds" hides mail on its own): unread, the rule is not judged.
      return {
        target: ruleTarget(rule.mailbox, rule.ruleId),
        status: 'error',
        message: `The name of the folder this rule moves mail to could not be read (HTTP ${rule.moveToFolderUnread}), so whether it hides mail cannot be judged.`,
        evidence: {
          ...ruleEvidence(rule, hidden),
          folderId: rule.moveToFolder,
          folderReadStatus: rule.moveToFolderUnread,
        },
      };
    }
    if (!match) return undefined;
    return {
      target: ruleTarget(rule.mailbox, rule.ruleId),
      status: 'fail',
      message: `An enabled inbox rule${hidden ? ' hidden from Outlook' : ''} hides mail (pattern ${match.pattern}).`,
      evidence: { ...ruleEvidence(rule, hidden), pattern: match.pattern, signs: match.signs },
      ...(hidden ? { severity: 'critical' as const } : {}),
    };
  });
}

/**
 * `forwarding.mailbox`: no mailbox-level forwarding (`ForwardingSmtpAddress`, `ForwardingAddress`)
 * outside the tenant.
 */
function mailboxForwarding({ snapshot, params }: CheckInput): readonly Finding[] {
  const accepted = acceptedDomains(snapshot.data('graph.domains'));
  const partners = params.strings('partnerDomains');
  const mailboxes = snapshot.data('exo.mailbox');
  if (mailboxes.length === 0)
    return [nothingRead('Get-Mailbox returned no mailbox', 'an Exchange Online organisation has mailboxes')];
  const forwardedTo: string[] = [];
  for (const m of mailboxes) {
    const target = text(m.ForwardingAddress);
    if (target !== undefined) forwardedTo.push(target);
  }
  const directory = recipientDirectory(mailboxes, snapshot.data('exo.recipient'), forwardedTo);

  const findings: Finding[] = [];
  let forwarding = 0;
  for (const mailbox of mailboxes) {
    const name = mailboxName(mailbox);
    const base = { mailbox: name, deliverToMailboxAndForward: mailbox.DeliverToMailboxAndForward === true };
    const smtp = text(mailbox.ForwardingSmtpAddress);
    if (smtp !== undefined) {
      forwarding++;
      const address = addressOf(smtp);
      if (address === undefined) {
        findings.push({
          target: name,
          status: 'error',
          message: 'ForwardingSmtpAddress holds no readable address.',
          evidence: { ...base, forwardingSmtpAddress: smtp },
        });
      } else if (classifyDomain(domainOf(address), accepted, partners) === 'external') {
        findings.push({
          target: name,
          status: 'fail',
          message: 'The mailbox forwards all mail to an address outside the tenant (ForwardingSmtpAddress).',
          evidence: {
            ...base,
            property: 'ForwardingSmtpAddress',
            forwardingSmtpAddress: smtp,
            externalAddress: address,
            domain: domainOf(address),
          },
        });
      }
    }
    const target = text(mailbox.ForwardingAddress);
    if (target !== undefined) {
      forwarding++;
      const placed = placeRecipient(target, directory, accepted, partners);
      const contact = placed.via === 'contact' ? directory.contact(target) : undefined;
      if (placed.class === 'external') {
        findings.push({
          target: name,
          status: 'fail',
          message: 'The mailbox forwards all mail to an external contact (ForwardingAddress).',
          evidence: {
            ...base,
            property: 'ForwardingAddress',
            forwardingAddress: target,
            contact: text(contact?.DisplayName) ?? text(contact?.Name) ?? target,
            recipientTypeDetails: text(contact?.RecipientTypeDetails) ?? null,
            externalAddress: placed.address,
            domain: placed.domain,
          },
        });
      } else if (placed.class === 'unresolved') {
        // Fail closed: a forwarding target we cannot place is not assumed to be internal.
        findings.push({
          target: name,
          status: 'error',
          message:
            placed.via === 'contact'
              ? 'ForwardingAddress names a mail contact or mail user without a readable external address.'
              : 'ForwardingAddress names a recipient that is neither a mailbox nor a mail contact or mail user.',
          evidence: { ...base, property: 'ForwardingAddress', forwardingAddress: target },
        });
      }
    }
  }
  if (findings.length > 0) return findings;
  return [
    {
      target: TENANT_TARGET,
      status: 'pass',
      message: `No mailbox of ${mailboxes.length} forwards outside the tenant.`,
      evidence: { mailboxes: mailboxes.length, mailboxesWithForwarding: forwarding },
    },
  ];
}

function policyName(policy: ExchangeObject): string {
  return text(policy.Name) ?? text(policy.Identity) ?? '(unnamed policy)';
}

/** `forwarding.outbound-policy`: AutoForwardingMode Off or Automatic, or On only for allowed senders. */
function outboundPolicy({ snapshot, params }: CheckInput): readonly Finding[] {
  const allowed = new Set(params.strings('allowedForwardingSenders').map((s) => s.trim().toLowerCase()));
  const rules = snapshot.data('exo.hostedOutboundSpamFilterRule');
  const policies = snapshot.data('exo.hostedOutboundSpamFilterPolicy');
  if (policies.length === 0)
    return [
      nothingRead('Get-HostedOutboundSpamFilterPolicy returned no policy', 'every tenant has the Default policy'),
    ];
  return policies.map((policy): Finding => {
    const name = policyName(policy);
    const target = `outbound-policy/${name}`;
    const mode = text(policy.AutoForwardingMode);
    const evidence = { policy: name, isDefault: policy.IsDefault === true, autoForwardingMode: mode ?? null };
    // Automatic is system-controlled and now blocks external auto-forwarding (Microsoft Learn,
    // "Control automatic external email forwarding in Microsoft 365").
    if (mode === 'Off' || mode === 'Automatic') {
      return { target, status: 'pass', message: `AutoForwardingMode is ${mode}.`, evidence };
    }
    if (mode !== 'On') {
      return { target, status: 'error', message: 'AutoForwardingMode is missing or has an unknown value.', evidence };
    }
    if (policy.IsDefault === true) {
      return {
        target,
        status: 'fail',
        message: 'The default outbound spam policy allows automatic external forwarding for everyone.',
        evidence,
      };
    }
    const rule = rules.find((r) => {
      const linked = text(r.HostedOutboundSpamFilterPolicy)?.toLowerCase();
      return linked === name.toLowerCase() || linked === text(policy.Identity)?.toLowerCase();
    });
    if (!rule || text(rule.State) === 'Disabled' || rule.Enabled === false) {
      return {
        target,
        status: 'pass',
        message: 'AutoForwardingMode is On, but no enabled rule applies this policy.',
        evidence: { ...evidence, applied: false },
      };
    }
    const scope = ['From', 'FromMemberOf', 'SenderDomainIs'].flatMap((field) => {
      const value = rule[field];
      const list = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
      return list.filter((v): v is string => typeof v === 'string').map((v) => ({ field, value: v }));
    });
    const outside = scope.filter((s) => !allowed.has(s.value.trim().toLowerCase()));
    const scopeEvidence = { ...evidence, applied: true, rule: text(rule.Name) ?? null, scope, notAllowed: outside };
    if (scope.length > 0 && outside.length === 0) {
      return {
        target,
        status: 'pass',
        message: 'AutoForwardingMode is On only for senders the policy allows.',
        evidence: scopeEvidence,
      };
    }
    return {
      target,
      status: 'fail',
      message:
        scope.length === 0
          ? 'AutoForwardingMode is On and the policy is not scoped to named senders.'
          : `AutoForwardingMode is On for ${outside.length} sender scope(s) the policy does not allow.`,
      evidence: scopeEvidence,
    };
  });
}

/** `forwarding.remote-domains`: AutoForwardEnabled false on `*` and on every domain not allow-listed. */
function remoteDomains({ snapshot, params }: CheckInput): readonly Finding[] {
  const partners = new Set(params.strings('partnerDomains').map(normaliseDomain));
  const remote = snapshot.data('exo.remoteDomain');
  if (remote.length === 0)
    return [nothingRead('Get-RemoteDomain returned no remote domain', 'every tenant has the Default one, `*`')];
  return remote.map((domain): Finding => {
    const domainName = text(domain.DomainName) ?? '';
    const target = `remote-domain/${domainName || policyName(domain)}`;
    const evidence = {
      name: policyName(domain),
      domainName,
      autoForwardEnabled: typeof domain.AutoForwardEnabled === 'boolean' ? domain.AutoForwardEnabled : null,
    };
    if (typeof domain.AutoForwardEnabled !== 'boolean') {
      return { target, status: 'error', message: 'AutoForwardEnabled is missing.', evidence };
    }
    if (!domain.AutoForwardEnabled)
      return { target, status: 'pass', message: 'Automatic forwarding is off.', evidence };
    // The default entry `*` covers every external domain, so it can never be allow-listed.
    if (domainName !== '*' && partners.has(normaliseDomain(domainName))) {
      return {
        target,
        status: 'pass',
        message: 'Automatic forwarding is on for an allow-listed partner domain.',
        evidence: { ...evidence, allowListed: true },
      };
    }
    return {
      target,
      status: 'fail',
      message:
        domainName === '*'
          ? 'Automatic forwarding is on for every external domain (remote domain *).'
          : 'Automatic forwarding is on for a domain the policy does not allow.',
      evidence,
    };
  });
}

/** Checks of the forwarding controls, keyed by control ID. */
export const forwardingChecks: Readonly<Record<string, Check>> = {
  'forwarding.inbox-rules': { kind: 'stream', stream: 'graph.messageRules', start: inboxRules },
  'forwarding.concealment-rules': { kind: 'stream', stream: 'graph.messageRules', start: concealmentRules },
  'forwarding.mailbox': { kind: 'snapshot', evaluate: mailboxForwarding },
  'forwarding.transport-rules': { kind: 'snapshot', evaluate: transportRules },
  'forwarding.outbound-policy': { kind: 'snapshot', evaluate: outboundPolicy },
  'forwarding.remote-domains': { kind: 'snapshot', evaluate: remoteDomains },
};
