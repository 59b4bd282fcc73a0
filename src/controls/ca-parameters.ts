import type { ParameterDefinition } from './control.js';

/** Break-glass accounts a Conditional Access policy may exclude; shared by the CA-based controls. */
export const ALLOWED_EXCLUSIONS: ParameterDefinition = {
  schema: {
    type: 'array',
    items: { type: 'string', format: 'uuid' },
    default: [],
    description:
      'Object IDs of the users, groups or roles (break-glass accounts) that the Conditional Access policy may exclude. Any other exclusion makes the policy not count. Keep this list short and review it yearly.',
  },
};

/**
 * Narrowing an organisation accepts on its tenant-wide Conditional Access policies, each with a
 * reason the evidence shows: a named location excluded for a break-glass process, an app excluded
 * from MFA, a platform left out of a block. Anything not listed here leaves a gap.
 */
export const ALLOWED_NARROWING: ParameterDefinition = {
  schema: {
    type: 'array',
    default: [],
    description:
      'Narrowing of the Conditional Access policies that the organisation accepts, each with its reason (shown in the evidence). `condition` is `location` (a named location ID, or `AllTrusted`, that a policy may exclude), `application` (an app ID, `Office365` or `MicrosoftAdminPortals` that a policy may exclude), `platform` (`android`, `iOS`, `windows`, `windowsPhone`, `macOS` or `linux`, left out of the requirement), `guestOrExternalUserType` (e.g. `serviceProvider`, a guest type a policy may exclude) or `deviceFilter` (the exact rule of a device filter in exclude mode). Sign-ins that the narrowing leaves out are not required to be covered.',
    items: {
      type: 'object',
      properties: {
        condition: {
          enum: ['location', 'application', 'platform', 'guestOrExternalUserType', 'deviceFilter'],
          description: 'Which condition the narrowing is on.',
        },
        value: { type: 'string', minLength: 1, description: 'The ID, name or rule the narrowing names.' },
        reason: { type: 'string', minLength: 1, description: 'Why the organisation accepts it, for auditors.' },
      },
      required: ['condition', 'value', 'reason'],
      additionalProperties: false,
    },
  },
};
