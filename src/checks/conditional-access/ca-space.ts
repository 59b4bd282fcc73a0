/*
 * The space of sign-ins a Conditional Access policy can apply to, and the set check: whether the
 * union of some policies' regions covers a requirement's region.
 *
 * Entra ANDs the assignments of one policy and enforces every policy that applies
 * (learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-policies,
 * "All assignments are logically ANDed"; "all policies that apply must be satisfied"). So a
 * sign-in meets a requirement when *some* enforced policy whose grant meets it applies to the
 * sign-in, and a policy's region is a box (one set of values per condition) or a union of boxes
 * (an include list is an OR). A requirement holds tenant-wide when its own box lies inside the
 * union of the counted policies' boxes.
 *
 * Each condition is a dimension with finitely many atoms. Open-ended values (groups, roles, apps,
 * named locations, filter rules) are one yes/no dimension each: membership is unknown, so every
 * combination is possible. That is what lets "A excludes G, B includes G" be proved covered, and
 * keeps "A excludes L1, B excludes L2" uncovered for an address inside both locations.
 */

/** The yes/no atoms of a membership dimension (a group, a role, an app, a location, a filter rule). */
export const IN = 'in';
export const OUT = 'out';
export const MEMBERSHIP: readonly string[] = [IN, OUT];

/** A region of one box: for each constrained dimension, the atoms it holds; a missing dimension holds all. */
export type Box = ReadonlyMap<string, ReadonlySet<string>>;

/** The atoms of every dimension that some box or the target names. */
export type Space = ReadonlyMap<string, readonly string[]>;

export function box(entries: readonly (readonly [string, Iterable<string>])[] = []): Box {
  return new Map(entries.map(([d, atoms]) => [d, new Set(atoms)]));
}

function atomsOf(b: Box, space: Space, dim: string): ReadonlySet<string> {
  return b.get(dim) ?? new Set(space.get(dim) ?? []);
}

/** The intersection of two boxes, or undefined when it is empty on some dimension. */
export function intersect(a: Box, b: Box): Box | undefined {
  const out = new Map(a);
  for (const [dim, atoms] of b) {
    const mine = out.get(dim);
    const both = mine ? new Set([...atoms].filter((x) => mine.has(x))) : new Set(atoms);
    if (both.size === 0) return undefined;
    out.set(dim, both);
  }
  return out;
}

function contains(outer: Box, inner: Box, space: Space): boolean {
  for (const [dim, atoms] of outer) {
    for (const atom of atomsOf(inner, space, dim)) if (!atoms.has(atom)) return false;
  }
  return true;
}

function meets(a: Box, b: Box, space: Space): boolean {
  for (const [dim, atoms] of a) {
    const theirs = atomsOf(b, space, dim);
    if (![...atoms].some((x) => theirs.has(x))) return false;
  }
  return true;
}

/** A policy's region: the union of its boxes (none when the policy applies to no sign-in of the kind). */
export interface Region {
  readonly id: string;
  readonly boxes: readonly Box[];
}

export interface CoverResult {
  /** Every part of the target lies in some region. */
  readonly covered: boolean;
  /** Parts of the target no region holds (at most `maxGaps`). */
  readonly gaps: readonly Box[];
  /** The regions that hold some part of the target, in input order. */
  readonly used: readonly string[];
  /** The step budget ran out before the answer was known: neither covered nor a gap is proved. */
  readonly undecided: boolean;
}

export interface CoverOptions {
  /** Boxes that describe no possible sign-in (a trusted location outside the trusted set): nothing to cover. */
  readonly infeasible?: (b: Box) => boolean;
  readonly maxGaps?: number;
  /** Boxes examined before giving up; a real tenant needs a few hundred. */
  readonly budget?: number;
}

/**
 * Is `target` inside the union of the regions? Splits the target along a dimension on which an
 * intersecting box is partial, until each piece lies inside one box (covered) or meets none (a gap).
 */
export function cover(target: Box, regions: readonly Region[], space: Space, options: CoverOptions = {}): CoverResult {
  const maxGaps = options.maxGaps ?? 5;
  const budget = options.budget ?? 20_000;
  const boxes = regions.flatMap((r) => r.boxes.map((b) => ({ id: r.id, b })));
  const used = new Set<string>();
  const gaps: Box[] = [];
  const stack: Box[] = [target];
  let steps = 0;
  while (stack.length > 0) {
    if (++steps > budget) return { covered: false, gaps, used: order(regions, used), undecided: true };
    const piece = stack.pop() as Box;
    if (options.infeasible?.(piece)) continue;
    const holder = boxes.find((x) => contains(x.b, piece, space));
    if (holder) {
      used.add(holder.id);
      continue;
    }
    const touching = boxes.filter((x) => meets(x.b, piece, space));
    if (touching.length === 0) {
      gaps.push(piece);
      if (gaps.length >= maxGaps) break;
      continue;
    }
    // Split along the first dimension where the closest touching box is partial.
    const closest = touching
      .map((x) => ({
        x,
        partial: [...x.b].filter(([d, atoms]) => ![...atomsOf(piece, space, d)].every((a) => atoms.has(a))),
      }))
      .sort((p, q) => p.partial.length - q.partial.length)[0];
    const [dim, atoms] = closest?.partial[0] ?? [];
    if (dim === undefined || atoms === undefined) continue;
    const mine = atomsOf(piece, space, dim);
    const inside = [...mine].filter((a) => atoms.has(a));
    const outside = [...mine].filter((a) => !atoms.has(a));
    stack.push(new Map(piece).set(dim, new Set(outside)), new Map(piece).set(dim, new Set(inside)));
  }
  return { covered: gaps.length === 0, gaps, used: order(regions, used), undecided: false };
}

/**
 * Widens a gap to a largest uncovered box: each dimension is put back to the target's atoms when
 * the wider box still meets no region. The cover check finds gaps as fragments of its splits; the
 * widened gap says the same thing in fewer words.
 */
export function widenGap(gap: Box, target: Box, regions: readonly Region[], space: Space): Box {
  const boxes = regions.flatMap((r) => r.boxes);
  let current: Box = gap;
  for (const dim of space.keys()) {
    const wider = new Map(current);
    const whole = target.get(dim);
    if (whole) wider.set(dim, whole);
    else wider.delete(dim);
    if (!boxes.some((b) => meets(b, wider, space))) current = wider;
  }
  return current;
}

function order(regions: readonly Region[], used: ReadonlySet<string>): string[] {
  return regions.map((r) => r.id).filter((id) => used.has(id));
}

/** The dimensions on which `piece` is narrower than `whole`, with the atoms it keeps. */
export function narrowerOn(piece: Box, whole: Box, space: Space): [string, ReadonlySet<string>][] {
  const out: [string, ReadonlySet<string>][] = [];
  for (const dim of space.keys()) {
    const mine = atomsOf(piece, space, dim);
    const theirs = atomsOf(whole, space, dim);
    if ([...theirs].some((a) => !mine.has(a))) out.push([dim, mine]);
  }
  return out;
}
