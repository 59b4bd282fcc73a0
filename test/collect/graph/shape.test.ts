import { describe, expect, it } from 'vitest';
import { GraphShapeError } from '../../../src/collect/graph/graph-api.js';
import { ShapeReader } from '../../../src/collect/graph/shape.js';

describe('ShapeReader', () => {
  const r = new ShapeReader('/identity/conditionalAccess/policies');

  it('reads an omitted exclusion list as empty but refuses null, naming endpoint and field', () => {
    expect(r.stringsOrEmpty(undefined, 'value[0].conditions.users.excludeGroups')).toEqual([]);
    expect(() => r.stringsOrEmpty(null, 'value[0].conditions.users.excludeGroups')).toThrow(GraphShapeError);
    try {
      r.strings(null, 'value[2].conditions.clientAppTypes');
    } catch (error: unknown) {
      expect(error).toMatchObject({
        endpoint: '/identity/conditionalAccess/policies',
        field: 'value[2].conditions.clientAppTypes',
      });
    }
  });

  it('keeps unknown enum strings as data and names a wrong type', () => {
    expect(r.string('someFutureState', 'value[0].state')).toBe('someFutureState');
    expect(() => r.strings(['all', 3], 'value[0].conditions.clientAppTypes')).toThrow(/clientAppTypes\[1\]/);
  });
});
