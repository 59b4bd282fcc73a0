import { ALLOWED_EXCLUSIONS, ALLOWED_NARROWING } from './ca-parameters.js';
import type { ControlDefinition } from './control.js';
import { HIGHLY_PRIVILEGED_ROLES } from './privileged-roles.js';

/** MFA coverage controls (Microsoft Graph). */
export const mfaControls: readonly ControlDefinition[] = [
  {
    id: 'mfa.registration',
    version: 1,
    area: 'mfa',
    title: 'MFA registration coverage',
    statement:
      'Every enabled member user SHALL be registered for multifactor authentication, except accounts listed as policy exceptions.',
    rationale:
      'A password alone is how mailboxes are taken over: in the 2018 Dallas breach attackers read mail for a month with stolen passwords. A user who has not registered an MFA method cannot be challenged for one, whatever Conditional Access requires, and is the first account an attacker will use.',
    defaultSeverity: 'high',
    sources: ['graph.users', 'graph.userRegistrationDetails'],
    targets: { kind: 'tenant', sources: [] },
    dashboardTrend: 'coveragePercent',
    parameters: {
      minPercent: {
        schema: {
          type: 'number',
          minimum: 0,
          maximum: 100,
          default: 100,
          description:
            'Lowest share of enabled member users, in percent, that must be registered for the control to pass. 100 means every user.',
        },
      },
      requireCapable: {
        schema: {
          type: 'boolean',
          default: false,
          description:
            'Count a user as covered only when `isMfaCapable` is true (a registered method that the authentication methods policy also allows), instead of `isMfaRegistered`.',
        },
      },
    },
    references: {
      scuba: ['MS.AAD.3.1v1'],
      cis: ['5.2.3.4'],
      hipaa: ['164.312(d)'],
      nist: ['IA-2(1)', 'IA-2(2)'],
    },
    remediation:
      'Ask each listed user to register at https://aka.ms/mysecurityinfo, or run a registration campaign: Entra admin centre > Protection > Authentication methods > Registration campaign. Enforce registration with a Conditional Access policy that requires MFA for all users.',
    limitations:
      'The registration report is cached by Microsoft and may lag by several hours. It needs Microsoft Entra ID P1. Guests and disabled accounts are not counted.',
    enabledByDefault: true,
  },
  {
    id: 'mfa.enforcement',
    version: 2,
    area: 'mfa',
    title: 'MFA enforced for all users',
    statement:
      'Enabled Conditional Access policies, alone or together, SHALL require multifactor authentication (or an authentication strength that requires it, or block access) for every sign-in of All users to All cloud apps from browsers and modern clients, with no condition narrowing them beyond the exclusions and narrowing listed in the control, unless security defaults are on.',
    rationale:
      'Registration alone does not stop a stolen password: only a policy that requires MFA at sign-in does. A report-only policy, an excluded group, a grant that accepts a compliant device instead of MFA, or a condition that limits the policy to some platforms, locations, devices, risk levels or authentication flows leaves a path in with a password alone. Entra applies every enforced policy whose conditions all match, so two policies can cover between them what neither covers alone; the check proves that the enforced policies together leave no such path, and names the part they leave open.',
    defaultSeverity: 'critical',
    sources: ['graph.securityDefaults', 'graph.conditionalAccessPolicies'],
    targets: { kind: 'tenant', sources: [] },
    optionalSources: [
      'graph.authenticationStrengthPolicies',
      'graph.groups',
      'graph.roleDefinitions',
      'graph.namedLocations',
    ],
    parameters: { allowedExclusions: ALLOWED_EXCLUSIONS, allowedNarrowing: ALLOWED_NARROWING },
    references: {
      scuba: ['MS.AAD.3.2v2'],
      cis: ['5.2.2.2'],
      hipaa: ['164.312(d)'],
      nist: ['IA-2(1)', 'IA-2(2)'],
    },
    remediation:
      'Entra admin centre > Protection > Conditional Access > Create new policy from template "Require multifactor authentication for all users": Users = All users (exclude only break-glass accounts), Target resources = All cloud apps, Grant = Require multifactor authentication (or an authentication strength), then set it to On, not Report-only. List the excluded break-glass object IDs in this control\'s allowedExclusions.',
    limitations:
      'Judges policy configuration, not each sign-in. Every v1.0 condition is read (users, guests, applications, user actions, authentication context, client apps, platforms, locations, device filters, authentication flows, user, sign-in, insider and service-principal risk, workload identities); a condition Graph adds later makes the policy not count. Group membership, filter rules and overlapping named locations are not resolved, so every combination is assumed possible: two policies are proved to cover together only when they do for any membership. easSupported client apps and custom controls are not counted. Session controls do not change coverage (a block is final) and are listed in the evidence. Groups, roles and named locations are named from their own sources (graph.groups, graph.roleDefinitions, graph.namedLocations); when one cannot be read the verdict still stands, the IDs are shown and the evidence says why the names are missing, and without the named locations an AllTrusted condition is read as covering no named location. Needs Microsoft Entra ID P1 for Conditional Access.',
    enabledByDefault: true,
  },
  {
    id: 'mfa.admins-phishing-resistant',
    version: 1,
    area: 'mfa',
    title: 'Phishing-resistant MFA for privileged roles',
    statement:
      'Every holder of a highly privileged role, directly or through a group, SHALL be covered by an enabled Conditional Access policy that requires the phishing-resistant authentication strength, and SHALL have a phishing-resistant method registered.',
    rationale:
      'Administrators are phished with real-time proxy kits that relay one-time codes and push approvals. Only FIDO2 keys, passkeys, Windows Hello for Business and certificate-based authentication bind the sign-in to the real site.',
    defaultSeverity: 'critical',
    sources: [
      'graph.roleAssignments',
      'graph.conditionalAccessPolicies',
      'graph.authenticationStrengthPolicies',
      'graph.userRegistrationDetails',
    ],
    targets: { kind: 'tenant', sources: ['graph.roleAssignments'] },
    parameters: {
      privilegedRoles: {
        schema: {
          type: 'array',
          items: { type: 'string', format: 'uuid' },
          default: Object.keys(HIGHLY_PRIVILEGED_ROLES),
          description: `Role template IDs treated as highly privileged. Default: ${Object.values(HIGHLY_PRIVILEGED_ROLES).join(', ')}.`,
        },
      },
      allowedExclusions: ALLOWED_EXCLUSIONS,
    },
    references: {
      scuba: ['MS.AAD.3.6v1'],
      cis: ['5.2.2.5', '5.2.2.1'],
      hipaa: ['164.312(d)', '164.308(a)(4)(ii)(C)'],
      nist: ['IA-2(1)', 'IA-2(8)'],
    },
    remediation:
      'Issue FIDO2 keys or passkeys to every administrator and have them register at https://aka.ms/mysecurityinfo. Then create a Conditional Access policy: Users = Directory roles (the privileged roles), Target resources = All cloud apps, Grant = Require authentication strength "Phishing-resistant MFA", state On.',
    limitations:
      'PIM-eligible (not active) assignments are not read. Service principals holding roles are out of scope. A user covered only through a nested group inclusion that is not the role-assignable group itself is not recognised.',
    enabledByDefault: true,
  },
];
