import { MEMBER_SCHEMA } from '../../snapshot/schemas/graph-schemas.js';
import { checkOf, recordCheck, type ShapeCheck } from '../../snapshot/shape-check.js';
import type { DirectoryPrincipal } from '../../snapshot/graph-types.js';
import type { SourceId } from '../../snapshot/source-id.js';
import { GraphShapeError } from './graph-api.js';

type Item = Readonly<Record<string, unknown>>;

function reader<T>(check: ShapeCheck, endpoint: string, project: (o: Item) => T): (item: unknown, index: number) => T {
  return (item, index) => {
    const problem = check(item);
    if (problem) throw new GraphShapeError(endpoint, `/value/${index}${problem.pointer}`, problem.message);
    return project(item as Item);
  };
}

/**
 * Reads one item of a Graph collection: checked against its source's schema (the one a replay
 * checks the saved item against), then cut to the fields the checks read. A wrong type is a
 * GraphShapeError naming the endpoint and the JSON pointer, so the source is `failed`; nothing
 * is coerced.
 */
export function itemReader<T>(
  id: SourceId,
  endpoint: string,
  project: (o: Item) => T,
): (item: unknown, index: number) => T {
  return reader(recordCheck(id), endpoint, project);
}

/** Reads a transitive member of a role-holding group. */
export function principalReader(endpoint: string): (item: unknown, index: number) => DirectoryPrincipal {
  return reader(checkOf(MEMBER_SCHEMA), endpoint, (o) => ({
    '@odata.type': o['@odata.type'] as string,
    id: o.id as string,
    displayName: (o.displayName as string | null | undefined) ?? null,
    userPrincipalName: (o.userPrincipalName as string | null | undefined) ?? null,
    accountEnabled: (o.accountEnabled as boolean | null | undefined) ?? null,
  }));
}
