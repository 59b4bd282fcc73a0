import type { JsonSchema } from '../../model/json-schema.js';
import {
  arrayOf,
  arrayOrNullOf,
  boolean,
  booleanOrNull,
  integer,
  numberOrNull,
  object,
  objectOrNull,
  string,
  stringOrNull,
  stringOrStrings,
  strings,
  stringsOrNull,
} from './schema-kit.js';

/*
 * One record of each Microsoft Graph v1.0 source, as far as mailwarden reads it: the fields a
 * check, a collector or the simulator uses, with Graph's types (learn.microsoft.com/graph/api/resources/…).
 * Evolvable enums are strings: an unknown member is data, never a shape error.
 */

/** https://learn.microsoft.com/graph/api/resources/user (the `$select`ed fields). */
export const USER_SCHEMA: JsonSchema = object(
  'A user.',
  {
    id: string('Object ID; joins the registration details.'),
    userPrincipalName: string('The sign-in name; the target of user findings.'),
    displayName: stringOrNull('Shown in evidence.'),
    accountEnabled: boolean('Only enabled accounts are counted by mfa.registration; Graph requires it on every user.'),
    userType: stringOrNull('`Member` or `Guest` (null on some old accounts, which are not counted as members).'),
  },
  ['id', 'userPrincipalName', 'accountEnabled'],
);

/** A user as the inbox-rule sweep pages through them (`/users?$select=id,userPrincipalName,userType,mail`). */
export const MAILBOX_OWNER_SCHEMA: JsonSchema = object(
  'A user whose mailbox rules are read.',
  {
    id: string('Object ID; the rules are read at /users/{id}.'),
    userPrincipalName: string('The mailbox; rule targets start with it.'),
    userType: stringOrNull('Guests are skipped (their mailbox is in their home tenant).'),
    mail: stringOrNull('The primary address.'),
  },
  ['id', 'userPrincipalName'],
);

/** https://learn.microsoft.com/graph/api/resources/userregistrationdetails */
export const REGISTRATION_SCHEMA: JsonSchema = object(
  'One user’s authentication-method registration.',
  {
    id: string('The user’s object ID.'),
    userPrincipalName: string('The user’s sign-in name.'),
    userType: stringOrNull('`member` or `guest`.'),
    isAdmin: booleanOrNull('Whether the user holds an admin role.'),
    isMfaRegistered: boolean('Registered a strong method (mfa.registration).'),
    isMfaCapable: boolean('Registered a method the policy allows (mfa.registration with requireCapable).'),
    methodsRegistered: strings('Method names (mfa.admins-phishing-resistant).'),
  },
  ['id', 'userPrincipalName', 'isMfaRegistered', 'isMfaCapable', 'methodsRegistered'],
);

const ids = (description: string) => strings(description);

/** conditionalAccessFilter: a rule in include or exclude mode. */
const caFilter = (description: string): JsonSchema =>
  objectOrNull(description, {
    mode: stringOrNull('`include` or `exclude`; any other mode makes the policy not count.'),
    rule: stringOrNull('The rule, e.g. `device.trustType -eq "ServerAD"`; not evaluated, compared as text.'),
  });

/** conditionalAccessGuestsOrExternalUsers. */
const caGuests = (description: string): JsonSchema =>
  objectOrNull(description, {
    guestOrExternalUserTypes: stringOrStrings(
      'A flags enum sent as one comma-separated string, e.g. `internalGuest,serviceProvider`.',
    ),
    externalTenants: objectOrNull('Which tenants: `membershipKind` `all`, or `enumerated` with `members`.', {
      membershipKind: stringOrNull('`all` or `enumerated`.'),
      members: stringsOrNull('Tenant IDs when enumerated.'),
    }),
  });

const enabledFlag = booleanOrNull('Whether the session control is on.');

/** https://learn.microsoft.com/graph/api/resources/conditionalaccesspolicy */
export const CA_POLICY_SCHEMA: JsonSchema = object(
  'A Conditional Access policy. Every v1.0 condition is read; a condition not listed here makes the policy not count.',
  {
    id: string('Policy ID.'),
    displayName: string('Shown in messages.'),
    state: string('`enabled`, `disabled` or `enabledForReportingButNotEnforced`.'),
    conditions: object(
      'When the policy applies (all conditions ANDed).',
      {
        clientAppTypes: strings('Client app types; legacy authentication is `exchangeActiveSync` and `other`.'),
        userRiskLevels: strings('User risk levels the policy is limited to.'),
        signInRiskLevels: strings('Sign-in risk levels the policy is limited to.'),
        servicePrincipalRiskLevels: stringsOrNull('Service-principal risk levels (workload identity policies).'),
        insiderRiskLevels: stringOrStrings('Insider risk levels, a flags enum sent as one comma-separated string.'),
        applications: objectOrNull(
          'Target resources.',
          {
            includeApplications: ids('`All`, `Office365`, `MicrosoftAdminPortals`, `None` or app IDs.'),
            excludeApplications: ids('Excluded app IDs.'),
            includeUserActions: stringsOrNull('User actions instead of apps.'),
            includeAuthenticationContextClassReferences: stringsOrNull('Authentication contexts instead of apps.'),
            applicationFilter: caFilter('Apps included or left out by a rule.'),
          },
          ['includeApplications'],
        ),
        users: objectOrNull(
          'Who the policy applies to.',
          {
            includeUsers: ids('`All`, `None`, `GuestsOrExternalUsers` or user IDs.'),
            excludeUsers: ids('Excluded user IDs.'),
            includeGroups: ids('Included group IDs.'),
            excludeGroups: ids('Excluded group IDs.'),
            includeRoles: ids('Included role template IDs.'),
            excludeRoles: ids('Excluded role template IDs.'),
            includeGuestsOrExternalUsers: caGuests('Guest and external-user types included.'),
            excludeGuestsOrExternalUsers: caGuests('Guest and external-user types excluded.'),
          },
          ['includeUsers'],
        ),
        clientApplications: objectOrNull('Workload identities: a policy with them applies to service principals.', {
          includeServicePrincipals: stringsOrNull('Service principal IDs or `ServicePrincipalsInMyTenant`.'),
          excludeServicePrincipals: stringsOrNull('Excluded service principals.'),
          servicePrincipalFilter: caFilter('Service principals by rule.'),
        }),
        platforms: objectOrNull(
          'Device platforms: `all`, `android`, `iOS`, `windows`, `windowsPhone`, `macOS`, `linux`.',
          {
            includePlatforms: stringsOrNull('Included platforms.'),
            excludePlatforms: stringsOrNull('Excluded platforms.'),
          },
        ),
        locations: objectOrNull('Network locations: `All`, `AllTrusted` or named location IDs.', {
          includeLocations: stringsOrNull('Included locations.'),
          excludeLocations: stringsOrNull('Excluded locations.'),
        }),
        devices: objectOrNull('Devices.', { deviceFilter: caFilter('Devices included or left out by a rule.') }),
        authenticationFlows: objectOrNull('Authentication flows the policy is limited to.', {
          transferMethods: stringOrStrings(
            '`deviceCodeFlow`, `authenticationTransfer`, as one comma-separated string.',
          ),
        }),
      },
      ['clientAppTypes'],
    ),
    grantControls: objectOrNull('What the policy requires or blocks.', {
      operator: stringOrNull('`AND` or `OR`.'),
      builtInControls: strings('`block`, `mfa`, `compliantDevice`, …'),
      authenticationStrength: objectOrNull(
        'A required authentication strength.',
        {
          id: string('The strength’s ID.'),
          displayName: stringOrNull('Its name.'),
          requirementsSatisfied: stringOrNull('`mfa` or `none`.'),
          allowedCombinations: stringsOrNull('The method combinations it allows.'),
        },
        ['id'],
      ),
      termsOfUse: stringsOrNull('Terms-of-use agreement IDs (not MFA).'),
      customAuthenticationFactors: stringsOrNull('Custom control IDs (not counted as MFA).'),
    }),
    sessionControls: objectOrNull('Session controls, listed in the evidence; none changes coverage.', {
      disableResilienceDefaults: booleanOrNull('Resilience defaults turned off.'),
      persistentBrowser: objectOrNull('Persistent browser session.', {
        isEnabled: enabledFlag,
        mode: stringOrNull('`always` or `never`.'),
      }),
      signInFrequency: objectOrNull('Sign-in frequency.', {
        isEnabled: enabledFlag,
        value: numberOrNull('How many hours or days.'),
        type: stringOrNull('`hours` or `days`.'),
        frequencyInterval: stringOrNull('`timeBased` or `everyTime`.'),
        authenticationType: stringOrNull('`primaryAndSecondaryAuthentication` or `secondaryAuthentication`.'),
      }),
      cloudAppSecurity: objectOrNull('Defender for Cloud Apps session control.', {
        isEnabled: enabledFlag,
        cloudAppSecurityType: stringOrNull('`mcasConfigured`, `monitorOnly` or `blockDownloads`.'),
      }),
      applicationEnforcedRestrictions: objectOrNull('App-enforced restrictions.', { isEnabled: enabledFlag }),
    }),
  },
  ['id', 'displayName', 'state', 'conditions'],
);

/** https://learn.microsoft.com/graph/api/resources/group (only what evidence shows). */
export const GROUP_SCHEMA: JsonSchema = object(
  'A group a Conditional Access policy names.',
  { id: string('Object ID.'), displayName: stringOrNull('Shown in evidence.') },
  ['id'],
);

/** https://learn.microsoft.com/graph/api/resources/unifiedroledefinition */
export const ROLE_DEFINITION_SCHEMA: JsonSchema = object(
  'A directory role.',
  {
    id: string('Its ID (for built-in roles the template ID).'),
    displayName: stringOrNull('Shown in evidence.'),
    templateId: stringOrNull('Conditional Access names roles by template ID.'),
    isBuiltIn: booleanOrNull('Built-in or custom.'),
  },
  ['id'],
);

/** https://learn.microsoft.com/graph/api/resources/namedlocation (ipNamedLocation, countryNamedLocation). */
export const NAMED_LOCATION_SCHEMA: JsonSchema = object(
  'A named location.',
  {
    '@odata.type': stringOrNull('`#microsoft.graph.ipNamedLocation` or `#microsoft.graph.countryNamedLocation`.'),
    id: string('Its ID, as Conditional Access names it.'),
    displayName: stringOrNull('Shown in evidence.'),
    isTrusted: booleanOrNull('Trusted IP locations are what `AllTrusted` covers.'),
    ipRanges: arrayOrNullOf(
      'IP ranges of an IP location.',
      object('One range.', { cidrAddress: stringOrNull('The CIDR block.') }),
    ),
    countriesAndRegions: stringsOrNull('ISO 3166 codes of a country location.'),
    includeUnknownCountriesAndRegions: booleanOrNull('Whether unknown countries count.'),
  },
  ['id'],
);

/** https://learn.microsoft.com/graph/api/resources/identitysecuritydefaultsenforcementpolicy */
export const SECURITY_DEFAULTS_SCHEMA: JsonSchema = object(
  'The security defaults policy (one object).',
  {
    id: string('Its ID.'),
    isEnabled: boolean('Security defaults on: MFA and the legacy-authentication block for everyone.'),
  },
  ['isEnabled'],
);

/** https://learn.microsoft.com/graph/api/resources/authenticationstrengthpolicy */
export const STRENGTH_SCHEMA: JsonSchema = object(
  'An authentication strength.',
  {
    id: string('Its ID.'),
    displayName: string('Its name.'),
    policyType: stringOrNull('`builtIn` or `custom`.'),
    requirementsSatisfied: stringOrNull('`mfa` or `none`: whether the strength is multifactor.'),
    allowedCombinations: strings('The method combinations it allows.'),
  },
  ['id', 'displayName', 'allowedCombinations'],
);

const principalProperties: Readonly<Record<string, JsonSchema>> = {
  '@odata.type': string('`#microsoft.graph.user`, `#microsoft.graph.group` or `#microsoft.graph.servicePrincipal`.'),
  id: string('Object ID.'),
  displayName: stringOrNull('Shown in evidence.'),
  userPrincipalName: stringOrNull('A user’s sign-in name.'),
  accountEnabled: booleanOrNull('Disabled holders are not judged.'),
};

/** A transitive member of a group that holds a role (`/groups/{id}/transitiveMembers`). */
export const MEMBER_SCHEMA: JsonSchema = object('A member.', principalProperties, ['@odata.type', 'id']);

/** https://learn.microsoft.com/graph/api/resources/unifiedroleassignment with `$expand=principal`. */
export const ROLE_ASSIGNMENT_SCHEMA: JsonSchema = object(
  'An active directory role assignment.',
  {
    id: string('Assignment ID.'),
    principalId: string('Who holds the role.'),
    roleDefinitionId: string('The role template ID for built-in roles.'),
    directoryScopeId: stringOrNull('`/` for the whole tenant.'),
    principal: objectOrNull(
      'The holder, expanded.',
      {
        ...principalProperties,
        members: arrayOrNullOf(
          'A group holder’s transitive members (mailwarden’s addition to the shape).',
          MEMBER_SCHEMA,
        ),
      },
      ['@odata.type', 'id'],
    ),
  },
  ['id', 'principalId', 'roleDefinitionId'],
);

/** https://learn.microsoft.com/graph/api/resources/domain */
export const DOMAIN_SCHEMA: JsonSchema = object(
  'A domain of the tenant.',
  {
    id: string('The domain name.'),
    isVerified: booleanOrNull('Unverified domains are not accepted domains.'),
    isDefault: booleanOrNull('The default domain.'),
    isInitial: booleanOrNull('The initial *.onmicrosoft.com domain, whose DNS Microsoft manages.'),
    supportedServices: strings('`Email` marks an email domain audited by the DNS controls.'),
    authenticationType: stringOrNull('`Managed` or `Federated`.'),
  },
  ['id', 'supportedServices'],
);

const locationSchema = (description: string, withCoordinates: boolean): JsonSchema =>
  objectOrNull(description, {
    city: stringOrNull('City, from IP geolocation.'),
    state: stringOrNull('State or region.'),
    countryOrRegion: stringOrNull('ISO 3166-1 alpha-2 country (sign-ins.countries).'),
    ...(withCoordinates
      ? {
          geoCoordinates: objectOrNull('Coordinates (sign-ins.impossible-travel).', {
            latitude: numberOrNull('Degrees north.'),
            longitude: numberOrNull('Degrees east.'),
            altitude: numberOrNull('Metres.'),
          }),
        }
      : {}),
  });

/** https://learn.microsoft.com/graph/api/resources/signin (the `$select`ed fields). */
export const SIGN_IN_SCHEMA: JsonSchema = object(
  'One sign-in event.',
  {
    id: string('Event ID; an event read twice is counted once.'),
    createdDateTime: string(
      'When (ISO 8601). A value that is not an ISO 8601 date-time is counted and reported in the evidence (`skipped.badTime`), never guessed.',
    ),
    userId: stringOrNull('The user’s object ID (the user key when there is no UPN).'),
    userPrincipalName: stringOrNull('The user’s sign-in name.'),
    userDisplayName: stringOrNull('Shown in evidence.'),
    appDisplayName: stringOrNull('The application signed in to.'),
    clientAppUsed: stringOrNull('The client protocol; legacy protocols (legacy-auth.sign-ins).'),
    ipAddress: stringOrNull('The client address.'),
    isInteractive: booleanOrNull('Interactive sign-in.'),
    riskLevelDuringSignIn: stringOrNull('Risk level (P2).'),
    conditionalAccessStatus: stringOrNull('`success`, `failure` or `notApplied`.'),
    status: object(
      'The outcome.',
      {
        errorCode: integer('0 is success; 50126 a wrong password; 500121 a denied MFA prompt.'),
        failureReason: stringOrNull('Why it failed.'),
        additionalDetails: stringOrNull('More detail.'),
      },
      ['errorCode'],
    ),
    location: locationSchema('Where, from IP geolocation.', true),
  },
  ['id', 'createdDateTime', 'status'],
);

/** https://learn.microsoft.com/graph/api/resources/riskyuser */
export const RISKY_USER_SCHEMA: JsonSchema = object(
  'A user Identity Protection holds at risk.',
  {
    id: string('The user’s object ID.'),
    userPrincipalName: stringOrNull('The user’s sign-in name.'),
    userDisplayName: stringOrNull('Shown in evidence.'),
    riskLevel: stringOrNull('`low`, `medium`, `high`, `hidden` or `none`.'),
    riskState: stringOrNull('`atRisk`, `confirmedCompromised`, `remediated`, `dismissed`, …'),
    riskDetail: stringOrNull('Why the state changed.'),
    riskLastUpdatedDateTime: stringOrNull('When (ISO 8601).'),
  },
  ['id'],
);

/** https://learn.microsoft.com/graph/api/resources/riskdetection */
export const RISK_DETECTION_SCHEMA: JsonSchema = object(
  'One risk detection.',
  {
    id: string('Detection ID.'),
    userId: stringOrNull('The user’s object ID.'),
    userPrincipalName: stringOrNull('The user’s sign-in name.'),
    riskEventType: stringOrNull('What was detected.'),
    riskLevel: stringOrNull('`low`, `medium`, `high` or `hidden`.'),
    riskState: stringOrNull('The detection’s state.'),
    detectedDateTime: stringOrNull('When (ISO 8601).'),
    ipAddress: stringOrNull('The address involved.'),
    location: locationSchema('Where.', false),
  },
  ['id'],
);

const recipient = object(
  'A recipient.',
  {
    emailAddress: object(
      'The address.',
      { address: string('The SMTP address.'), name: stringOrNull('The display name.') },
      ['address'],
    ),
  },
  ['emailAddress'],
);
const recipients = (description: string) => arrayOrNullOf(description, recipient);
const texts = (description: string): JsonSchema => ({
  type: ['array', 'null'],
  items: { type: 'string' },
  description,
});

/**
 * One inbox rule (https://learn.microsoft.com/graph/api/resources/messagerule), checked on its
 * own by the rule parser: a rule of the wrong shape is an `error` for that rule, the others are
 * still judged.
 */
export const MESSAGE_RULE_SCHEMA: JsonSchema = object(
  'One inbox rule.',
  {
    id: string('Rule ID; with the mailbox, the target of rule findings.'),
    displayName: stringOrNull('The rule’s name (attacker-controlled, shown escaped).'),
    sequence: { type: ['integer', 'null'], description: 'Order of evaluation.' },
    isEnabled: booleanOrNull('A disabled rule is counted, not judged.'),
    hasError: booleanOrNull('Outlook marked the rule as in error.'),
    conditions: objectOrNull('When the rule fires.', {
      subjectContains: texts('Subject words.'),
      bodyContains: texts('Body words.'),
      bodyOrSubjectContains: texts('Subject or body words.'),
      senderContains: texts('Sender words.'),
      headerContains: texts('Header words.'),
      recipientContains: texts('Recipient words.'),
      fromAddresses: recipients('Senders.'),
      sentToAddresses: recipients('Recipients.'),
    }),
    actions: object('What the rule does. An action mailwarden does not know makes the rule an `error`.', {
      forwardTo: recipients('Forward to.'),
      forwardAsAttachmentTo: recipients('Forward as an attachment to.'),
      redirectTo: {
        type: ['array', 'object', 'null'],
        description: 'Redirect to (a list; older API versions sent one recipient).',
        items: recipient,
        properties: recipient.properties as JsonSchema,
        required: ['emailAddress'],
      },
      delete: booleanOrNull('Move to Deleted Items.'),
      permanentDelete: booleanOrNull('Delete for good.'),
      markAsRead: booleanOrNull('Mark as read.'),
      stopProcessingRules: booleanOrNull('Stop further rules.'),
      moveToFolder: stringOrNull('Folder ID moved to.'),
      copyToFolder: stringOrNull('Folder ID copied to.'),
      assignCategories: texts('Categories.'),
      markImportance: stringOrNull('Importance set.'),
    }),
  },
  ['id', 'actions'],
);

/** One line of `graph/messageRules.jsonl`: a mailbox's `$batch` answer. */
export const MAILBOX_RULES_SCHEMA: JsonSchema = object(
  'One mailbox’s inbox rules, as the `$batch` item answered.',
  {
    userId: string('The user’s object ID.'),
    userPrincipalName: string('The mailbox; rule targets start with it.'),
    status: integer('HTTP status of the batch item; 404 marks a user without a mailbox.'),
    body: object('The item’s body.', {
      value: arrayOf('The rules (each checked on its own, see the rule fields below).', { type: 'object' }),
      error: object(
        'Graph’s error.',
        { code: string('e.g. `MailboxNotEnabledForRESTAPI`.'), message: string('Text.') },
        ['code'],
      ),
    }),
    folders: {
      type: 'object',
      description: 'Display names of the folders rules move or copy to, by folder ID (mailwarden’s addition).',
      additionalProperties: { type: 'string' },
    },
    unreadFolders: {
      type: 'object',
      description:
        'Folders rules move or copy to whose name could not be read, by folder ID: the HTTP status (403 without Mail.ReadBasic.All, 5xx), mailwarden’s addition. A rule moving mail to one is an `error` for forwarding.concealment-rules.',
      additionalProperties: { type: 'integer' },
    },
  },
  ['userId', 'userPrincipalName', 'status', 'body'],
);

/** `graph.mailFolders` has no records of its own: its folder names are in each messageRules line. */
export const MAIL_FOLDERS_SCHEMA: JsonSchema = {
  type: 'null',
  description:
    'No file of its own: whether the app may read folder names (Mail.ReadBasic.All) is its status; the names are `folders` (and `unreadFolders`) of each messageRules line.',
};
