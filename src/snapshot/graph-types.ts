/**
 * The subset of Microsoft Graph v1.0 resources that mailwarden reads, typed as Graph returns
 * them. Enums are `string`, because Graph's enums are evolvable (`unknownFutureValue`) and a
 * value we do not know must never crash a run.
 */

/** https://learn.microsoft.com/graph/api/resources/user */
export interface GraphUser {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly displayName?: string | null;
  readonly accountEnabled?: boolean | null;
  /** `Member` or `Guest`. */
  readonly userType?: string | null;
  readonly mail?: string | null;
  readonly assignedLicenses?: readonly { readonly skuId: string }[] | null;
  readonly department?: string | null;
}

/** https://learn.microsoft.com/graph/api/resources/userregistrationdetails */
export interface UserRegistrationDetails {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly userDisplayName?: string | null;
  /** `member` or `guest`. */
  readonly userType?: string | null;
  readonly isAdmin?: boolean | null;
  readonly isMfaRegistered: boolean;
  readonly isMfaCapable: boolean;
  readonly isPasswordlessCapable?: boolean | null;
  readonly methodsRegistered: readonly string[];
  readonly lastUpdatedDateTime?: string | null;
}

/** conditionalAccessFilter: a device, application or service-principal rule (learn.microsoft.com/graph/api/resources/conditionalaccessfilter). */
export interface ConditionalAccessFilter {
  /** `include` or `exclude`. */
  readonly mode?: string | null;
  readonly rule?: string | null;
}

/**
 * conditionalAccessGuestsOrExternalUsers. `guestOrExternalUserTypes` is a flags enum that Graph
 * sends as one comma-separated string (`"internalGuest,serviceProvider"`); `externalTenants` is
 * `{membershipKind: "all"}` or `{membershipKind: "enumerated", members: [tenant IDs]}`.
 */
export interface ConditionalAccessGuestsOrExternalUsers {
  readonly guestOrExternalUserTypes?: string | readonly string[] | null;
  readonly externalTenants?: {
    readonly membershipKind?: string | null;
    readonly members?: readonly string[] | null;
  } | null;
}

/**
 * https://learn.microsoft.com/graph/api/resources/conditionalaccessconditionset (v1.0). Every
 * condition that can narrow a policy is kept; empty lists and `null` both mean "not configured".
 * A condition Graph adds later is kept in the snapshot as it came and makes the policy not count.
 */
export interface ConditionalAccessConditions {
  readonly clientAppTypes?: readonly string[] | null;
  readonly userRiskLevels?: readonly string[] | null;
  readonly signInRiskLevels?: readonly string[] | null;
  readonly servicePrincipalRiskLevels?: readonly string[] | null;
  /** A flags enum: `minor`, `moderate`, `elevated`, as one comma-separated string. */
  readonly insiderRiskLevels?: string | readonly string[] | null;
  readonly applications?: {
    readonly includeApplications?: readonly string[] | null;
    readonly excludeApplications?: readonly string[] | null;
    readonly includeUserActions?: readonly string[] | null;
    readonly includeAuthenticationContextClassReferences?: readonly string[] | null;
    readonly applicationFilter?: ConditionalAccessFilter | null;
  } | null;
  readonly users?: {
    readonly includeUsers?: readonly string[] | null;
    readonly excludeUsers?: readonly string[] | null;
    readonly includeGroups?: readonly string[] | null;
    readonly excludeGroups?: readonly string[] | null;
    readonly includeRoles?: readonly string[] | null;
    readonly excludeRoles?: readonly string[] | null;
    readonly includeGuestsOrExternalUsers?: ConditionalAccessGuestsOrExternalUsers | null;
    readonly excludeGuestsOrExternalUsers?: ConditionalAccessGuestsOrExternalUsers | null;
  } | null;
  /** Workload identities: a policy with this condition applies to service principals, not users. */
  readonly clientApplications?: {
    readonly includeServicePrincipals?: readonly string[] | null;
    readonly excludeServicePrincipals?: readonly string[] | null;
    readonly servicePrincipalFilter?: ConditionalAccessFilter | null;
  } | null;
  /** `android`, `iOS`, `windows`, `windowsPhone`, `macOS`, `linux`, `all`. */
  readonly platforms?: {
    readonly includePlatforms?: readonly string[] | null;
    readonly excludePlatforms?: readonly string[] | null;
  } | null;
  /** Named location IDs, `All` or `AllTrusted`. */
  readonly locations?: {
    readonly includeLocations?: readonly string[] | null;
    readonly excludeLocations?: readonly string[] | null;
  } | null;
  readonly devices?: { readonly deviceFilter?: ConditionalAccessFilter | null } | null;
  /** A flags enum: `deviceCodeFlow`, `authenticationTransfer`, as one comma-separated string. */
  readonly authenticationFlows?: { readonly transferMethods?: string | readonly string[] | null } | null;
}

/** https://learn.microsoft.com/graph/api/resources/conditionalaccesspolicy */
export interface ConditionalAccessPolicy {
  readonly id: string;
  readonly displayName: string;
  /** `enabled`, `disabled` or `enabledForReportingButNotEnforced`. */
  readonly state: string;
  readonly conditions: ConditionalAccessConditions;
  readonly grantControls?: {
    /** `AND` or `OR`. */
    readonly operator?: string | null;
    readonly builtInControls?: readonly string[] | null;
    readonly authenticationStrength?: {
      readonly id: string;
      readonly displayName?: string | null;
      /** `none` or `mfa` (authenticationStrengthPolicy). */
      readonly requirementsSatisfied?: string | null;
      readonly allowedCombinations?: readonly string[] | null;
    } | null;
    /** Terms-of-use agreement IDs. */
    readonly termsOfUse?: readonly string[] | null;
    /** Custom control IDs. */
    readonly customAuthenticationFactors?: readonly string[] | null;
  } | null;
  /** https://learn.microsoft.com/graph/api/resources/conditionalaccesssessioncontrols */
  readonly sessionControls?: {
    readonly disableResilienceDefaults?: boolean | null;
    readonly persistentBrowser?: { readonly isEnabled?: boolean | null; readonly mode?: string | null } | null;
    readonly signInFrequency?: {
      readonly isEnabled?: boolean | null;
      readonly value?: number | null;
      readonly type?: string | null;
      readonly frequencyInterval?: string | null;
      readonly authenticationType?: string | null;
    } | null;
    readonly cloudAppSecurity?: {
      readonly isEnabled?: boolean | null;
      readonly cloudAppSecurityType?: string | null;
    } | null;
    readonly applicationEnforcedRestrictions?: { readonly isEnabled?: boolean | null } | null;
  } | null;
}

/** https://learn.microsoft.com/graph/api/resources/group (only what evidence shows). */
export interface GraphGroup {
  readonly id: string;
  readonly displayName?: string | null;
}

/** https://learn.microsoft.com/graph/api/resources/unifiedroledefinition (only what evidence shows). */
export interface RoleDefinition {
  readonly id: string;
  readonly displayName?: string | null;
  /** For built-in roles equal to `id`; Conditional Access names roles by template ID. */
  readonly templateId?: string | null;
  readonly isBuiltIn?: boolean | null;
}

/**
 * https://learn.microsoft.com/graph/api/resources/namedlocation: `#microsoft.graph.ipNamedLocation`
 * (with `isTrusted` and `ipRanges`) or `#microsoft.graph.countryNamedLocation` (never trusted).
 */
export interface NamedLocation {
  readonly '@odata.type'?: string | null;
  readonly id: string;
  readonly displayName?: string | null;
  readonly isTrusted?: boolean | null;
  readonly ipRanges?: readonly { readonly cidrAddress?: string | null }[] | null;
  readonly countriesAndRegions?: readonly string[] | null;
  readonly includeUnknownCountriesAndRegions?: boolean | null;
}

/** https://learn.microsoft.com/graph/api/resources/identitysecuritydefaultsenforcementpolicy */
export interface SecurityDefaultsPolicy {
  readonly id?: string;
  readonly isEnabled: boolean;
}

/** https://learn.microsoft.com/graph/api/resources/authenticationstrengthpolicy */
export interface AuthenticationStrengthPolicy {
  readonly id: string;
  readonly displayName: string;
  /** `builtIn` or `custom`. */
  readonly policyType?: string | null;
  /** `none` or `mfa`: whether the strength satisfies multifactor authentication. */
  readonly requirementsSatisfied?: string | null;
  readonly allowedCombinations: readonly string[];
}

/** A directory object as expanded in `principal` (user, group or service principal). */
export interface DirectoryPrincipal {
  readonly '@odata.type': string;
  readonly id: string;
  readonly displayName?: string | null;
  readonly userPrincipalName?: string | null;
  readonly accountEnabled?: boolean | null;
  /** Transitive user members of a group principal, when the collector expanded them. */
  readonly members?: readonly DirectoryPrincipal[] | null;
}

/** https://learn.microsoft.com/graph/api/resources/unifiedroleassignment */
export interface RoleAssignment {
  readonly id: string;
  readonly principalId: string;
  /** For built-in roles this is the role template ID. */
  readonly roleDefinitionId: string;
  readonly directoryScopeId?: string | null;
  readonly principal?: DirectoryPrincipal | null;
}

/** https://learn.microsoft.com/graph/api/resources/domain */
export interface GraphDomain {
  readonly id: string;
  readonly isVerified?: boolean | null;
  readonly isDefault?: boolean | null;
  readonly isInitial?: boolean | null;
  /** e.g. `Email`, `OfficeCommunicationsOnline`, `Intune`. */
  readonly supportedServices?: readonly string[] | null;
  readonly authenticationType?: string | null;
}

/** https://learn.microsoft.com/graph/api/resources/signin */
export interface SignIn {
  readonly id: string;
  readonly createdDateTime: string;
  readonly userId?: string | null;
  readonly userPrincipalName?: string | null;
  readonly userDisplayName?: string | null;
  readonly appDisplayName?: string | null;
  readonly clientAppUsed?: string | null;
  readonly ipAddress?: string | null;
  readonly isInteractive?: boolean | null;
  readonly riskLevelDuringSignIn?: string | null;
  readonly conditionalAccessStatus?: string | null;
  readonly status?: {
    readonly errorCode?: number | null;
    readonly failureReason?: string | null;
    readonly additionalDetails?: string | null;
  } | null;
  readonly location?: {
    readonly city?: string | null;
    readonly state?: string | null;
    readonly countryOrRegion?: string | null;
    readonly geoCoordinates?: {
      readonly latitude?: number | null;
      readonly longitude?: number | null;
      readonly altitude?: number | null;
    } | null;
  } | null;
}

/** https://learn.microsoft.com/graph/api/resources/riskyuser */
export interface RiskyUser {
  readonly id: string;
  readonly userPrincipalName?: string | null;
  readonly userDisplayName?: string | null;
  /** `low`, `medium`, `high`, `hidden`, `none`. */
  readonly riskLevel: string;
  /** `atRisk`, `confirmedCompromised`, `remediated`, `dismissed`, … */
  readonly riskState: string;
  readonly riskDetail?: string | null;
  readonly riskLastUpdatedDateTime?: string | null;
}

/** https://learn.microsoft.com/graph/api/resources/riskdetection */
export interface RiskDetection {
  readonly id: string;
  readonly userId?: string | null;
  readonly userPrincipalName?: string | null;
  readonly riskEventType?: string | null;
  readonly riskLevel?: string | null;
  readonly riskState?: string | null;
  readonly detectedDateTime?: string | null;
  readonly ipAddress?: string | null;
  readonly location?: SignIn['location'];
}

/** https://learn.microsoft.com/graph/api/resources/messagerule */
export interface MessageRule {
  readonly id: string;
  readonly displayName?: string | null;
  readonly sequence?: number | null;
  readonly isEnabled?: boolean | null;
  readonly hasError?: boolean | null;
  readonly conditions?: { readonly [key: string]: unknown } | null;
  readonly actions?: { readonly [key: string]: unknown } | null;
}

/**
 * One mailbox's inbox rules as fetched through `$batch`: the batch item's status and body.
 * A 404 (`MailboxNotEnabledForRESTAPI`) marks a user without a mailbox.
 */
export interface MailboxMessageRules {
  readonly userId: string;
  readonly userPrincipalName: string;
  readonly status: number;
  readonly body: {
    readonly value?: readonly MessageRule[];
    readonly error?: { readonly code: string; readonly message?: string };
  };
  /**
   * Display names of the folders the rules move or copy to, by folder ID: Graph gives only the
   * ID in `moveToFolder`, and hiding mail in "RSS Feeds" is judged by the folder's name.
   */
  readonly folders?: { readonly [folderId: string]: string };
  /**
   * Folders the rules move or copy to whose name could not be read (the HTTP status, e.g. 403
   * without Mail.ReadBasic.All or 503), by folder ID; a folder that no longer exists (404) is
   * neither here nor in `folders`. A rule moving mail to one of these cannot be judged by name.
   */
  readonly unreadFolders?: { readonly [folderId: string]: number };
}

/**
 * An application permission (app role) a resource service principal exposes.
 * https://learn.microsoft.com/graph/api/resources/approle
 */
export interface AppRole {
  readonly id: string;
  /** The permission's name in tokens, e.g. `Mail.Read` or `full_access_as_app`. */
  readonly value?: string | null;
  readonly displayName?: string | null;
  /** `Application` marks a role apps (not users) can hold: an application permission. */
  readonly allowedMemberTypes: readonly string[];
  readonly isEnabled?: boolean | null;
}

/** The publisher Microsoft verified for an app. https://learn.microsoft.com/graph/api/resources/verifiedpublisher */
export interface VerifiedPublisher {
  readonly displayName?: string | null;
  /** Absent or null: the publisher is not verified. */
  readonly verifiedPublisherId?: string | null;
  readonly addedDateTime?: string | null;
}

/** https://learn.microsoft.com/graph/api/resources/serviceprincipal */
export interface ServicePrincipal {
  readonly id: string;
  readonly appId: string;
  readonly displayName?: string | null;
  /** The tenant the application is registered in; another tenant's ID marks a multi-tenant app. */
  readonly appOwnerOrganizationId?: string | null;
  readonly publisherName?: string | null;
  readonly verifiedPublisher?: VerifiedPublisher | null;
  /** `Application`, `ManagedIdentity`, `Legacy`, … (an evolvable enum). */
  readonly servicePrincipalType?: string | null;
  readonly accountEnabled?: boolean | null;
  /**
   * Returned by Graph but missing from its metadata (msgraph-sdk-java#2246): absent on some
   * objects, so it is read if present and never required.
   */
  readonly createdDateTime?: string | null;
  /** The permissions a resource (Microsoft Graph, Office 365 Exchange Online) exposes; resource service principals only. */
  readonly appRoles?: readonly AppRole[];
}

/**
 * An app role granted to a principal on a resource (an application permission when the
 * principal is a service principal). https://learn.microsoft.com/graph/api/resources/approleassignment
 */
export interface AppRoleAssignment {
  readonly id: string;
  /** `00000000-0000-0000-0000-000000000000`: assigned to the resource without a specific role. */
  readonly appRoleId: string;
  readonly principalId: string;
  /** `User`, `Group` or `ServicePrincipal`. */
  readonly principalType?: string | null;
  readonly principalDisplayName?: string | null;
  /** The resource service principal's object ID. */
  readonly resourceId: string;
  readonly resourceDisplayName?: string | null;
  /** When the permission was granted (consented); older pages call it `creationTimestamp`. */
  readonly createdDateTime?: string | null;
}

/** https://learn.microsoft.com/graph/api/resources/authorizationpolicy (the tenant's one object). */
export interface AuthorizationPolicy {
  readonly id?: string | null;
  readonly defaultUserRolePermissions: {
    /**
     * `ManagePermissionGrantsForSelf.{policyId}` entries are user consent (any casing);
     * `ManagePermissionGrantsForOwnedResource.*` are owner consent. Empty: users cannot consent.
     */
    readonly permissionGrantPoliciesAssigned: readonly string[];
  };
}

/** A delegated permission grant. https://learn.microsoft.com/graph/api/resources/oauth2permissiongrant */
export interface OAuth2PermissionGrant {
  readonly id: string;
  /** The client service principal's object ID (not its appId). */
  readonly clientId: string;
  /** `AllPrincipals` (every user, by an admin) or `Principal` (one user). */
  readonly consentType: string;
  readonly principalId?: string | null;
  /** The resource service principal's object ID. */
  readonly resourceId: string;
  /** Space-separated delegated permission names, e.g. `openid User.Read Mail.Read`. */
  readonly scope?: string | null;
}
