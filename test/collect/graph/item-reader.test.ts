import { describe, expect, it } from 'vitest';
import { GraphShapeError } from '../../../src/collect/graph/graph-api.js';
import { itemReader } from '../../../src/collect/graph/item-reader.js';

describe('reading Graph items against the source schema', () => {
  const read = itemReader('graph.conditionalAccessPolicies', '/identity/conditionalAccess/policies', (o) => o);
  const policy = (conditions: Record<string, unknown>) => ({
    id: 'p',
    displayName: 'P',
    state: 'someFutureState',
    conditions: { clientAppTypes: ['all'], ...conditions },
  });

  it('accepts an omitted exclusion list and an unknown enum value, refuses null, naming endpoint and pointer', () => {
    expect(read(policy({ users: { includeUsers: ['All'] } }), 0)).toMatchObject({ state: 'someFutureState' });
    let thrown: unknown;
    try {
      read(policy({ users: { includeUsers: ['All'], excludeGroups: null } }), 2);
    } catch (error: unknown) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GraphShapeError);
    expect(thrown).toMatchObject({
      endpoint: '/identity/conditionalAccess/policies',
      field: '/value/2/conditions/users/excludeGroups',
      problem: 'is null, expected an array',
    });
  });

  it('names a wrong type inside a list, and never coerces a string to a boolean', () => {
    expect(() => read(policy({ clientAppTypes: ['all', 3] }), 0)).toThrow(
      'unexpected response from /identity/conditionalAccess/policies: /value/0/conditions/clientAppTypes/1 is a number (3), expected a string',
    );
    const users = itemReader('graph.users', '/users', (o) => o);
    expect(() => users({ id: 'u', userPrincipalName: 'a@b.example', accountEnabled: 'true' }, 7)).toThrow(
      '/value/7/accountEnabled is a string ("true"), expected a boolean',
    );
  });
});
