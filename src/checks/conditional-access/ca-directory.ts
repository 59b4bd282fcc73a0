import { HIGHLY_PRIVILEGED_ROLES } from '../../controls/privileged-roles.js';
import type { JsonObject } from '../../model/json.js';
import type { GraphGroup, NamedLocation, RoleDefinition } from '../../snapshot/graph-types.js';
import type { Snapshot } from '../../snapshot/snapshot.js';
import type { SourceId } from '../../snapshot/source-id.js';

/**
 * What evidence says about the objects a Conditional Access policy names by ID: groups, roles and
 * named locations by display name, and whether a named location is trusted. Each comes from its
 * own source; a source that was not read leaves the IDs unnamed and says why, and never changes a
 * verdict except through trust, which is then read conservatively.
 */
export interface CaDirectory {
  group(id: string): string;
  role(id: string): string;
  location(id: string): string;
  app(id: string): string;
  user(id: string): string;
  /** `true`/`false` from /namedLocations; `undefined` when the location is unknown or was not read. */
  trusted(locationId: string): boolean | undefined;
  /** Per source: `read`, or why the names are missing. */
  readonly status: JsonObject;
}

const NAME_SOURCES = ['graph.groups', 'graph.roleDefinitions', 'graph.namedLocations'] as const;

function sourceState(snapshot: Snapshot, id: SourceId): string {
  const status = snapshot.status(id);
  if (status === undefined) return 'not collected';
  if (status.status === 'ok') return 'read';
  return `${status.status}: ${status.reason}`;
}

function quoted(name: string | null | undefined, id: string, missing: string): string {
  return typeof name === 'string' && name.trim() !== '' ? `"${name}" (${id})` : `${id} (${missing})`;
}

/** Well-known application names Conditional Access uses instead of IDs. */
const APP_KEYWORDS: Readonly<Record<string, string>> = {
  office365: 'Office 365 (all its apps)',
  microsoftadminportals: 'Microsoft Admin Portals',
};

/** The names and trust the snapshot holds, for the policies' evidence. */
export function caDirectory(snapshot: Snapshot): CaDirectory {
  const state = Object.fromEntries(NAME_SOURCES.map((id) => [id, sourceState(snapshot, id)]));
  const read = (id: SourceId) => state[id] === 'read';
  const groups = new Map<string, GraphGroup>();
  if (read('graph.groups')) for (const g of snapshot.data('graph.groups')) groups.set(g.id.toLowerCase(), g);
  const roles = new Map<string, RoleDefinition>();
  if (read('graph.roleDefinitions')) {
    for (const r of snapshot.data('graph.roleDefinitions')) {
      roles.set(r.id.toLowerCase(), r);
      if (r.templateId) roles.set(r.templateId.toLowerCase(), r);
    }
  }
  const locations = new Map<string, NamedLocation>();
  if (read('graph.namedLocations'))
    for (const l of snapshot.data('graph.namedLocations')) locations.set(l.id.toLowerCase(), l);
  const why = (id: SourceId) => (read(id) ? 'not found in the directory' : `name not read: ${id} ${state[id]}`);
  return {
    group: (id) => `group ${quoted(groups.get(id.toLowerCase())?.displayName, id, why('graph.groups'))}`,
    role: (id) => {
      const known = roles.get(id.toLowerCase())?.displayName ?? HIGHLY_PRIVILEGED_ROLES[id.toLowerCase()];
      return `role ${quoted(known, id, why('graph.roleDefinitions'))}`;
    },
    location: (id) => {
      const l = locations.get(id.toLowerCase());
      const kind = l?.isTrusted === true ? 'trusted named location' : 'named location';
      return `${kind} ${quoted(l?.displayName, id, why('graph.namedLocations'))}`;
    },
    app: (id) => APP_KEYWORDS[id.toLowerCase()] ?? `app ${id}`,
    user: (id) => `user ${id}`,
    trusted: (id) => {
      const l = locations.get(id.toLowerCase());
      if (!l) return undefined;
      return l.isTrusted === true;
    },
    status: {
      groups: state['graph.groups'] ?? '',
      roles: state['graph.roleDefinitions'] ?? '',
      namedLocations: state['graph.namedLocations'] ?? '',
    },
  };
}
