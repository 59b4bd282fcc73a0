import type { ConditionalAccessPolicy } from '../../snapshot/graph-types.js';
import {
  type ConditionScope,
  describeSet,
  FIXED_DIMENSIONS,
  isAllowed,
  PLATFORMS,
  policyConditions,
  transferMethods,
} from './ca-conditions.js';
import type { CaDirectory } from './ca-directory.js';
import { sessionNotes } from './ca-grant.js';
import {
  type Box,
  box,
  cover,
  IN,
  intersect,
  MEMBERSHIP,
  narrowerOn,
  OUT,
  type Region,
  type Space,
  widenGap,
} from './ca-space.js';
import { stateProblems } from './conditional-access.js';

/**
 * A tenant-wide requirement on Conditional Access: a slice of the sign-in space (every sign-in
 * from modern clients, legacy clients, high user risk…) that enabled policies whose grant meets
 * the requirement must cover between them.
 */
export interface CaRequirement {
  /** The requirement's own slice: for each fixed dimension it narrows, the atoms in scope. */
  readonly slice: readonly (readonly [string, readonly string[]])[];
  /** Why a policy's grant does not meet the requirement; none when it does. */
  readonly grantProblems: (policy: ConditionalAccessPolicy) => readonly string[];
  /** Policies that attempt the requirement: they explain a failure. */
  readonly isCandidate: (policy: ConditionalAccessPolicy) => boolean;
  /**
   * A policy limited to some authentication flows (`conditions.authenticationFlows`) never counts:
   * it applies only to those flows, so it is not a tenant-wide policy.
   */
  readonly everyFlow: boolean;
}

/** A narrowing the organisation accepts, stated in the control's `allowedNarrowing` parameter. */
export interface AllowedNarrowing {
  readonly condition: 'location' | 'application' | 'platform' | 'guestOrExternalUserType' | 'deviceFilter';
  readonly value: string;
  readonly reason: string;
}

export interface RequirementInput {
  readonly policies: readonly ConditionalAccessPolicy[];
  readonly names: CaDirectory;
  /** Object IDs of users, groups or roles a policy may exclude (break-glass accounts). */
  readonly allowedExclusions: readonly string[];
  readonly allowedNarrowing: readonly AllowedNarrowing[];
  /**
   * Who the requirement is about, when it is one user rather than everyone: for each membership
   * dimension (`user:<id>`, `role:<id>`, `group:<id>`…) the atoms that user has, or undefined when
   * unknown (then every combination is assumed possible).
   */
  readonly subject?: (dim: string) => readonly string[] | undefined;
}

export interface PolicyVerdict {
  readonly id: string;
  readonly displayName: string;
  readonly state: string;
  /** Why the policy alone does not meet the requirement; none when it does. */
  readonly problems: readonly string[];
}

export interface RequirementVerdict {
  /** Every sign-in in the requirement's slice is covered by an enabled policy that meets it. */
  readonly covered: boolean;
  /** The check ran out of steps: neither covered nor a gap is proved (the result must be `error`). */
  readonly undecided: boolean;
  /** `single`: one policy covers everything; `set`: several together; `none`: not covered. */
  readonly coverage: 'single' | 'set' | 'none';
  readonly satisfiedBy: readonly { readonly id: string; readonly displayName: string }[];
  /** Parts of the slice no counted policy covers. */
  readonly gaps: readonly Gap[];
  /** Every policy with its problems (none for one that covers the slice alone). */
  readonly verdicts: readonly PolicyVerdict[];
  /** Session controls of the policies that count, for the evidence. */
  readonly sessionNotes: readonly { readonly id: string; readonly notes: readonly string[] }[];
}

/** The dimension keys the allowed exclusions and narrowing take out of the requirement's slice. */
export function allowedKeys(input: Pick<RequirementInput, 'allowedExclusions' | 'allowedNarrowing'>): Set<string> {
  const keys = new Set<string>();
  for (const raw of input.allowedExclusions) {
    const id = raw.trim().toLowerCase();
    // An ID in allowedExclusions does not say what it names: it may be a user, a group or a role.
    for (const kind of ['user', 'group', 'role']) keys.add(`${kind}:${id}`);
  }
  for (const n of input.allowedNarrowing) {
    const value = n.value.trim();
    switch (n.condition) {
      case 'location':
        keys.add(value.toLowerCase() === 'alltrusted' ? 'trusted' : `location:${value.toLowerCase()}`);
        break;
      case 'application':
        keys.add(`app:${value.toLowerCase()}`);
        break;
      case 'platform':
        keys.add(`platform:${value.toLowerCase()}`);
        break;
      case 'guestOrExternalUserType':
        keys.add(`guest:${value}`);
        break;
      case 'deviceFilter':
        keys.add(`deviceFilter:${value}`);
        break;
    }
  }
  return keys;
}

/** The requirement's slice with the allowed exclusions and narrowing taken out, for its subject. */
function targetBox(
  requirement: CaRequirement,
  allowed: ReadonlySet<string>,
  subject: RequirementInput['subject'],
  dims: Iterable<string>,
): Box {
  const entries: [string, readonly string[]][] = requirement.slice.map(([d, atoms]) => [d, atoms]);
  const platforms = PLATFORMS.filter((p) => !allowed.has(`platform:${p.toLowerCase()}`));
  if (platforms.length < PLATFORMS.length) entries.push(['platform', platforms]);
  for (const key of allowed) if (!key.startsWith('platform:')) entries.push([key, [OUT]]);
  const named = [...dims];
  // An allowed guest type is allowed from any tenant, so also from the tenants a policy enumerates.
  for (const dim of named)
    if (dim.startsWith('guest:') && !allowed.has(dim) && isAllowed(dim, allowed)) entries.push([dim, [OUT]]);
  if (subject) {
    for (const dim of named) {
      const atoms = subject(dim);
      if (atoms) entries.push([dim, atoms]);
    }
  }
  const target = new Map<string, Set<string>>();
  for (const [dim, atoms] of entries) {
    const mine = target.get(dim);
    target.set(dim, new Set(mine ? atoms.filter((a) => mine.has(a)) : atoms));
  }
  return target;
}

function regionOf(conditions: readonly ConditionScope[]): Box[] {
  let boxes: Box[] = [box()];
  for (const c of conditions) {
    const next: Box[] = [];
    for (const a of boxes) {
      for (const b of c.boxes) {
        const both = intersect(a, b);
        if (both) next.push(both);
      }
    }
    boxes = next;
    if (boxes.length === 0) break;
  }
  return boxes;
}

function spaceOf(boxes: readonly Box[]): Space {
  const space = new Map<string, readonly string[]>(FIXED_DIMENSIONS);
  for (const b of boxes) for (const dim of b.keys()) if (!space.has(dim)) space.set(dim, MEMBERSHIP);
  return space;
}

const PLATFORM_WORDS: Readonly<Record<string, string>> = { unrecognised: 'an unrecognised platform' };

function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

function setPhrase(key: string, inside: boolean, names: CaDirectory): string {
  const what = describeSet(key, names);
  const kind = key.includes(':') ? key.slice(0, key.indexOf(':')) : key;
  switch (kind) {
    case 'user':
      return inside ? `for ${what}` : `for users other than ${what}`;
    case 'group':
      return inside ? `for members of ${what}` : `for users outside ${what}`;
    case 'role':
      return inside ? `for holders of ${what}` : `for users without ${what}`;
    case 'guest':
      return inside ? `for ${what}` : `for users who are not ${what}`;
    case 'app':
    case 'appFilter':
      return inside ? `to ${what}` : `to apps other than ${what}`;
    case 'location':
    case 'trusted':
      return inside ? `from ${what}` : `from outside ${what}`;
    default:
      return inside ? `on ${what}` : `on devices not matching ${what.replace(/^devices matching /, '')}`;
  }
}

/** A part of the requirement's slice no counted policy covers: in words, and per condition. */
export interface Gap {
  readonly description: string;
  /** For each condition on which the gap is narrower than the slice: the values it holds (`in`/`out` for a group, role, app or location). */
  readonly where: Readonly<Record<string, readonly string[]>>;
}

/** Atoms in words: the list itself, or "other than …" when what is left out is shorter. */
function atomWords(kept: readonly string[], whole: readonly string[], words: (a: string) => string = (a) => a): string {
  const missing = whole.filter((a) => !kept.includes(a));
  return missing.length < kept.length && missing.length > 0
    ? `other than ${orList(missing.map(words))}`
    : orList(kept.map(words));
}

/** A part of the space in words, naming only the dimensions where it is narrower than the whole. */
export function describeGap(piece: Box, whole: Box, space: Space, names: CaDirectory): Gap {
  const phrases: string[] = [];
  const where: Record<string, string[]> = {};
  for (const [dim, atoms] of narrowerOn(piece, whole, space)) {
    const all = [...(whole.get(dim) ?? space.get(dim) ?? [])];
    const list = all.filter((a) => atoms.has(a));
    where[dim] = list;
    switch (dim) {
      case 'platform': {
        const text = atomWords(list, all, (a) => PLATFORM_WORDS[a] ?? a);
        phrases.push(text.startsWith('other than') ? `on every platform ${text}` : `on platform ${text}`);
        break;
      }
      case 'clientApp':
        phrases.push(`from client app type ${atomWords(list, all)}`);
        break;
      case 'userRisk':
        phrases.push(`at user risk ${atomWords(list, all)}`);
        break;
      case 'signInRisk':
        phrases.push(`at sign-in risk ${atomWords(list, all)}`);
        break;
      case 'insiderRisk':
        phrases.push(`at insider risk ${atomWords(list, all)}`);
        break;
      case 'flow':
        phrases.push(
          list.length === 1 && list[0] === 'ordinary' ? 'in ordinary sign-ins' : `in the ${orList(list)} flow`,
        );
        break;
      default:
        phrases.push(setPhrase(dim, list.length === 1 && list[0] === IN, names));
    }
  }
  return { description: phrases.length === 0 ? 'every sign-in in scope' : `sign-ins ${phrases.join(', ')}`, where };
}

/**
 * A box is impossible when it puts an address inside a named location known to be trusted but
 * outside the trusted locations (AllTrusted holds every trusted location).
 */
function infeasibleWith(names: CaDirectory): (b: Box) => boolean {
  return (b) => {
    const trusted = b.get('trusted');
    if (!trusted || trusted.has(IN)) return false;
    for (const [dim, atoms] of b) {
      if (dim.startsWith('location:') && !atoms.has(OUT) && names.trusted(dim.slice('location:'.length)) === true)
        return true;
    }
    return false;
  };
}

/** Judges a requirement over the tenant's policies: which count, whether they cover the slice, and the gaps. */
export function judgeRequirement(requirement: CaRequirement, input: RequirementInput): RequirementVerdict {
  const allowed = allowedKeys(input);
  const read = input.policies.map((policy) => {
    const conditions = policyConditions(policy, input.names, allowed);
    const flows = transferMethods(policy);
    const blockers = [
      ...stateProblems(policy),
      ...requirement.grantProblems(policy),
      ...(requirement.everyFlow && flows.length > 0
        ? [`applies only to the authentication flows ${flows.join(', ')}, so it never counts as a tenant-wide policy`]
        : []),
    ];
    return { policy, conditions, blockers, boxes: blockers.length === 0 ? regionOf(conditions) : [] };
  });
  const regions: Region[] = read.filter((r) => r.boxes.length > 0).map((r) => ({ id: r.policy.id, boxes: r.boxes }));
  const policyBoxes = read.flatMap((r) => [...r.boxes, ...r.conditions.flatMap((c) => c.boxes)]);
  const dims = new Set(policyBoxes.flatMap((b) => [...b.keys()]));
  const target = targetBox(requirement, allowed, input.subject, dims);
  const space = spaceOf([target, ...policyBoxes]);
  const infeasible = infeasibleWith(input.names);
  const verdicts = read.map(({ policy, conditions, blockers }): PolicyVerdict => {
    const narrowing = conditions
      .filter((c) => !cover(target, [{ id: c.condition, boxes: c.boxes }], space, { infeasible, maxGaps: 1 }).covered)
      .map((c) => c.narrowing ?? `${c.condition} narrows it`);
    return {
      id: policy.id,
      displayName: policy.displayName,
      state: policy.state,
      problems: [...blockers, ...narrowing],
    };
  });
  const result = cover(target, regions, space, { infeasible });
  const byId = new Map(input.policies.map((p) => [p.id, p]));
  const named = (id: string) => ({ id, displayName: byId.get(id)?.displayName ?? id });
  const alone = verdicts.find((v) => v.problems.length === 0);
  const coverage = !result.covered ? 'none' : alone ? 'single' : 'set';
  const counted = coverage === 'single' && alone ? [alone.id] : result.covered ? result.used : [];
  return {
    covered: result.covered && !result.undecided,
    undecided: result.undecided,
    coverage,
    satisfiedBy: counted.map(named),
    gaps: [
      ...new Map(
        result.gaps
          .map((g) => describeGap(widenGap(g, target, regions, space), target, space, input.names))
          .map((g) => [g.description, g] as const),
      ).values(),
    ],
    verdicts,
    sessionNotes: counted
      .map((id) => ({ id, notes: sessionNotes(byId.get(id) as ConditionalAccessPolicy) }))
      .filter((n) => n.notes.length > 0),
  };
}
