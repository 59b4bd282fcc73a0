import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { memoryLogger, silentLogger } from '../../src/logger.js';
import type { Result } from '../../src/model/result.js';
import type { RealismConfig } from '../../src/simulator/realism.js';
import type { RunningSimulator } from '../../src/simulator/start-simulator.js';
import { readSnapshotFolder } from '../../src/snapshot/read-folder.js';
import type { Snapshot } from '../../src/snapshot/snapshot.js';
import type { SourceId } from '../../src/snapshot/source-id.js';
import type { GraphApi } from '../../src/collect/graph/graph-api.js';
import { DOCUMENTED_THROTTLING } from '../../src/simulator/realism.js';
import { failingTargets } from '../helpers/sign-in-evaluate.js';
import { backgroundPages } from '../helpers/sign-in-generator.js';
import { tempDir } from '../helpers/temp.js';
import { simulatorSession } from '../helpers/simulator-session.js';

const DEMO = 'demo/contoso-health';
const NOW = new Date('2026-11-27T06:00:00Z');
const SOURCES: SourceId[] = ['graph.signIns', 'graph.riskyUsers', 'graph.riskDetections'];
const DETECTORS = [
  'legacy-auth.sign-ins',
  'sign-ins.risky-users',
  'sign-ins.countries',
  'sign-ins.impossible-travel',
  'sign-ins.password-spray',
  'sign-ins.mfa-fatigue',
];

const session = simulatorSession(NOW);
const demoPolicy = session.demoPolicy;

function simulator(realism?: RealismConfig, dir = DEMO): Promise<RunningSimulator> {
  return session.start(realism, dir);
}

/** Records the paths the collectors ask for, around the real transport. */
function recording(graph: GraphApi, paths: string[]): GraphApi {
  return {
    get: (p) => graph.get(p),
    pages: (p) => {
      paths.push(p);
      return graph.pages(p);
    },
    batch: (requests) => graph.batch(requests),
  };
}

function collectFrom(sim: RunningSimulator, logger = silentLogger, paths: string[] = []): Promise<Snapshot> {
  return session.collect(sim, SOURCES, { logger, graph: (graph) => recording(graph, paths) });
}

async function judge(snapshot: Snapshot): Promise<readonly Result[]> {
  const results = (await evaluate(snapshot, await demoPolicy(), { now: NOW, domains: [] })).results;
  return results.filter((r) => DETECTORS.includes(r.control));
}

/**
 * The curated anomalies of demo/contoso-health-curated; the generated part of the demo adds
 * more of each kind, so these must be among the findings.
 */
const EXPECTED_DEMO: Record<string, string[]> = {
  'legacy-auth.sign-ins': ['lee@contosohealth.example'],
  'sign-ins.risky-users': ['lynne@contosohealth.example'],
  'sign-ins.countries': ['isaiah@contosohealth.example', 'joni@contosohealth.example', 'megan@contosohealth.example'],
  'sign-ins.impossible-travel': [
    'diego@contosohealth.example',
    'isaiah@contosohealth.example',
    'joni@contosohealth.example',
    'megan@contosohealth.example',
  ],
  'sign-ins.password-spray': ['203.0.113.0/24'],
  'sign-ins.mfa-fatigue': ['isaiah@contosohealth.example'],
};

/** A tenant folder holding only generated sign-ins (newest first, 1,000 per line). */
async function generatedTenant(events: number): Promise<string> {
  const dir = await tempDir();
  await mkdir(path.join(dir, 'graph'), { recursive: true });
  const lines: string[] = [];
  for await (const page of backgroundPages({
    users: 500,
    events,
    end: NOW.getTime() - 60_000,
    spanMs: 20 * 3_600_000,
  })) {
    lines.push(JSON.stringify({ value: page }));
  }
  await writeFile(path.join(dir, 'graph/signIns.jsonl'), `${lines.join('\n')}\n`);
  await writeFile(path.join(dir, 'graph/riskyUsers.json'), '{"value":[]}\n');
  await writeFile(path.join(dir, 'graph/riskDetections.json'), '{"value":[]}\n');
  const manifest = JSON.parse(await readFile(path.join(DEMO, 'manifest.json'), 'utf8')) as {
    sources: Record<string, unknown>;
  };
  manifest.sources = {
    'graph.signIns': { status: 'ok', count: events },
    'graph.riskyUsers': { status: 'ok', count: 0 },
    'graph.riskDetections': { status: 'ok', count: 0 },
  };
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

/** Every curated target is found, and every detector has at least one finding. */
function expectCurated(found: Record<string, readonly string[]>): void {
  for (const [control, targets] of Object.entries(EXPECTED_DEMO))
    expect(found[control], control).toEqual(expect.arrayContaining(targets));
}

describe('sign-in detectors on the demo tenant', () => {
  it('the demo snapshot gives a finding for every detector', async () => {
    const results = await judge(await readSnapshotFolder(DEMO, { now: new Date() }));
    expectCurated(failingTargets(results));
    expect(results.find((r) => r.control === 'sign-ins.password-spray')?.severity).toBe('critical');
    expect(results.find((r) => r.control === 'sign-ins.mfa-fatigue')?.severity).toBe('critical');
    const scan = results.find((r) => r.control === 'sign-ins.impossible-travel')?.evidence.scan;
    expect(scan).toMatchObject({ skipped: { noLocation: 1, malformedIp: 1 } });
  });

  it("collects over the wire (filtered window, $select, pages of 1,000) and gives the snapshot's verdicts", async () => {
    const sim = await simulator();
    const paths: string[] = [];
    const live = await judge(await collectFrom(sim, memoryLogger(), paths));
    expectCurated(failingTargets(live));
    expect(failingTargets(live)).toEqual(
      failingTargets(await judge(await readSnapshotFolder(DEMO, { now: new Date() }))),
    );
    const signIns = paths.filter((p) => p.startsWith('/auditLogs/signIns'));
    expect(signIns).toHaveLength(1);
    const first = new URL(signIns[0] ?? '', 'http://x');
    expect(first.searchParams.get('$filter')).toBe(
      'createdDateTime ge 2026-11-26T05:00:00Z and createdDateTime le 2026-11-27T06:00:00Z',
    );
    expect(first.searchParams.get('$top')).toBe('1000');
    expect(first.searchParams.get('$select')?.split(',')).toContain('location');
    expect(
      paths.some((p) =>
        p.startsWith('/identityProtection/riskDetections?$filter=detectedDateTime ge 2026-11-26T05:00:00Z'),
      ),
    ).toBe(true);
  });

  it("through the transport's own streamed pages (record by record), the same verdicts, and a cut-short window is an error", async () => {
    const live = await judge(await session.collect(await simulator(), SOURCES));
    expect(failingTargets(live)).toEqual(
      failingTargets(await judge(await readSnapshotFolder(DEMO, { now: new Date() }))),
    );
    const sim = await simulator(
      { faults: [{ kind: 'status503', path: '/auditLogs/signIns', after: 1 }] },
      await generatedTenant(2_500),
    );
    const cut = await judge(await session.collect(sim, SOURCES));
    for (const control of DETECTORS.filter((c) => c !== 'sign-ins.risky-users')) {
      const result = cut.find((r) => r.control === control);
      expect(result?.status, control).toBe('error');
      expect(result?.evidence.covered).toMatchObject({ eventsRead: 1_000 });
    }
  });

  it('without P1 the sign-in log controls are not evaluable; without P2 only risky users', async () => {
    const noP1 = await judge(
      await collectFrom(await simulator({ licences: { 'entra-id-p1': false, 'entra-id-p2': false } })),
    );
    expect(noP1.every((r) => r.status === 'not_evaluable')).toBe(true);
    expect(noP1.find((r) => r.control === 'sign-ins.countries')?.evidence).toMatchObject({ licence: 'entra-id-p1' });
    const noP2 = await judge(await collectFrom(await simulator({ licences: { 'entra-id-p2': false } })));
    expect(noP2.filter((r) => r.status === 'not_evaluable').map((r) => r.control)).toEqual(['sign-ins.risky-users']);
    expect(failingTargets(noP2)['sign-ins.mfa-fatigue']).toEqual(
      expect.arrayContaining(['isaiah@contosohealth.example']),
    );
  });

  it('streams a many-page window under the documented 5-requests-per-10-s limit without a 429', async () => {
    const sim = await simulator({ throttling: DOCUMENTED_THROTTLING }, await generatedTenant(6_000));
    const snapshot = await collectFrom(sim);
    const results = await judge(snapshot);
    expect(results.find((r) => r.control === 'sign-ins.mfa-fatigue')?.evidence.scan).toMatchObject({
      eventsRead: 6_000,
    });
    expect(sim.stats().throttled.reports).toBe(0);
    expect(sim.stats().requests.reports).toBe(6);
  }, 40_000);

  it('a window cut short by server errors is an error with the covered span, never a pass', async () => {
    const sim = await simulator(
      { faults: [{ kind: 'status503', path: '/auditLogs/signIns', after: 1 }] },
      await generatedTenant(2_500),
    );
    const results = await judge(await collectFrom(sim));
    for (const control of DETECTORS.filter((c) => c !== 'sign-ins.risky-users')) {
      const result = results.find((r) => r.control === control);
      expect(result?.status, control).toBe('error');
      expect(result?.evidence.covered).toMatchObject({ eventsRead: 1_000, latest: '2026-11-27T05:59:00.000Z' });
    }
  });
});
