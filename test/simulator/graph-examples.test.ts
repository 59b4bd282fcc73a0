import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/model/json.js';
import type { SourceId } from '../../src/snapshot/source-id.js';
import type { RunningSimulator } from '../../src/simulator/start-simulator.js';
import { graphBatch, graphGet, token } from './sim-client.js';
import { simulate } from './simulated-tenant.js';

/** Microsoft's documented response samples (lifted from the Graph docs; see the folder's README). */
const EXAMPLES = fileURLToPath(new URL('../fixtures/graph-examples', import.meta.url));

/** Each top-level example: the source it feeds and the path that serves it back. */
const COLLECTIONS: Record<
  string,
  { source: SourceId | 'graph.securityDefaults' | 'graph.signIns' | 'graph.messageRules'; path: string }
> = {
  'authenticationstrength-policies-list.json': {
    source: 'graph.authenticationStrengthPolicies',
    path: '/policies/authenticationStrengthPolicies',
  },
  'conditionalaccess-policies-list.json': {
    source: 'graph.conditionalAccessPolicies',
    path: '/identity/conditionalAccess/policies',
  },
  'domains-list.json': { source: 'graph.domains', path: '/domains' },
  'riskdetections-list.json': { source: 'graph.riskDetections', path: '/identityProtection/riskDetections' },
  'riskyusers-list.beta-example.json': { source: 'graph.riskyUsers', path: '/identityProtection/riskyUsers' },
  'roleassignments-list-expand-principal.json': {
    source: 'graph.roleAssignments',
    path: '/roleManagement/directory/roleAssignments?$expand=principal',
  },
  'userregistrationdetails-list.json': {
    source: 'graph.userRegistrationDetails',
    path: '/reports/authenticationMethods/userRegistrationDetails',
  },
  'security-defaults-get.json': {
    source: 'graph.securityDefaults',
    path: '/policies/identitySecurityDefaultsEnforcementPolicy',
  },
  'signins-list.json': { source: 'graph.signIns', path: '/auditLogs/signIns' },
  'messagerules-list.json': {
    source: 'graph.messageRules',
    path: '/users/11111111-1111-1111-1111-111111111111/mailFolders/inbox/messageRules',
  },
};
/** Response-only examples: compared by shape with what the simulator sends. */
const RESPONSES = new Set(['batch-response.json', 'throttled-429-error.json']);
/** The v1.0 riskyUser doc sample uses type names as values ("Boolean", "String"); served as a collection of placeholders. */
const PLACEHOLDERS: Record<string, { source: SourceId; path: string }> = {
  'riskyusers-list.json': { source: 'graph.riskyUsers', path: '/identityProtection/riskyUsers' },
};

const examples = new Map<string, JsonObject>();
let sim: RunningSimulator;
let stop: () => Promise<void>;
let bearer: string;

function strip(value: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(value).filter(([k]) => !k.startsWith('@odata.'))) as JsonObject;
}

beforeAll(async () => {
  for (const name of (await readdir(EXAMPLES)).filter((f) => f.endsWith('.json'))) {
    examples.set(name, JSON.parse(await readFile(path.join(EXAMPLES, name), 'utf8')) as JsonObject);
  }
  const value = (name: string): JsonObject[] => (examples.get(name)?.value as JsonObject[] | undefined) ?? [];
  ({ sim, stop } = await simulate({
    change: (data) => {
      for (const [name, { source }] of Object.entries(COLLECTIONS)) {
        if (source === 'graph.securityDefaults') data.securityDefaults = strip(examples.get(name)!);
        else if (source === 'graph.signIns') data.signInPages = [value(name)];
        else if (source === 'graph.messageRules') {
          data.messageRules = [
            {
              userId: '11111111-1111-1111-1111-111111111111',
              userPrincipalName: 'doc@contoso.com',
              status: 200,
              body: { value: value(name) },
            },
          ];
        } else data.collections[source] = value(name);
      }
    },
    // The DNS and Exchange parts are not under test here, but the rest of the fixture stays.
    realism: { licences: { 'entra-id-p1': true, 'entra-id-p2': true } },
  }));
  bearer = await token(sim);
});
afterAll(async () => stop());

describe("Microsoft's documented Graph examples round-trip through the snapshot folder and the simulator", () => {
  it('covers every top-level example file', () => {
    const covered = new Set([...Object.keys(COLLECTIONS), ...RESPONSES, ...Object.keys(PLACEHOLDERS)]);
    expect([...examples.keys()].filter((name) => !covered.has(name))).toEqual([]);
  });

  it.each(Object.entries(COLLECTIONS))('%s is served back as documented', async (name, { source, path: apiPath }) => {
    const reply = await graphGet(sim, bearer, apiPath);
    expect(reply.status).toBe(200);
    const example = examples.get(name)!;
    if (source === 'graph.securityDefaults') {
      expect(strip(reply.body as JsonObject)).toEqual(strip(example));
      return;
    }
    expect(reply.body.value).toEqual(example.value);
  });

  it.each(Object.entries(PLACEHOLDERS))(
    '%s (placeholder values) is served back as documented',
    async (name, { source, path: apiPath }) => {
      const value = examples.get(name)!.value as JsonObject[];
      const other = await simulate({
        change: (data) => {
          data.collections[source] = value;
        },
      });
      try {
        const reply = await graphGet(other.sim, await token(other.sim), apiPath);
        expect(reply.body.value).toEqual(value);
      } finally {
        await other.stop();
      }
    },
  );

  it('sends 429 bodies with the keys of the documented throttling sample', async () => {
    const { sim: throttled, stop: stopThrottled } = await simulate({
      realism: { throttling: { mode: 'enforce', identityProtection: { limit: 1, windowMs: 60_000 } } },
    });
    try {
      const t = await token(throttled);
      await graphGet(throttled, t, '/identityProtection/riskyUsers');
      const reply = await graphGet(throttled, t, '/identityProtection/riskyUsers');
      expect(reply.status).toBe(429);
      const sample = examples.get('throttled-429-error.json')!.error as JsonObject;
      const error = reply.body.error as JsonObject;
      expect(Object.keys(error).sort()).toEqual(Object.keys(sample).sort());
      // The 2021 sample predates client-request-id; every key it has must be there.
      expect(Object.keys(error.innerError as JsonObject)).toEqual(
        expect.arrayContaining(Object.keys(sample.innerError as JsonObject)),
      );
      expect(error.code).toBe(sample.code);
    } finally {
      await stopThrottled();
    }
  });

  it('sends $batch responses with the keys of the documented batch sample', async () => {
    const reply = await graphBatch(sim, bearer, [{ id: '1', method: 'GET', url: '/domains' }]);
    const sample = (examples.get('batch-response.json')!.responses as JsonObject[])[0]!;
    const item = (reply.body.responses as JsonObject[])[0]!;
    expect(Object.keys(item).sort()).toEqual(Object.keys(sample).sort());
    expect(typeof (item.headers as JsonObject)['content-type']).toBe('string');
  });
});
