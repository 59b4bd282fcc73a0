import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/simulator/start-simulator.js';
import { GLOBAL_ADMIN, user } from './fixture-tenant.js';
import { graphBatch, graphGet, token } from './sim-client.js';
import { simulate } from './simulated-tenant.js';

let sim: RunningSimulator;
let stop: () => Promise<void>;
let bearer: string;

beforeAll(async () => {
  ({ sim, stop } = await simulate());
  bearer = await token(sim);
});
afterAll(async () => stop());

type Page = { value: Record<string, unknown>[]; '@odata.nextLink'?: string };

async function allPages(first: string): Promise<{ items: Record<string, unknown>[]; links: string[] }> {
  const items: Record<string, unknown>[] = [];
  const links: string[] = [];
  let next: string | undefined = first;
  while (next !== undefined) {
    const reply = await graphGet(sim, bearer, next);
    expect(reply.status).toBe(200);
    const page = reply.body as unknown as Page;
    items.push(...page.value);
    next = page['@odata.nextLink'];
    if (next !== undefined) links.push(next);
  }
  return { items, links };
}

describe('simulated Graph v1.0', () => {
  it('pages /users with $top and absolute @odata.nextLink URLs that keep the query', async () => {
    const { items, links } = await allPages('/users?$top=2&$select=id,userPrincipalName,department');
    expect(items.map((u) => u.userPrincipalName)).toEqual([1, 2, 3, 4, 5].map((n) => `user${n}@alpha.example`));
    expect(links).toHaveLength(2);
    for (const link of links) {
      expect(link.startsWith(`${sim.graphUrl}/users?`)).toBe(true);
      expect(new URL(link).searchParams.get('$top')).toBe('2');
    }
    // $select returns the listed properties only, a missing one as null.
    expect(Object.keys(items[0]!).sort()).toEqual(['department', 'id', 'userPrincipalName']);
    expect(items[0]!.department).toBeNull();
  });

  it('filters with the supported subset and refuses anything else with Graph error bodies', async () => {
    const ok = await graphGet(sim, bearer, "/identity/conditionalAccess/policies?$filter=state eq 'enabled'");
    expect((ok.body as unknown as Page).value.map((p) => p.id)).toEqual(['ca-1']);

    const badProperty = await graphGet(sim, bearer, "/users?$filter=startswith(displayName,'A')");
    expect(badProperty.status).toBe(400);
    expect((badProperty.body.error as { code: string }).code).toBe('Request_UnsupportedQuery');
    expect((badProperty.body.error as { innerError: Record<string, string> }).innerError['request-id']).toMatch(
      /^[0-9a-f-]{36}$/,
    );

    const badOperator = await graphGet(
      sim,
      bearer,
      '/auditLogs/signIns?$filter=createdDateTime ne 2026-11-27T00:00:00Z',
    );
    expect(badOperator.status).toBe(400);
    expect((badOperator.body.error as { code: string }).code).toBe('BadRequest');

    const tooBig = await graphGet(sim, bearer, '/auditLogs/signIns?$top=1001');
    expect(tooBig.status).toBe(400);
  });

  it('serves sign-ins newest first within a createdDateTime window, across JSON Lines pages', async () => {
    const { items } = await allPages(
      '/auditLogs/signIns?$top=2&$filter=createdDateTime ge 2026-11-26T03:00:00Z and createdDateTime le 2026-11-27T04:30:00Z',
    );
    expect(items.map((s) => s.id)).toEqual(['si-2', 'si-3', 'si-4']);
    const legacy = await graphGet(
      sim,
      bearer,
      "/auditLogs/signIns?$filter=clientAppUsed eq 'IMAP4'&$select=id,clientAppUsed",
    );
    expect((legacy.body as unknown as Page).value).toEqual([{ id: 'si-5', clientAppUsed: 'IMAP4' }]);
  });

  it('expands role assignment principals and serves transitive members of role-holding groups', async () => {
    const plain = await graphGet(
      sim,
      bearer,
      `/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '${GLOBAL_ADMIN}'`,
    );
    expect((plain.body as unknown as Page).value.every((a) => a.principal === undefined)).toBe(true);
    const expanded = await graphGet(
      sim,
      bearer,
      `/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '${GLOBAL_ADMIN}'&$expand=principal`,
    );
    const principals = (expanded.body as unknown as Page).value.map((a) => a.principal as Record<string, unknown>);
    expect(principals.map((p) => p['@odata.type'])).toEqual(['#microsoft.graph.user', '#microsoft.graph.group']);
    expect(principals[1]!.members).toBeUndefined();
    const members = await graphGet(sim, bearer, '/groups/group-1/transitiveMembers');
    expect((members.body as unknown as Page).value.map((m) => m.id)).toEqual([user(2).id]);
    expect((await graphGet(sim, bearer, '/groups/nope/transitiveMembers')).status).toBe(404);
  });

  it('serves inbox rules per mailbox, 404 MailboxNotEnabledForRESTAPI without a mailbox', async () => {
    const rules = await graphGet(sim, bearer, `/users/${String(user(1).id)}/mailFolders/inbox/messageRules`);
    expect((rules.body as unknown as Page).value.map((r) => r.id)).toEqual(['r1', 'r2']);
    const byUpn = await graphGet(sim, bearer, "/users/USER1@alpha.example/mailFolders('inbox')/messageRules");
    expect(byUpn.status).toBe(200);
    const none = await graphGet(sim, bearer, '/users/user5@alpha.example/mailFolders/inbox/messageRules');
    expect([none.status, (none.body.error as { code: string }).code]).toEqual([404, 'MailboxNotEnabledForRESTAPI']);
    const notRecorded = await graphGet(sim, bearer, '/users/user4@alpha.example/mailFolders/inbox/messageRules');
    expect((notRecorded.body.error as { code: string }).code).toBe('MailboxNotEnabledForRESTAPI');
    const nobody = await graphGet(sim, bearer, '/users/nobody@alpha.example/mailFolders/inbox/messageRules');
    expect((nobody.body.error as { code: string }).code).toBe('ErrorInvalidUser');
  });

  it('serves the security defaults singleton and the other collections', async () => {
    const defaults = await graphGet(
      sim,
      bearer,
      '/policies/identitySecurityDefaultsEnforcementPolicy?$select=isEnabled',
    );
    expect(defaults.body.isEnabled).toBe(false);
    for (const path of [
      '/reports/authenticationMethods/userRegistrationDetails',
      '/policies/authenticationStrengthPolicies',
      '/domains',
      '/identityProtection/riskyUsers',
      '/identityProtection/riskDetections',
    ]) {
      const reply = await graphGet(sim, bearer, path);
      expect(reply.status, path).toBe(200);
      expect((reply.body as unknown as Page).value.length, path).toBeGreaterThan(0);
    }
  });

  it('requires a bearer token from the token endpoint, for Graph', async () => {
    const none = await fetch(`${sim.graphUrl}/users`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('InvalidAuthenticationToken');
    const forged = await graphGet(sim, `${bearer.slice(0, -4)}AAAA`, '/users');
    expect(forged.status).toBe(401);
    const exchangeToken = await token(sim, 'https://outlook.office365.com');
    expect((await graphGet(sim, exchangeToken, '/users')).status).toBe(401);
  });

  it("answers an unknown path with Graph's 400 for an unknown segment", async () => {
    const reply = await graphGet(sim, bearer, '/nothingHere');
    expect([reply.status, (reply.body.error as { code: string }).code]).toEqual([400, 'BadRequest']);
  });
});

describe('simulated Graph JSON $batch', () => {
  it('answers each item with its own status, honours dependsOn and fails dependents with 424', async () => {
    const reply = await graphBatch(sim, bearer, [
      { id: '1', method: 'GET', url: `/users/${String(user(1).id)}/mailFolders/inbox/messageRules` },
      { id: '2', method: 'GET', url: '/users/nobody@alpha.example/mailFolders/inbox/messageRules' },
      { id: '3', method: 'GET', url: '/users?$top=1', dependsOn: ['1'] },
      { id: '4', method: 'GET', url: '/domains', dependsOn: ['2'] },
      { id: '5', method: 'POST', url: '/users' },
    ]);
    expect(reply.status).toBe(200);
    const byId = new Map((reply.body.responses as { id: string; status: number; body: Page }[]).map((r) => [r.id, r]));
    expect([1, 2, 3, 4, 5].map((n) => byId.get(String(n))?.status)).toEqual([200, 404, 200, 424, 405]);
    // nextLinks inside batch items are absolute, as Graph returns them.
    expect(byId.get('3')?.body['@odata.nextLink']?.startsWith(sim.graphUrl)).toBe(true);
  });

  it('refuses more than 20 requests, duplicate ids and unknown dependsOn', async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/domains' }));
    expect((await graphBatch(sim, bearer, many)).status).toBe(400);
    expect((await graphBatch(sim, bearer, many.slice(0, 20))).status).toBe(200);
    const duplicate = [
      { id: 'a', method: 'GET', url: '/domains' },
      { id: 'a', method: 'GET', url: '/users' },
    ];
    expect((await graphBatch(sim, bearer, duplicate)).status).toBe(400);
    expect(
      (await graphBatch(sim, bearer, [{ id: 'a', method: 'GET', url: '/domains', dependsOn: ['zz'] }])).status,
    ).toBe(400);
  });
});
