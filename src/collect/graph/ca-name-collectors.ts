import type { ConditionalAccessPolicy, GraphGroup, NamedLocation, RoleDefinition } from '../../snapshot/graph-types.js';
import type { SourceCollectors } from '../live/source-collector.js';
import { GraphRequestError, type GraphApi } from './graph-api.js';
import { graphSource, readCollection } from './graph-source.js';
import { itemReader } from './item-reader.js';

/*
 * The names behind the IDs Conditional Access policies use, so evidence can say "Contractors"
 * rather than an object ID: groups (only those the policies name), directory roles and named
 * locations (which also say whether a location is trusted).
 */

export const ROLE_DEFINITIONS_PATH =
  '/roleManagement/directory/roleDefinitions?$select=id,displayName,templateId,isBuiltIn';
/** No $select: `isTrusted`, `ipRanges` and `countriesAndRegions` belong to the derived types. */
export const NAMED_LOCATIONS_PATH = '/identity/conditionalAccess/namedLocations';
export const groupPath = (id: string): string => `/groups/${encodeURIComponent(id)}?$select=id,displayName`;

/** Graph's documented maximum of requests in one JSON batch (learn.microsoft.com/graph/json-batching). */
const BATCH = 20;

/** Every group ID a policy names, in include or exclude lists (lower-case, unique, sorted). */
export function referencedGroupIds(policies: readonly ConditionalAccessPolicy[]): string[] {
  const ids = new Set<string>();
  for (const p of policies) {
    const u = p.conditions.users;
    for (const id of [...(u?.includeGroups ?? []), ...(u?.excludeGroups ?? [])]) ids.add(id.toLowerCase());
  }
  return [...ids].sort();
}

type Item = Readonly<Record<string, unknown>>;
const optional = <T>(value: unknown): T | null => (value as T | null | undefined) ?? null;

function projectGroup(o: Item): GraphGroup {
  return { id: o.id as string, displayName: optional<string>(o.displayName) };
}

/**
 * The groups the policies name, one `GET /groups/{id}` each through `$batch`: a tenant can hold
 * hundreds of thousands of groups, and a policy names a handful. A 404 is a deleted group (kept
 * out; the evidence then says "not found"); any other error fails the source.
 */
async function groups(graph: GraphApi, policies: readonly ConditionalAccessPolicy[]): Promise<GraphGroup[]> {
  const ids = referencedGroupIds(policies);
  const out: GraphGroup[] = [];
  const read = itemReader('graph.groups', '/groups/{id}', projectGroup);
  for (let i = 0; i < ids.length; i += BATCH) {
    const chunk = ids.slice(i, i + BATCH);
    const responses = await graph.batch(chunk.map((id, j) => ({ id: String(j), method: 'GET', url: groupPath(id) })));
    for (const response of responses) {
      const asked = chunk[Number(response.id)] ?? response.id;
      if (response.status === 404) continue;
      if (response.status !== 200) {
        const body = response.body as { error?: { code?: unknown; message?: unknown } } | null;
        const code = typeof body?.error?.code === 'string' ? body.error.code : `HTTP ${response.status}`;
        const message = typeof body?.error?.message === 'string' ? body.error.message : `HTTP ${response.status}`;
        throw new GraphRequestError(message, response.status, code, `/groups/${asked}`);
      }
      out.push(read(response.body, i + Number(response.id)));
    }
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

function projectRole(o: Item): RoleDefinition {
  return {
    id: o.id as string,
    displayName: optional<string>(o.displayName),
    templateId: optional<string>(o.templateId),
    isBuiltIn: optional<boolean>(o.isBuiltIn),
  };
}

function projectLocation(o: Item): NamedLocation {
  const ranges = optional<readonly Item[]>(o.ipRanges);
  return {
    '@odata.type': optional<string>(o['@odata.type']),
    id: o.id as string,
    displayName: optional<string>(o.displayName),
    isTrusted: optional<boolean>(o.isTrusted),
    ipRanges: ranges ? ranges.map((range) => ({ cidrAddress: optional<string>(range.cidrAddress) })) : null,
    countriesAndRegions: optional<readonly string[]>(o.countriesAndRegions),
    includeUnknownCountriesAndRegions: optional<boolean>(o.includeUnknownCountriesAndRegions),
  };
}

const length = (data: readonly unknown[]): number => data.length;

/** The name sources of the Conditional Access controls, keyed by source ID. */
export const caNameCollectors: SourceCollectors = {
  'graph.groups': async (context) => {
    const policies = context.earlier('graph.conditionalAccessPolicies');
    if (!policies) {
      return {
        status: {
          status: 'failed',
          reason: 'the Conditional Access policies were not read, so the groups they name are not known',
        },
      };
    }
    return graphSource('graph.groups', (graph) => groups(graph, policies), length)(context);
  },
  'graph.roleDefinitions': graphSource(
    'graph.roleDefinitions',
    (graph) =>
      readCollection(
        graph,
        ROLE_DEFINITIONS_PATH,
        itemReader('graph.roleDefinitions', '/roleManagement/directory/roleDefinitions', projectRole),
      ),
    length,
  ),
  'graph.namedLocations': graphSource(
    'graph.namedLocations',
    (graph) =>
      readCollection(
        graph,
        NAMED_LOCATIONS_PATH,
        itemReader('graph.namedLocations', NAMED_LOCATIONS_PATH, projectLocation),
      ),
    length,
  ),
};
