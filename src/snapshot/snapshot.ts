import type { DnsData } from './dns-types.js';
import type { ExchangeObject } from './exchange-types.js';
import type {
  AppRoleAssignment,
  AuthenticationStrengthPolicy,
  AuthorizationPolicy,
  ConditionalAccessPolicy,
  GraphDomain,
  GraphGroup,
  NamedLocation,
  RoleDefinition,
  GraphUser,
  MailboxMessageRules,
  OAuth2PermissionGrant,
  RiskDetection,
  RiskyUser,
  RoleAssignment,
  SecurityDefaultsPolicy,
  ServicePrincipal,
  UserRegistrationDetails,
} from './graph-types.js';
import type { SignInStream } from './carried-sign-ins.js';
import type { Manifest } from './manifest.js';
import type { SourceId } from './source-id.js';
import type { SourceStatus } from './source-status.js';

/**
 * A source too large to hold in memory (sign-ins, inbox rules): read page by page. It can be
 * iterated more than once when it comes from a snapshot folder; a live one is read once.
 * Iteration throws when the source fails part-way, so a cut-short window is never a pass.
 */
export interface PageStream<T> {
  pages(): AsyncIterable<readonly T[]>;
}

/** The data of each source, in the source's own shape. */
export interface SourceDataMap {
  'graph.users': readonly GraphUser[];
  'graph.userRegistrationDetails': readonly UserRegistrationDetails[];
  'graph.conditionalAccessPolicies': readonly ConditionalAccessPolicy[];
  'graph.securityDefaults': SecurityDefaultsPolicy;
  'graph.authenticationStrengthPolicies': readonly AuthenticationStrengthPolicy[];
  'graph.roleAssignments': readonly RoleAssignment[];
  'graph.domains': readonly GraphDomain[];
  /** Only the groups Conditional Access policies name, for their display names. */
  'graph.groups': readonly GraphGroup[];
  'graph.roleDefinitions': readonly RoleDefinition[];
  'graph.namedLocations': readonly NamedLocation[];
  /** With the part earlier runs carried, in an incremental run (carried-sign-ins.ts). */
  'graph.signIns': SignInStream;
  'graph.riskyUsers': readonly RiskyUser[];
  'graph.riskDetections': readonly RiskDetection[];
  'graph.messageRules': PageStream<MailboxMessageRules>;
  /** Status only: the folder names are in graph.messageRules (EMBEDDED_SOURCES). */
  'graph.mailFolders': null;
  /** Microsoft Graph and Office 365 Exchange Online, with the app roles each exposes. */
  'graph.resourceServicePrincipals': readonly ServicePrincipal[];
  /** Every app role granted on those two resources. */
  'graph.appRoleAssignedTo': readonly AppRoleAssignment[];
  /** Every service principal of the tenant (without app roles). */
  'graph.servicePrincipals': readonly ServicePrincipal[];
  'graph.authorizationPolicy': AuthorizationPolicy;
  /** Delegated grants an admin made for all users (`consentType eq 'AllPrincipals'`). */
  'graph.oauth2PermissionGrants': readonly OAuth2PermissionGrant[];
  'exo.mailbox': readonly ExchangeObject[];
  'exo.hostedOutboundSpamFilterPolicy': readonly ExchangeObject[];
  'exo.hostedOutboundSpamFilterRule': readonly ExchangeObject[];
  'exo.remoteDomain': readonly ExchangeObject[];
  'exo.dkimSigningConfig': readonly ExchangeObject[];
  'exo.transportConfig': readonly ExchangeObject[];
  'exo.casMailbox': readonly ExchangeObject[];
  /** Mail contacts and mail users: where a `ForwardingAddress` can point outside the tenant. */
  'exo.recipient': readonly ExchangeObject[];
  'exo.inboxRule': readonly ExchangeObject[];
  'exo.transportRule': readonly ExchangeObject[];
  'exo.outboundConnector': readonly ExchangeObject[];
  /** Get-MailboxPermission of each user and shared mailbox, marked with the mailbox it was read for. */
  'exo.mailboxPermission': readonly ExchangeObject[];
  /** Get-RecipientPermission -AccessRights SendAs, tenant-wide. */
  'exo.recipientPermission': readonly ExchangeObject[];
  'exo.organizationConfig': readonly ExchangeObject[];
  'exo.mailboxAuditBypassAssociation': readonly ExchangeObject[];
  'exo.adminAuditLogConfig': readonly ExchangeObject[];
  'exo.applicationAccessPolicy': readonly ExchangeObject[];
  'exo.managementRoleAssignment': readonly ExchangeObject[];
  /** Exchange's pointers to Entra service principals (Get-ServicePrincipal), which mailbox permissions name. */
  'exo.servicePrincipal': readonly ExchangeObject[];
  dns: DnsData;
}

/**
 * The seam between collection and evaluation: what was collected, with a status per source.
 * Built live by the collectors or read back from a snapshot folder; checks cannot tell apart.
 */
export interface Snapshot {
  readonly manifest: Manifest;
  /** The status of a source; `undefined` when it was not collected in this run. */
  status(id: SourceId): SourceStatus | undefined;
  /** The data of a source whose status is `ok`. Throws for any other source. */
  data<K extends SourceId>(id: K): SourceDataMap[K];
  /**
   * Lets go of a source's data once nothing will read it again (its status stays), so a
   * 100,000-user directory is not held through the long stream sweeps. Later `data` calls throw.
   */
  release?(id: SourceId): void;
}

/**
 * An in-memory snapshot, for collectors and tests. It reads `data` in place, so two snapshots
 * over one store (an early one and the final one) see the same data and the same releases.
 */
export function memorySnapshot(manifest: Manifest, data: Partial<{ [K in SourceId]: SourceDataMap[K] }>): Snapshot {
  const released = new Set<SourceId>();
  return {
    manifest,
    status: (id) => manifest.sources[id],
    data<K extends SourceId>(id: K): SourceDataMap[K] {
      const status = manifest.sources[id];
      const value = data[id];
      if (released.has(id)) throw new Error(`source ${id} was released after its checks ran`);
      if (status?.status !== 'ok' || value === undefined) {
        throw new Error(`source ${id} is not available (status ${status?.status ?? 'not collected'})`);
      }
      return value as SourceDataMap[K];
    },
    release(id) {
      released.add(id);
      delete data[id];
    },
  };
}

/** A page stream over an array, split into pages of `pageSize`. */
export function arrayPageStream<T>(items: readonly T[], pageSize = 1000): PageStream<T> {
  return {
    async *pages() {
      for (let i = 0; i < items.length; i += pageSize) yield items.slice(i, i + pageSize);
    },
  };
}
