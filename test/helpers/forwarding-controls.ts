import type { SourceId } from '../../src/snapshot/source-id.js';

/** The seven mail-exfiltration controls, audited together by the forwarding e2e tests. */
export const FORWARDING_CONTROLS: readonly string[] = [
  'forwarding.inbox-rules',
  'forwarding.concealment-rules',
  'forwarding.mailbox',
  'forwarding.outbound-policy',
  'forwarding.remote-domains',
  'legacy-auth.smtp-auth',
  'dkim.signing',
];

/** What those controls read, plus Get-InboxRule -IncludeHidden, which the rule sweep adds. */
export const FORWARDING_SOURCES: readonly SourceId[] = [
  'graph.domains',
  'graph.messageRules',
  'graph.mailFolders',
  'exo.mailbox',
  'exo.recipient',
  'exo.hostedOutboundSpamFilterPolicy',
  'exo.hostedOutboundSpamFilterRule',
  'exo.remoteDomain',
  'exo.transportConfig',
  'exo.casMailbox',
  'exo.dkimSigningConfig',
  'exo.inboxRule',
  'dns',
];
