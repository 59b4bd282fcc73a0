import { describe, expect, it } from 'vitest';
import {
  ALL_PRINCIPALS_GRANTS_PATH,
  appCollectors,
  assignedToPath,
  AUTHORIZATION_POLICY_PATH,
  resourcePath,
  SERVICE_PRINCIPALS_PATH,
} from '../../../src/collect/graph/app-collectors.js';
import { type GraphApi, GraphRequestError } from '../../../src/collect/graph/graph-api.js';
import type { CollectContext } from '../../../src/collect/live/source-collector.js';
import { silentLogger } from '../../../src/logger.js';
import type { Policy } from '../../../src/policy/policy.js';

/** A fake Graph transport (the GraphApi interface) answering from a table of paths. */
function fakeGraph(
  answers: Readonly<Record<string, unknown>>,
  paged: Readonly<Record<string, unknown[][]>> = {},
): GraphApi {
  const fail = (path: string) => new GraphRequestError('not found', 404, 'Request_ResourceNotFound', path);
  return {
    async get(path) {
      const answer = answers[path];
      if (answer instanceof Error) throw answer;
      if (answer === undefined) throw fail(path);
      return answer;
    },
    async *pages(path) {
      const pages = paged[path];
      if (pages === undefined) throw fail(path);
      for (const page of pages) yield page;
    },
    async batch() {
      return [];
    },
  };
}

function context(graph: GraphApi): CollectContext {
  return {
    logger: silentLogger,
    policy: { controls: new Map() } as unknown as Policy,
    clients: { graph },
    sources: new Set(),
    earlier: () => undefined,
    extraDomains: [],
    cloud: 'global',
    now: new Date(),
  };
}

const GRAPH_APP = '00000003-0000-0000-c000-000000000000';
const EXO_APP = '00000002-0000-0ff1-ce00-000000000000';

describe('app collectors', () => {
  it('reads both resources by appId with their app roles, and leaves out one the tenant does not have (404)', async () => {
    const graph = fakeGraph({
      [resourcePath(GRAPH_APP)]: {
        id: 'g',
        appId: GRAPH_APP,
        displayName: 'Microsoft Graph',
        appRoles: [{ id: 'r1', value: 'Mail.Read', allowedMemberTypes: ['Application'], isEnabled: true, origin: 'x' }],
      },
    });
    const collected = await appCollectors['graph.resourceServicePrincipals']?.(context(graph));
    expect(collected?.status).toMatchObject({ status: 'ok', count: 1 });
    expect(collected && 'data' in collected ? collected.data : []).toMatchObject([
      { id: 'g', appRoles: [{ id: 'r1', value: 'Mail.Read', allowedMemberTypes: ['Application'] }] },
    ]);
  });

  it('records a refused read as not_permitted naming Application.Read.All', async () => {
    const graph = fakeGraph({
      [resourcePath(GRAPH_APP)]: new GraphRequestError(
        'denied',
        403,
        'Authorization_RequestDenied',
        '/servicePrincipals',
      ),
    });
    const collected = await appCollectors['graph.resourceServicePrincipals']?.(context(graph));
    expect(collected?.status).toMatchObject({ status: 'not_permitted', permission: 'Application.Read.All' });
  });

  it('reads createdDateTime when Graph gives it, and never fails the read over it', async () => {
    const graph = fakeGraph(
      {},
      {
        [SERVICE_PRINCIPALS_PATH]: [
          [
            {
              id: '1',
              appId: 'a1',
              displayName: 'With',
              createdDateTime: '2026-11-20T10:00:00Z',
              appRoles: [{ id: 'x' }],
            },
            { id: '2', appId: 'a2', displayName: 'Without' },
            { id: '3', appId: 'a3', displayName: 'Odd', createdDateTime: 12345 },
          ],
        ],
      },
    );
    const collected = await appCollectors['graph.servicePrincipals']?.(context(graph));
    expect(collected?.status).toMatchObject({ status: 'ok', count: 3 });
    const data = collected && 'data' in collected ? collected.data : [];
    expect(data.map((sp) => sp.createdDateTime)).toEqual(['2026-11-20T10:00:00Z', null, null]);
    // App roles are kept for the two resources only.
    expect(data.every((sp) => sp.appRoles === undefined)).toBe(true);
  });

  it('fails a service principal without an appId as a shape error naming the field', async () => {
    const graph = fakeGraph({}, { [SERVICE_PRINCIPALS_PATH]: [[{ id: '1' }]] });
    const collected = await appCollectors['graph.servicePrincipals']?.(context(graph));
    expect(collected?.status.status).toBe('failed');
    expect(collected?.status.status === 'failed' ? collected.status.reason : '').toContain('/value/0/appId');
  });

  it('reads the assignments of both resources, and the older creationTimestamp', async () => {
    const graph = fakeGraph(
      {},
      {
        [assignedToPath(GRAPH_APP)]: [
          [{ id: 'a', appRoleId: 'r', principalId: 'p', resourceId: 'g', principalType: 'ServicePrincipal' }],
          [{ id: 'b', appRoleId: 'r', principalId: 'q', resourceId: 'g', creationTimestamp: '2026-01-01T00:00:00Z' }],
        ],
        [assignedToPath(EXO_APP)]: [[{ id: 'c', appRoleId: 's', principalId: 'p', resourceId: 'e' }]],
      },
    );
    const collected = await appCollectors['graph.appRoleAssignedTo']?.(context(graph));
    expect(collected?.status).toMatchObject({ status: 'ok', count: 3 });
    const data = collected && 'data' in collected ? collected.data : [];
    expect(data.map((a) => a.createdDateTime)).toEqual([null, '2026-01-01T00:00:00Z', null]);
  });

  it('reads the consent setting as one object or as a one-item collection, and fails without the list', async () => {
    const policy = { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: ['x.y'] } };
    for (const answer of [policy, { value: [policy] }]) {
      const collected = await appCollectors['graph.authorizationPolicy']?.(
        context(fakeGraph({ [AUTHORIZATION_POLICY_PATH]: answer })),
      );
      expect(collected && 'data' in collected ? collected.data.defaultUserRolePermissions : null).toEqual({
        permissionGrantPoliciesAssigned: ['x.y'],
      });
    }
    const broken = await appCollectors['graph.authorizationPolicy']?.(
      context(fakeGraph({ [AUTHORIZATION_POLICY_PATH]: { defaultUserRolePermissions: {} } })),
    );
    expect(broken?.status.status).toBe('failed');
  });

  it('asks only for the grants made for all users, and a refusal names Directory.Read.All', async () => {
    const ok = await appCollectors['graph.oauth2PermissionGrants']?.(
      context(
        fakeGraph(
          {},
          {
            [ALL_PRINCIPALS_GRANTS_PATH]: [
              [
                {
                  id: 'g',
                  clientId: 'c',
                  consentType: 'AllPrincipals',
                  principalId: null,
                  resourceId: 'r',
                  scope: 'Mail.Read',
                },
              ],
            ],
          },
        ),
      ),
    );
    expect(ok?.status).toMatchObject({ status: 'ok', count: 1 });
    expect(ALL_PRINCIPALS_GRANTS_PATH).toContain("consentType eq 'AllPrincipals'");
    const graph: GraphApi = {
      ...fakeGraph({}),
      pages() {
        throw new GraphRequestError('denied', 403, 'Authorization_RequestDenied', '/oauth2PermissionGrants');
      },
    };
    const refused = await appCollectors['graph.oauth2PermissionGrants']?.(context(graph));
    expect(refused?.status).toMatchObject({ status: 'not_permitted', permission: 'Directory.Read.All' });
  });
});
