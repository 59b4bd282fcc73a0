import type { ParameterDefinition } from './control.js';

/**
 * A parameter that is a set of non-empty strings (domains, addresses, words, client names): the
 * schema shape several controls share, in the key order the generated policy schema shows.
 */
export function stringSetParameter(description: string, defaults: readonly string[] = []): ParameterDefinition {
  return {
    schema: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      uniqueItems: true,
      default: [...defaults],
      description,
    },
  };
}
