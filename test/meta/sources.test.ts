import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dnsCollectors } from '../../src/collect/dns/collectors.js';
import { exchangeCollectors } from '../../src/collect/exchange/collectors.js';
import { graphCollectors } from '../../src/collect/graph/collectors.js';
import { CONTROLS } from '../../src/controls/catalog.js';
import { readSnapshotFolder } from '../../src/snapshot/read-folder.js';
import { EMBEDDED_SOURCES, SOURCE_FILES } from '../../src/snapshot/folder-layout.js';
import { SOURCE_IDS } from '../../src/snapshot/source-id.js';
import { SOURCE_REQUIREMENTS } from '../../src/snapshot/source-requirements.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

/*
 * The "Add a source" checklist of docs/architecture.md, step by step: a source ID is nothing until
 * it has a file in the snapshot folder, a stated requirement, one collector, a place in the folder
 * format's documentation, a generator that writes it and a simulator that serves it.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('every source is complete ("Add a source")', () => {
  it('has a snapshot file, unique, and what reading it needs', () => {
    for (const id of SOURCE_IDS) {
      expect(SOURCE_FILES[id], id).toMatch(/^(graph|exchange|dns)\//);
      expect(SOURCE_REQUIREMENTS[id].permission.length, id).toBeGreaterThan(0);
    }
    // A source whose data travels in another's records (folder names in messageRules) shares its file.
    for (const [id, host] of EMBEDDED_SOURCES) expect(SOURCE_FILES[id], id).toBe(SOURCE_FILES[host]);
    expect(new Set(Object.values(SOURCE_FILES)).size).toBe(SOURCE_IDS.length - EMBEDDED_SOURCES.size);
  });

  it('has exactly one live collector', () => {
    const families = [Object.keys(graphCollectors), Object.keys(exchangeCollectors), Object.keys(dnsCollectors)];
    const all = families.flat();
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual([...SOURCE_IDS].sort());
  });

  it('is named, with its file, in docs/snapshot-format.md', () => {
    const doc = readFileSync(path.join(ROOT, 'docs/snapshot-format.md'), 'utf8');
    const missing = SOURCE_IDS.filter((id) => !doc.includes(id) || !doc.includes(SOURCE_FILES[id]));
    expect(missing).toEqual([]);
  });

  it('is read by at least one control', () => {
    const read = new Set(CONTROLS.flatMap((c) => [...c.sources, ...(c.optionalSources ?? []), ...c.targets.sources]));
    expect(SOURCE_IDS.filter((id) => !read.has(id))).toEqual([]);
  });

  it('is written by the tenant generator and served by the simulator, read back ok', { timeout: 120_000 }, async () => {
    const dir = await tempDir();
    const tenant = path.join(dir, 'tenant');
    const saved = path.join(dir, 'saved');
    const generated = await runCli(['simulate', '--generate', '--users', '60', '--seed', '7', '--out', tenant]);
    expect(generated.code, generated.stderr).toBe(0);
    const written = await readSnapshotFolder(tenant, { now: new Date() });
    expect(SOURCE_IDS.filter((id) => written.status(id)?.status !== 'ok')).toEqual([]);

    // Every control on, so every source is collected, through the simulator's HTTP and DNS.
    const policy = path.join(dir, 'all.json');
    const controls = Object.fromEntries(CONTROLS.map((c) => [c.id, { enabled: true }]));
    await import('node:fs/promises').then((fs) =>
      fs.writeFile(policy, JSON.stringify({ id: 'all', title: 'all', version: '1', controls })),
    );
    const audit = await runCli([
      'audit',
      '--simulate',
      tenant,
      '--policy',
      policy,
      '--save-snapshot',
      saved,
      '--fail-on',
      'none',
    ]);
    expect(audit.code, audit.stderr).toBe(0);
    const collected = await readSnapshotFolder(saved, { now: new Date() });
    expect(SOURCE_IDS.filter((id) => collected.status(id)?.status !== 'ok')).toEqual([]);
  });
});
