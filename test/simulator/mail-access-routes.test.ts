import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANT_DIR } from '../../src/paths.js';
import { parseRealism } from '../../src/simulator/realism.js';
import { type RunningSimulator, startSimulator } from '../../src/simulator/start-simulator.js';
import { graphGet, invokeCommand, token } from './sim-client.js';

/** The demo tenant, verbatim: its app, consent, mail-flow and permission sources. */
let sim: RunningSimulator;
let graph: string;
let exchange: string;

beforeAll(async () => {
  sim = await startSimulator({ dir: DEMO_TENANT_DIR, realism: { exchangeDefaultResultSize: 5 } });
  graph = await token(sim);
  exchange = await token(sim, 'https://outlook.office365.com');
});
afterAll(async () => sim.close());

const cmdlet = (name: string, parameters: Record<string, unknown> = {}) => ({
  CmdletInput: { CmdletName: name, Parameters: parameters },
});

describe('simulated Graph: service principals, consent and grants', () => {
  it('serves a resource service principal by appId with its app roles, and 404 for one the tenant lacks', async () => {
    const reply = await graphGet(sim, graph, "/servicePrincipals(appId='00000002-0000-0ff1-ce00-000000000000')");
    expect(reply.status).toBe(200);
    expect(reply.body.displayName).toBe('Office 365 Exchange Online');
    expect((reply.body.appRoles as { value: string }[]).map((r) => r.value)).toContain('IMAP.AccessAsApp');
    const missing = await graphGet(sim, graph, "/servicePrincipals(appId='11111111-0000-0000-0000-000000000000')");
    expect(missing.status).toBe(404);
    expect((missing.body.error as { code: string }).code).toBe('Request_ResourceNotFound');
  });

  it("pages one resource's appRoleAssignedTo and only that resource's", async () => {
    const first = await graphGet(
      sim,
      graph,
      "/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')/appRoleAssignedTo?$top=3",
    );
    expect(first.status).toBe(200);
    const value = first.body.value as { resourceId: string }[];
    expect(value).toHaveLength(3);
    expect(new Set(value.map((a) => a.resourceId)).size).toBe(1);
    expect(typeof first.body['@odata.nextLink']).toBe('string');
  });

  it('filters grants by consentType and serves the authorization policy as one object', async () => {
    const grants = await graphGet(sim, graph, "/oauth2PermissionGrants?$filter=consentType eq 'AllPrincipals'");
    expect(grants.status).toBe(200);
    expect((grants.body.value as { consentType: string }[]).every((g) => g.consentType === 'AllPrincipals')).toBe(true);
    const policy = await graphGet(sim, graph, '/policies/authorizationPolicy');
    expect(policy.status).toBe(200);
    expect(policy.body.value).toBeUndefined();
    expect(policy.body.defaultUserRolePermissions).toMatchObject({
      permissionGrantPoliciesAssigned: expect.arrayContaining([
        'ManagePermissionGrantsForSelf.microsoft-user-default-legacy',
      ]),
    });
  });
});

describe('simulated Exchange: the new cmdlets', () => {
  it('answers Get-MailboxPermission per mailbox, without the snapshot mark, and refuses a missing Identity', async () => {
    const mailboxes = await invokeCommand(sim, exchange, cmdlet('Get-Mailbox', { ResultSize: 'Unlimited' }));
    const upn = (mailboxes.body.value as { UserPrincipalName: string }[])[20]?.UserPrincipalName ?? '';
    const rows = await invokeCommand(
      sim,
      exchange,
      cmdlet('Get-MailboxPermission', { Identity: upn, ResultSize: 'Unlimited' }),
    );
    expect(rows.status).toBe(200);
    const value = rows.body.value as Record<string, unknown>[];
    expect(value.length).toBeGreaterThan(0);
    expect(value.every((r) => r.MailboxUserPrincipalName === undefined)).toBe(true);
    expect(value.some((r) => r.User === 'NT AUTHORITY\\SELF')).toBe(true);
    const none = await invokeCommand(sim, exchange, cmdlet('Get-MailboxPermission', {}));
    expect(none.status).toBe(400);
    const unknown = await invokeCommand(
      sim,
      exchange,
      cmdlet('Get-MailboxPermission', { Identity: 'nobody@x.example' }),
    );
    expect(unknown.status).toBe(404);
  });

  it('truncates Get-RecipientPermission without ResultSize Unlimited and says so', async () => {
    const reply = await invokeCommand(sim, exchange, cmdlet('Get-RecipientPermission', { AccessRights: 'SendAs' }));
    expect(reply.body.value).toHaveLength(5);
    expect((reply.body['@adminapi.warnings'] as string[])[0]).toMatch(/ResultSize/);
  });

  it('validates the realism options these faults use', () => {
    expect(
      parseRealism({ missingCmdlets: ['Get-TransportRule'], faults: [{ kind: 'status429' }] }, 'r.json'),
    ).toBeTruthy();
    expect(() => parseRealism({ missingCmdlets: 'Get-TransportRule' }, 'r.json')).toThrow(/missingCmdlets/);
  });
});
