import { describe, expect, it } from 'vitest';
import { caDirectory } from '../../../src/checks/conditional-access/ca-directory.js';
import type { SourceStatus } from '../../../src/snapshot/source-status.js';
import type { Snapshot } from '../../../src/snapshot/snapshot.js';
import { memorySnapshot } from '../../../src/snapshot/snapshot.js';
import type { SourceId } from '../../../src/snapshot/source-id.js';
import {
  BREAK_GLASS_SITE,
  CONTRACTORS_GROUP,
  GA_ROLE,
  goldenTenant,
  HEAD_OFFICE,
  tenantSnapshot,
} from '../../helpers/identity-tenant.js';

/*
 * The names evidence gives to the IDs a policy holds, each from its own source, and the trust of a
 * named location. A source that was not read leaves the ID unnamed and says why.
 */

const NAME_SOURCES = ['graph.groups', 'graph.roleDefinitions', 'graph.namedLocations'] as const;

/** The golden tenant's snapshot with some name sources given another status (or none: not collected). */
function snapshotWith(statuses: Partial<Record<(typeof NAME_SOURCES)[number], SourceStatus | null>>): Snapshot {
  const full = tenantSnapshot(goldenTenant());
  const sources: Partial<Record<SourceId, SourceStatus>> = { ...full.manifest.sources };
  const data: Partial<Record<SourceId, unknown>> = {};
  for (const id of NAME_SOURCES) {
    const status = statuses[id];
    if (status === null) delete sources[id];
    else if (status !== undefined) sources[id] = status;
    else data[id] = full.data(id);
  }
  return memorySnapshot({ ...full.manifest, sources }, data as Parameters<typeof memorySnapshot>[1]);
}

const denied: SourceStatus = { status: 'not_permitted', permission: 'Policy.Read.All', reason: 'denied' };

describe('caDirectory: names from their own sources', () => {
  it('names groups, roles and locations by display name and ID, whatever the case of the ID', () => {
    const names = caDirectory(tenantSnapshot(goldenTenant()));
    expect(names.group(CONTRACTORS_GROUP.toUpperCase())).toBe(
      `group "Contractors" (${CONTRACTORS_GROUP.toUpperCase()})`,
    );
    expect(names.role(GA_ROLE)).toBe(`role "Global Administrator" (${GA_ROLE})`);
    expect(names.location(HEAD_OFFICE)).toBe(`trusted named location "Head office" (${HEAD_OFFICE})`);
    expect(names.location(BREAK_GLASS_SITE)).toBe(`named location "Break-glass site" (${BREAK_GLASS_SITE})`);
    expect(names.user('u-1')).toBe('user u-1');
    expect(names.status).toEqual({ groups: 'read', roles: 'read', namedLocations: 'read' });
  });

  it('an ID the directory does not hold is shown as not found', () => {
    const names = caDirectory(tenantSnapshot(goldenTenant()));
    expect(names.location('gone')).toBe('named location gone (not found in the directory)');
    expect(names.group('gone')).toBe('group gone (not found in the directory)');
  });

  it('well-known application keywords are named, in any case; other apps by ID', () => {
    const names = caDirectory(tenantSnapshot(goldenTenant()));
    expect(names.app('Office365')).toBe('Office 365 (all its apps)');
    expect(names.app('MicrosoftAdminPortals')).toBe('Microsoft Admin Portals');
    expect(names.app('00000002-0000-0ff1-ce00-000000000000')).toBe('app 00000002-0000-0ff1-ce00-000000000000');
  });

  it('a source not collected says so in the words and the status', () => {
    const names = caDirectory(snapshotWith({ 'graph.groups': null }));
    expect(names.group(CONTRACTORS_GROUP)).toBe(
      `group ${CONTRACTORS_GROUP} (name not read: graph.groups not collected)`,
    );
    expect(names.status).toEqual({ groups: 'not collected', roles: 'read', namedLocations: 'read' });
  });

  it('without role definitions, a highly privileged role is still named from the built-in list', () => {
    const names = caDirectory(snapshotWith({ 'graph.roleDefinitions': denied }));
    expect(names.role(GA_ROLE.toUpperCase())).toBe(`role "Global Administrator" (${GA_ROLE.toUpperCase()})`);
    expect(names.role('729827e3-9c14-49f7-bb1b-9608f156bbb8')).toBe(
      'role 729827e3-9c14-49f7-bb1b-9608f156bbb8 (name not read: graph.roleDefinitions not_permitted: denied)',
    );
  });
});

describe('caDirectory: trust of a named location', () => {
  it('true or false from the named locations, in any case; unknown when not there', () => {
    const names = caDirectory(tenantSnapshot(goldenTenant()));
    expect(names.trusted(HEAD_OFFICE.toUpperCase())).toBe(true);
    expect(names.trusted(BREAK_GLASS_SITE)).toBe(false);
    expect(names.trusted('gone')).toBeUndefined();
  });

  it('unknown for every location when the named locations were not read', () => {
    const names = caDirectory(snapshotWith({ 'graph.namedLocations': denied }));
    expect(names.trusted(HEAD_OFFICE)).toBeUndefined();
    expect(names.location(HEAD_OFFICE)).toBe(
      `named location ${HEAD_OFFICE} (name not read: graph.namedLocations not_permitted: denied)`,
    );
  });
});
