import type { ControlDefinition } from './control.js';

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
];
