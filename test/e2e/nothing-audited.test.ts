import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditSettings } from '../../src/cli/audit.js';
import { createLiveClients } from '../../src/collect/live/create-clients.js';
import { liveCollector } from '../../src/collect/live/live-collector.js';
import { createCollector } from '../../src/entry/create-collector.js';
import { simulatorCollector } from '../../src/entry/simulator-collector.js';
import { simulatorTarget } from '../../src/entry/simulator-clients.js';
import { memoryLogger, silentLogger } from '../../src/logger.js';
import { DEMO_TENANT_DIR } from '../../src/paths.js';
import { EXIT } from '../../src/run/exit-codes.js';
import { runAudit } from '../../src/run/run-audit.js';
import { EXCHANGE_PERMISSION, GRAPH_PERMISSIONS } from '../../src/simulator/login-service.js';
import { startSimulator } from '../../src/simulator/start-simulator.js';
import { isTenantSource, type SourceId } from '../../src/snapshot/source-id.js';
import { runCli } from '../helpers/cli.js';
import { replyTo, startFakeDnsServer } from '../helpers/fake-dns-server.js';
import { tempDir } from '../helpers/temp.js';

/*
 * A run that audited nothing is red (exit 3), whatever DNS did: the tenant could not be signed
 * in to, refused every read, or the only source (a resolver) answered nothing. Each case is the
 * production path over loopback: the simulator's login and Graph, a misbehaving DNS server.
 */

const NOW = new Date('2026-12-04T09:00:00Z');
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function tenantSources(sources: Partial<Record<SourceId, { status: string }>>): [string, string][] {
  return Object.entries(sources)
    .filter(([id]) => isTenantSource(id as SourceId))
    .map(([id, s]) => [id, s?.status ?? '?']);
}

describe('a run that audited nothing exits 3', () => {
  it('a 403 on every tenant source: red, although DNS answered', async () => {
    const settings = auditSettings(['--demo', '--fail-on', 'none'], {});
    const collector = simulatorCollector({
      dir: DEMO_TENANT_DIR,
      logger: silentLogger,
      now: () => NOW,
      realism: { missingPermissions: [...GRAPH_PERMISSIONS, EXCHANGE_PERMISSION] },
      clients: { graph: { maxRetries: 0 }, exchange: { maxRetries: 0 } },
    });
    const logger = memoryLogger();
    const outcome = await runAudit(settings, { logger, now: () => NOW, collector }).finally(() => collector.close?.());
    const tenant = tenantSources(outcome.report.snapshot.sources);
    expect(tenant.length).toBeGreaterThan(15);
    expect(tenant.filter(([, status]) => status === 'ok')).toEqual([]);
    // DNS still ran and answered (the demo policy lists the tenant's domains): not enough.
    expect(outcome.report.snapshot.sources.dns?.status).toBe('ok');
    expect(outcome.report.results.some((r) => r.status === 'fail' || r.status === 'pass')).toBe(true);
    expect(outcome.exitCode).toBe(EXIT.nothingAudited);
    expect(logger.lines.filter((l) => l.startsWith('error: Nothing was audited'))).toEqual([
      `error: Nothing was audited: no tenant source was read (${tenant.length} of ${tenant.length} not ok).`,
    ]);
  });

  it('a wrong client secret: no tenant source is asked, one error names the cause and the fix', async () => {
    const sim = await startSimulator({ dir: DEMO_TENANT_DIR, servedAt: NOW });
    closers.push(() => sim.close());
    const target = {
      ...simulatorTarget(sim),
      credentials: { kind: 'client-secret' as const, secret: 'not-the-secret' },
    };
    const created = createLiveClients(target, {
      logger: silentLogger,
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
    const settings = auditSettings(
      ['--tenant-id', sim.tenantId, '--client-id', sim.credentials.clientId, '--client-secret', 'not-the-secret'],
      {},
    );
    const logger = memoryLogger();
    const served = () => {
      const { login: _login, ...rest } = sim.stats().requests;
      return Object.values(rest).reduce((a, b) => a + b, 0);
    };
    const outcome = await runAudit({ ...settings, failOn: 'none' }, { logger, now: () => NOW, collector });
    expect(outcome.exitCode).toBe(EXIT.nothingAudited);
    // Refused at sign-in: not one Graph or Exchange request was sent.
    expect(served()).toBe(0);
    expect(sim.stats().requests.login).toBeGreaterThan(0);
    const tenant = tenantSources(outcome.report.snapshot.sources);
    expect(tenant.length).toBeGreaterThan(15);
    expect(new Set(tenant.map(([, status]) => status))).toEqual(new Set(['failed']));
    const cause = logger.lines.filter((l) => l.includes('AADSTS7000215'));
    expect(cause).toHaveLength(1);
    expect(cause[0]).toMatch(
      /^error: \d+ sources \(.*graph\.users.*\) could not be read: sign-in failed: Entra refused the client secret \(AADSTS7000215: Invalid client secret provided\.\): pass the secret's Value, not its Secret ID\. Their controls are error, never pass\.$/,
    );
    expect(logger.lines.filter((l) => l.startsWith('warning:'))).toEqual([]);
  });

  it('DNS-only against a resolver that answers SERVFAIL to everything: the dns source failed, exit 3', async () => {
    const server = await startFakeDnsServer((query) => replyTo(query, [], 0, 2));
    closers.push(() => server.close());
    const settings = auditSettings(['--domains', 'x.test,y.test', '--dns-server', `${server.address}:${server.port}`]);
    const logger = memoryLogger();
    const outcome = await runAudit(settings, {
      logger,
      now: () => NOW,
      collector: createCollector(settings.target, settings.dns, { logger: silentLogger, now: () => NOW }),
    });
    const dns = outcome.report.snapshot.sources.dns;
    expect(dns?.status).toBe('failed');
    expect(dns?.status === 'failed' ? dns.reason : '').toMatch(
      /^no DNS lookup got an answer: \d+ question\(s\), \d+ SERVFAIL; first: .*; asked /,
    );
    expect(outcome.report.results.every((r) => r.status === 'error')).toBe(true);
    // Each domain asked about errs in its own name, as its checks would have.
    expect(new Set(outcome.report.results.map((r) => r.target))).toEqual(new Set(['x.test', 'y.test']));
    expect(outcome.exitCode).toBe(EXIT.nothingAudited);
  });

  it('DNS-only where one domain answers: audited, not red', async () => {
    const server = await startFakeDnsServer((query) =>
      (query.questions?.[0]?.name ?? '').endsWith('good.test') ? replyTo(query, [], 0, 3) : replyTo(query, [], 0, 2),
    );
    closers.push(() => server.close());
    const settings = auditSettings([
      '--domains',
      'bad.test,good.test',
      '--dns-server',
      `${server.address}:${server.port}`,
      '--fail-on',
      'none',
    ]);
    const outcome = await runAudit(settings, {
      logger: silentLogger,
      now: () => NOW,
      collector: createCollector(settings.target, settings.dns, { logger: silentLogger, now: () => NOW }),
    });
    expect(outcome.report.snapshot.sources.dns?.status).toBe('ok');
    expect(outcome.exitCode).toBe(EXIT.done);
  });

  it('a snapshot with no sources at all: exit 3', async () => {
    const dir = path.join(await tempDir(), 'snapshot');
    await cp('demo/contoso-health', dir, { recursive: true });
    const manifestPath = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Record<string, unknown>;
    await writeFile(manifestPath, `${JSON.stringify({ ...manifest, sources: {} }, null, 2)}\n`);
    const run = await runCli(['audit', '--snapshot', dir, '--fail-on', 'none']);
    expect(run.code, run.stderr).toBe(EXIT.nothingAudited);
    expect(run.stderr).toContain('Nothing was audited: the run collected no data source.');
  });
});
