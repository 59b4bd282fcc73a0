import { describe, expect, it } from 'vitest';
import { box, cover, intersect, type Space } from '../../../src/checks/conditional-access/ca-space.js';
import { plainBox } from '../../helpers/ca-unit.js';

/*
 * The sign-in space itself: boxes, their intersection, and the cover check's step budget, on
 * small hand-made spaces.
 */

const SPACE: Space = new Map([
  ['p', ['a', 'b', 'c']],
  ['q', ['x', 'y']],
]);

describe('intersect', () => {
  it('keeps the atoms both boxes hold on a shared dimension, and every other dimension of either', () => {
    const both = intersect(
      box([['p', ['a', 'b']]]),
      box([
        ['p', ['b', 'c']],
        ['q', ['x']],
      ]),
    );
    expect(both && plainBox(both)).toEqual({ p: ['b'], q: ['x'] });
  });

  it('is empty when a shared dimension has no atom in common', () => {
    expect(intersect(box([['p', ['a']]]), box([['p', ['b']]]))).toBeUndefined();
  });
});

describe('cover', () => {
  // A function, not a constant: nothing of the module under test may run outside a test.
  const halves = () => [
    { id: 'A', boxes: [box([['p', ['a']]])] },
    { id: 'B', boxes: [box([['p', ['b', 'c']]])] },
  ];

  it('two halves cover the whole, both used', () => {
    expect(cover(box(), halves(), SPACE)).toEqual({ covered: true, gaps: [], used: ['A', 'B'], undecided: false });
  });

  it('a budget too small to decide says so, and is not covered', () => {
    expect(cover(box(), halves(), SPACE, { budget: 1 })).toEqual({
      covered: false,
      gaps: [],
      used: [],
      undecided: true,
    });
  });
});
