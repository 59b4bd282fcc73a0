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
