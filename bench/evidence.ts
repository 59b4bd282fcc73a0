// Benchmark: write a redacted evidence pack for a large synthetic tenant, then verify it.
// Prints figures; asserts nothing. Run with `npm run bench:evidence -- [users] [signIns]`.
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { folderCollector } from '../src/collect/folder-collector.js';
import { CONTROLS } from '../src/controls/catalog.js';
import { verifyEvidencePack } from '../src/evidence/verify-evidence.js';
import { silentLogger } from '../src/logger.js';
import { runAudit } from '../src/run/run-audit.js';

// bench/run.mjs passes the entry file first; the numbers follow.
const numbers = process.argv
  .slice(2)
  .filter((a) => /^[0-9]+$/.test(a))
  .map(Number);
const users = numbers[0] ?? 5000;
const signIns = numbers[1] ?? 100_000;
const SOURCES = ['graph.users', 'graph.userRegistrationDetails', 'graph.signIns'];

const root = await mkdtemp(path.join(tmpdir(), 'mailwarden-bench-'));
const snapshotDir = path.join(root, 'snapshot');
await mkdir(path.join(snapshotDir, 'graph'), { recursive: true });
const ids = Array.from({ length: users }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
await writeFile(
  path.join(snapshotDir, 'graph/users.json'),
  JSON.stringify({
    value: ids.map((id, i) => ({
      id,
      userPrincipalName: `user${i}@contoso.example`,
      displayName: `User ${i}`,
      accountEnabled: true,
      userType: 'Member',
    })),
  }),
);
await writeFile(
  path.join(snapshotDir, 'graph/userRegistrationDetails.json'),
  JSON.stringify({
    value: ids.map((id, i) => ({
      id,
      userPrincipalName: `user${i}@contoso.example`,
      isMfaRegistered: i % 50 !== 0,
      isMfaCapable: i % 50 !== 0,
      methodsRegistered: [],
    })),
  }),
);
const lines: string[] = [];
for (let page = 0; page * 1000 < signIns; page++) {
  const value = Array.from({ length: Math.min(1000, signIns - page * 1000) }, (_, j) => {
    const n = page * 1000 + j;
    return {
      id: `s${n}`,
      createdDateTime: new Date(Date.UTC(2026, 10, 26, 6) + n * 400).toISOString(),
      userId: ids[n % users],
      userPrincipalName: `user${n % users}@contoso.example`,
      userDisplayName: `User ${n % users}`,
      ipAddress: `198.51.${(n >> 8) & 255}.${n & 255}`,
      clientAppUsed: 'Browser',
      status: { errorCode: n % 97 === 0 ? 50126 : 0 },
      location: { countryOrRegion: 'NL', city: 'Amsterdam', geoCoordinates: { latitude: 52.37, longitude: 4.9 } },
    };
  });
  lines.push(JSON.stringify({ value }));
}
await writeFile(path.join(snapshotDir, 'graph/signIns.jsonl'), `${lines.join('\n')}\n`);
await writeFile(
  path.join(snapshotDir, 'manifest.json'),
  JSON.stringify({
    formatVersion: 1,
    tenantId: 'bench',
    capturedAt: '2026-11-27T06:00:00.000Z',
    tool: { name: 'mailwarden', version: '0.0.0' },
    licences: { 'entra-id-p1': true, 'entra-id-p2': true },
    sources: Object.fromEntries(SOURCES.map((s) => [s, { status: 'ok' }])),
  }),
);
const enabled = CONTROLS.filter((c) => c.sources.every((s) => SOURCES.includes(s)));
const policyFile = path.join(root, 'policy.json');
await writeFile(
  policyFile,
  JSON.stringify({
    id: 'bench',
    title: 'bench',
    version: '1',
    controls: Object.fromEntries(enabled.map((c) => [c.id, { enabled: true }])),
  }),
);

let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const packDir = path.join(root, 'pack');
for (const redact of [false, true]) {
  await rm(packDir, { recursive: true, force: true });
  peak = 0;
  const started = performance.now();
  await runAudit(
    {
      policyPath: policyFile,
      target: { kind: 'snapshot', dir: snapshotDir },
      saveSnapshotDir: undefined,
      only: undefined,
      reportJsonPath: undefined,
      summaryMarkdownPath: undefined,
      failOn: 'none',
      debug: false,
      evidence: { dir: packDir, redact, redactionKey: undefined },
    },
    { logger: silentLogger, now: () => new Date(), collector: folderCollector(snapshotDir, () => new Date()) },
  );
  const written = performance.now() - started;
  const writePeak = peak;
  peak = 0;
  const verifyStart = performance.now();
  const verification = await verifyEvidencePack(packDir, () => new Date());
  const verified = performance.now() - verifyStart;
  let bytes = 0;
  for (const entry of await readdir(packDir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) bytes += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  console.log(
    `${redact ? 'redacted' : 'plain   '} pack: ${users} users, ${signIns} sign-ins, ${enabled.length} controls: ` +
      `audit+pack ${written.toFixed(0)} ms (peak RSS ${(writePeak / 2 ** 20).toFixed(0)} MiB), ` +
      `verify ${verified.toFixed(0)} ms (peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB), ${(bytes / 2 ** 20).toFixed(1)} MiB, ` +
      `${verification.resultsChecked} results, ${verification.problems.length} differences`,
  );
}
clearInterval(sampler);
await rm(root, { recursive: true, force: true });
