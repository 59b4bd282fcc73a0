import type { ControlDefinition, ParameterDefinition } from './control.js';

/**
 * Apps the organisation has reviewed and accepts, with who approved them and why: the same
 * shape as a policy exception, so an auditor reads each accepted app like an accepted risk.
 */
export const ALLOWED_APPS: ParameterDefinition = {
  schema: {
    type: 'array',
    items: {
      type: 'object',
      properties: {
        appId: {
          type: 'string',
          pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
          description: 'The application (client) ID, as Entra ID shows it on the enterprise application.',
        },
        reason: { type: 'string', minLength: 1, description: 'Why the app needs this access.' },
        approver: { type: 'string', minLength: 1, description: 'Who approved it.' },
      },
      required: ['appId', 'reason', 'approver'],
      additionalProperties: false,
    },
    default: [],
    description:
      "Apps allowed to hold the access this control looks for, each with its application (client) ID, the reason and the approver. mailwarden's own app needs Mail.ReadBasic.All and MailboxSettings.Read: list it here, or scope it with an Exchange application access policy.",
  },
};

const EXCHANGE_LIMITATION =
  'Needs the Exchange admin API (InvokeCommand), which Microsoft does not document as a public API; when the app lacks Exchange.ManageAsApp or an Exchange role that includes the cmdlet, the control is not evaluable, with the setup steps.';

/** Mailbox access: apps that read every mailbox, user consent, and delegates. */
export const mailAccessControls: readonly ControlDefinition[] = [
  {
    id: 'apps.mail-access',
    version: 1,
    area: 'mail-access',
    title: 'Apps that can read or send from every mailbox',
    statement:
      "No service principal SHALL hold an application permission that reads or sends mail in every mailbox (Microsoft Graph Mail.* or MailboxSettings.*, Office 365 Exchange Online full_access_as_app, Mail.*, MailboxSettings.*, IMAP.AccessAsApp or POP.AccessAsApp) unless the policy's allowedApps lists it or an Exchange application access policy restricts every such permission it holds to a group of mailboxes.",
    rationale:
      'An application permission is consented once and then reads every mailbox of the tenant with no user signed in, no MFA and no trace in sign-in logs: attackers who add a secret to such an app, or trick an admin into consenting to theirs, read staff mail for weeks. Microsoft Graph and Exchange Online grant it separately, and Exchange RBAC for Applications does not narrow a grant made in Entra ID.',
    defaultSeverity: 'high',
    sources: ['graph.resourceServicePrincipals', 'graph.appRoleAssignedTo', 'graph.servicePrincipals'],
    optionalSources: ['exo.applicationAccessPolicy', 'exo.managementRoleAssignment', 'exo.servicePrincipal'],
    targets: {
      kind: 'tenant',
      sources: ['graph.appRoleAssignedTo', 'graph.servicePrincipals', 'graph.resourceServicePrincipals'],
    },
    parameters: {
      allowedApps: ALLOWED_APPS,
      recentDays: {
        schema: {
          type: 'integer',
          minimum: 0,
          default: 30,
          description:
            'An app created (or, where Graph does not give its creation time, first granted a mail permission) within this many days is raised to critical, as are apps owned by another tenant or from an unverified publisher.',
        },
      },
    },
    references: { hipaa: ['164.312(a)(1)', '164.308(a)(4)'], nist: ['AC-6'] },
    remediation:
      'Entra admin centre > Enterprise applications > the app > Permissions: review the mail permissions and remove those it does not need (or delete the app). If it needs them, restrict it to the mailboxes it serves: `New-ApplicationAccessPolicy -AppId <appId> -PolicyScopeGroupId <mail-enabled security group> -AccessRight RestrictAccess -Description "<why>"` (Microsoft recommends RBAC for Applications for new setups, but that only narrows access once the Entra ID grant is removed), then add it to allowedApps with the reason and approver. For IMAP.AccessAsApp and POP.AccessAsApp, remove the FullAccess grants of mailboxes it should not read (`Remove-MailboxPermission -Identity <mailbox> -User <service principal> -AccessRights FullAccess`).',
    limitations:
      "Judges application permissions on Microsoft Graph and Office 365 Exchange Online only: Calendars.* and Contacts.*, other resources and delegated permissions are not judged here (delegated grants for all users are apps.user-consent). Exchange Online's role IDs are read from its service principal at run time (Microsoft publishes only full_access_as_app's); a role on Exchange Online that its app roles do not name is an error, not a pass, and so is an assignment list with no application permission on Microsoft Graph (the audit's own app holds some). Application access policies are read when the Exchange admin API is available; without them no app passes on a policy. The mailboxes an IMAP or POP app can reach are listed when mailbox.delegation's FullAccess sweep ran in the same audit.",
    enabledByDefault: true,
  },
  {
    id: 'apps.user-consent',
    version: 1,
    area: 'mail-access',
    title: 'Users cannot consent to apps on their own',
    statement:
      'User consent SHALL be off, or (where the policy allows it) limited to the low-impact permissions of apps from verified publishers (microsoft-user-default-low), and no delegated grant of a mail permission for all users SHALL exist for an app the policy does not allow.',
    rationale:
      'Consent phishing needs no password: a user who clicks "Accept" on a lookalike app gives it a token to their mailbox that survives password resets and MFA. The legacy setting lets any user consent to any permission that does not need an admin. An admin consent for all users to an app with Mail.Read reads every mailbox the moment each user signs in.',
    defaultSeverity: 'high',
    sources: [
      'graph.authorizationPolicy',
      'graph.oauth2PermissionGrants',
      'graph.servicePrincipals',
      'graph.resourceServicePrincipals',
    ],
    targets: { kind: 'tenant', sources: ['graph.oauth2PermissionGrants', 'graph.servicePrincipals'] },
    parameters: {
      allowedApps: ALLOWED_APPS,
      allowMicrosoftManagedPolicy: {
        schema: {
          type: 'boolean',
          default: false,
          description:
            "Whether Microsoft's managed user consent policy (microsoft-user-default-recommended, whose conditions Microsoft changes over time) counts as restricted.",
        },
      },
      allowLowImpactConsent: {
        schema: {
          type: 'boolean',
          default: true,
          description:
            'Whether user consent limited to low-impact permissions of apps from verified publishers (microsoft-user-default-low) passes; false requires user consent to be off, as CIS 5.1.5.1 does.',
        },
      },
    },
    references: {
      scuba: ['MS.AAD.5.2v1'],
      cis: ['5.1.5.1'],
      hipaa: ['164.308(a)(4)'],
      nist: ['AC-6', 'CM-5'],
    },
    remediation:
      'Entra admin centre > Enterprise applications > Consent and permissions > User consent settings: "Do not allow user consent", or "Allow user consent for apps from verified publishers, for selected permissions" with only low-impact permissions classified; turn on the admin consent workflow so users can ask. Review each grant for all users (Enterprise applications > the app > Permissions > Admin consent) and revoke mail permissions it does not need, or add the app to allowedApps with the reason and approver.',
    limitations:
      'A custom consent policy is not read, so it is reported as an error rather than judged. Delegated grants to single users (consentType Principal) are not judged; only grants an admin made for all users are. Mail permissions are Mail.*, MailboxSettings.*, EWS.AccessAsUser.All, IMAP.AccessAsUser.All, POP.AccessAsUser.All and SMTP.Send on Microsoft Graph or Office 365 Exchange Online.',
    enabledByDefault: true,
  },
  {
    id: 'mailbox.delegation',
    version: 1,
    area: 'mail-access',
    title: 'Delegates with full access to, or send-as rights on, user mailboxes',
    statement:
      "No user mailbox SHOULD grant FullAccess or SendAs to anyone but its owner (and NT AUTHORITY\\SELF) and the policy's allowedDelegates; a grant to an account that no longer resolves SHALL be removed.",
    rationale:
      'A FullAccess delegate reads every message without signing in as the owner, so neither the owner nor sign-in monitoring sees it; SendAs lets them write as the owner. Grants outlive the reason they were made: a former assistant, a departed admin (an unresolved SID) or an attacker who added one to keep access after a password reset.',
    defaultSeverity: 'medium',
    sources: ['exo.mailbox', 'exo.mailboxPermission', 'exo.recipientPermission'],
    optionalSources: ['exo.servicePrincipal'],
    targets: { kind: 'tenant', sources: ['exo.mailbox', 'exo.mailboxPermission', 'exo.recipientPermission'] },
    parameters: {
      allowedDelegates: {
        schema: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          uniqueItems: true,
          default: [],
          description:
            'Accounts that may hold FullAccess or SendAs on any user mailbox (an address, or the name Exchange shows for them), compared case-insensitively: a journaling or backup account, an executive assistant.',
        },
      },
    },
    references: { hipaa: ['164.312(a)(1)', '164.308(a)(4)'], nist: ['AC-6', 'AC-2'] },
    remediation:
      'Confirm each grant with the mailbox owner, then remove it: `Remove-MailboxPermission -Identity <mailbox> -User <delegate> -AccessRights FullAccess -InheritanceType All` and `Remove-RecipientPermission -Identity <mailbox> -Trustee <delegate> -AccessRights SendAs`, or Exchange admin centre > Recipients > Mailboxes > the mailbox > Delegation. Remove grants to unresolved SIDs the same way, naming the SID. List lasting delegates in allowedDelegates.',
    limitations: `${EXCHANGE_LIMITATION} Get-MailboxPermission takes one call per mailbox (at the pace of the hidden inbox-rule sweep), so this control is off in the baseline policy. Judges people's grants on user mailboxes, not on shared, room or group mailboxes (people are meant to share those); a FullAccess grant to an app's Exchange service principal (how IMAP.AccessAsApp and POP.AccessAsApp reach a mailbox) is reported on user and shared mailboxes, named with the app, while apps.mail-access judges the app's permissions. Without Get-ServicePrincipal, a shared mailbox's FullAccess grant to a holder that is no mailbox is not evaluable, as it may be an app's. Inherited and Deny entries are not grants. Send on behalf and folder permissions are not read.`,
    enabledByDefault: false,
  },
];
