import { afterEach, describe, expect, it } from 'vitest';
import { githubIdToken } from '../../src/action/github-id-token.js';
import { auditSettings } from '../../src/cli/audit.js';
import { createLiveClients } from '../../src/collect/live/create-clients.js';
import { liveCollector } from '../../src/collect/live/live-collector.js';
import type { TenantTarget } from '../../src/collect/live/tenant-target.js';
import { simulatorTarget } from '../../src/entry/simulator-clients.js';
import { memoryLogger } from '../../src/logger.js';
import { DEMO_TENANT_DIR } from '../../src/paths.js';
import { EXIT } from '../../src/run/exit-codes.js';
import { type RunOutcome, runAudit } from '../../src/run/run-audit.js';
import { SIMULATOR_CLIENT_ID } from '../../src/simulator/credentials.js';
import { type RunningSimulator, startSimulator } from '../../src/simulator/start-simulator.js';
import { isTenantSource, type SourceId } from '../../src/snapshot/source-id.js';
import { type FakeGitHubOidc, startFakeGitHubOidc } from '../fakes/github-oidc.js';

/*
 * GitHub OIDC end to end, as the Action signs in: the runner's ID-token endpoint (a loopback
 * fake of GitHub's, with its discovery document and JWKS), @actions/core's getIDToken, the
 * @azure/identity ClientAssertionCredential, the simulator's Entra login holding a federated
 * identity credential (it fetches the issuer's keys and compares issuer, subject and audience),
 * then Graph and Exchange with the token it issued.
 */

const NOW = new Date('2026-12-04T09:00:00Z');
const SUBJECT = 'repo:contoso-4711/it-audit-90210:ref:refs/heads/main';
const closers: (() => Promise<void>)[] = [];
const savedEnv = { ...process.env };
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  for (const key of ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN']) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
});

/** The runner's environment with `permissions: id-token: write`. */
function runnerWithIdToken(github: FakeGitHubOidc): void {
  process.env.ACTIONS_ID_TOKEN_REQUEST_URL = github.requestUrl;
  process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = github.requestToken;
}

async function simulatorTrusting(issuer: string, subject: string): Promise<RunningSimulator> {
  const sim = await startSimulator({
    dir: DEMO_TENANT_DIR,
    servedAt: NOW,
    credentials: { clientId: SIMULATOR_CLIENT_ID, federatedIdentity: { issuer, subject } },
  });
  closers.push(() => sim.close());
  return sim;
}

/** An audit of the simulated tenant signing in with GitHub OIDC, as the Action's collector does. */
async function auditWithOidc(sim: RunningSimulator): Promise<{ outcome: RunOutcome; log: string[] }> {
  const target: TenantTarget = { ...simulatorTarget(sim), credentials: { kind: 'github-oidc' } };
  const logger = memoryLogger();
  const created = createLiveClients(target, {
    logger,
    getIdToken: githubIdToken,
    ca: sim.caCertificatePem,
    dnsServers: [{ kind: 'dns', host: sim.dns.host, port: sim.dns.port }],
  });
  closers.push(() => created.close());
  const collector = liveCollector({
    mode: 'tenant',
    tenantId: sim.tenantId,
    clients: created.clients,
    extraDomains: [],
    now: () => NOW,
    authenticate: () => created.authenticate(),
  });
  const settings = auditSettings([
    '--tenant-id',
    sim.tenantId,
    '--client-id',
    SIMULATOR_CLIENT_ID,
    '--fail-on',
    'none',
  ]);
  const outcome = await runAudit(settings, { logger, now: () => NOW, collector });
  return { outcome, log: logger.lines };
}

function tenantStatuses(outcome: RunOutcome): Set<string> {
  return new Set(
    Object.entries(outcome.report.snapshot.sources)
      .filter(([id]) => isTenantSource(id as SourceId))
      .map(([, s]) => s?.status ?? '?'),
  );
}

describe('GitHub OIDC through the simulator', () => {
  it('a federated credential matching issuer, subject and audience: signed in, the tenant audited', async () => {
    const github = await startFakeGitHubOidc({ subject: SUBJECT });
    closers.push(() => github.close());
    runnerWithIdToken(github);
    const sim = await simulatorTrusting(github.issuer, SUBJECT);
    const { outcome, log } = await auditWithOidc(sim);
    expect(outcome.exitCode).toBe(EXIT.done);
    expect(tenantStatuses(outcome)).toEqual(new Set(['ok']));
    expect(outcome.report.results.filter((r) => r.status === 'fail').length).toBeGreaterThan(20);
    // The token was asked for Entra's token-exchange audience, and presented to the simulator.
    expect(github.issued.map((t) => t.audience)).toContain('api://AzureADTokenExchange');
    expect(sim.stats().tokens.issued).toBeGreaterThan(0);
    // The claims are logged once, as azure/login does; the token itself never.
    expect(log.filter((l) => l.startsWith('info: GitHub OIDC token:'))).toEqual([
      `info: GitHub OIDC token: issuer ${github.issuer}, subject ${SUBJECT}, audience api://AzureADTokenExchange`,
    ]);
    for (const { token } of github.issued) expect(log.join('\n')).not.toContain(token);
  });

  it('a credential registered with the old subject form: exit 3, one error quoting the subject presented', async () => {
    const github = await startFakeGitHubOidc({ subject: SUBJECT });
    closers.push(() => github.close());
    runnerWithIdToken(github);
    const sim = await simulatorTrusting(github.issuer, 'repo:contoso/it-audit:ref:refs/heads/main');
    const { outcome, log } = await auditWithOidc(sim);
    expect(outcome.exitCode).toBe(EXIT.nothingAudited);
    expect(tenantStatuses(outcome)).toEqual(new Set(['failed']));
    expect(sim.stats().tokens.issued).toBe(0);
    const errors = log.filter((l) => l.includes('AADSTS70021'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(
      `Entra refused the federated credential (AADSTS70021: No matching federated identity record found for presented assertion.). The GitHub token presented subject "${SUBJECT}", issuer ${github.issuer}, audience api://AzureADTokenExchange.`,
    );
    expect(errors[0]).toContain('`repo:OWNER-OWNERID/REPO-REPOID:ref:refs/heads/main`');
    for (const { token } of github.issued) expect(log.join('\n')).not.toContain(token);
  });

  it('a token from another issuer: refused (AADSTS700211), exit 3', async () => {
    const github = await startFakeGitHubOidc({ subject: SUBJECT });
    closers.push(() => github.close());
    runnerWithIdToken(github);
    const sim = await simulatorTrusting('https://token.actions.githubusercontent.com', SUBJECT);
    const { outcome, log } = await auditWithOidc(sim);
    expect(outcome.exitCode).toBe(EXIT.nothingAudited);
    expect(log.filter((l) => l.includes('AADSTS700211'))).toHaveLength(1);
  });

  it('a job without id-token: write (no ACTIONS_ID_TOKEN_REQUEST_URL): exit 3, one error naming the permission', async () => {
    delete process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
    delete process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    const sim = await simulatorTrusting('https://token.actions.githubusercontent.com', SUBJECT);
    const { outcome, log } = await auditWithOidc(sim);
    expect(outcome.exitCode).toBe(EXIT.nothingAudited);
    expect(sim.stats().tokens.issued + sim.stats().tokens.refused).toBe(0);
    const named = log.filter((l) => l.includes('id-token: write'));
    expect(named).toHaveLength(1);
    expect(named[0]).toMatch(
      /^error: \d+ sources \(.*\) could not be read: sign-in failed: no GitHub OIDC token: the job needs `permissions: id-token: write`/,
    );
  });
});
