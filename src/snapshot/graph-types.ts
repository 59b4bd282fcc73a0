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

/** https://learn.microsoft.com/graph/api/resources/conditionalaccesspolicy */
export interface ConditionalAccessPolicy {
  readonly id: string;
  readonly displayName: string;
  /** `enabled`, `disabled` or `enabledForReportingButNotEnforced`. */
  readonly state: string;
  readonly conditions: {
    readonly clientAppTypes?: readonly string[] | null;
    readonly userRiskLevels?: readonly string[] | null;
    readonly signInRiskLevels?: readonly string[] | null;
    readonly applications?: {
      readonly includeApplications?: readonly string[] | null;
      readonly excludeApplications?: readonly string[] | null;
      readonly includeUserActions?: readonly string[] | null;
    } | null;
    readonly users?: {
      readonly includeUsers?: readonly string[] | null;
      readonly excludeUsers?: readonly string[] | null;
      readonly includeGroups?: readonly string[] | null;
      readonly excludeGroups?: readonly string[] | null;
      readonly includeRoles?: readonly string[] | null;
      readonly excludeRoles?: readonly string[] | null;
    } | null;
  };
  readonly grantControls?: {
    /** `AND` or `OR`. */
    readonly operator?: string | null;
    readonly builtInControls?: readonly string[] | null;
    readonly authenticationStrength?: { readonly id: string; readonly displayName?: string | null } | null;
  } | null;
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
