import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTROLS } from '../../src/controls/catalog.js';
import { importsOf, type LayerTable, layerViolations, readLayerTable, sourceFiles } from '../helpers/layers.js';

/*
 * The layer table of docs/architecture.md, enforced: every relative import in src/ (static,
 * type-only, re-export or dynamic) must point down the table, and no file may sit in a folder the
 * table does not place. There is no list of exceptions: a new import that breaks the table moves
 * the code to the layer that owns it, or changes the table in the document for a stated reason.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const SRC = path.join(ROOT, 'src');
const table = readLayerTable(readFileSync(path.join(ROOT, 'docs/architecture.md'), 'utf8'));

describe('layers (docs/architecture.md)', () => {
  it('the table names every folder and loose file of src/, each once', () => {
    const units = table.rows.flatMap((r) => r.units);
    expect(new Set(units).size).toBe(units.length);
    const entries = readdirSync(SRC, { withFileTypes: true }).map((e) => (e.isDirectory() ? `${e.name}/` : e.name));
    expect([...entries].sort()).toEqual([...units].sort());
  });

  it('every may-import names a unit of the table, and the table has no cycle', () => {
    const units = new Set(table.rows.flatMap((r) => r.units));
    for (const row of table.rows) for (const target of row.mayImport) expect(units, row.name).toContain(target);
    for (const row of table.rows) expect(reachable(table, row.name).has(row.name), row.name).toBe(false);
  });

  it('every import in src/ points down the table (no exceptions list)', () => {
    const violations = layerViolations(table, SRC);
    expect(violations).toEqual([]);
  });

  // Collectors, renderers and the pipeline act on what a control's definition declares (its
  // sources, DNS questions, remediation record, dashboard trend), never on its ID.
  it('only controls/ and checks/ name a control by its ID', () => {
    const ids = CONTROLS.map((c) => c.id);
    const naming = sourceFiles(SRC)
      .filter((file) => !/[\\/]src[\\/](controls|checks)[\\/]/.test(file))
      .flatMap((file) => {
        const text = readFileSync(file, 'utf8');
        return ids
          .filter((id) => text.includes(`'${id}'`) || text.includes(`"${id}"`))
          .map((id) => `${path.relative(ROOT, file)}: ${id}`);
      });
    expect(naming).toEqual([]);
  });

  it('no two files of src/ import each other, directly or round a loop', () => {
    expect(importCycles(SRC)).toEqual([]);
  });

  // The checker itself must be able to fail: an upward import, a sideways one and a simulator
  // import from the pipeline are each reported with the file and the import.
  it('reports an import that breaks the table, naming the file and the import', () => {
    const probe = (file: string, specifier: string) =>
      layerViolations(table, SRC, [{ file: path.join(SRC, file), specifiers: [specifier] }]);
    expect(probe('snapshot/manifest.ts', '../collect/collector.js')).toEqual([
      'src/snapshot/manifest.ts imports ../collect/collector.js (snapshot/ may not import collect/)',
    ]);
    expect(probe('collect/collector.ts', '../report/report.js')).toEqual([
      'src/collect/collector.ts imports ../report/report.js (collect/ may not import report/)',
    ]);
    expect(probe('run/run-audit.ts', '../simulator/start-simulator.js')).toEqual([
      'src/run/run-audit.ts imports ../simulator/start-simulator.js (run/ may not import simulator/)',
    ]);
    expect(probe('entry/create-collector.ts', '../simulator/start-simulator.js')).toEqual([]);
    expect(probe('collect/collector.ts', '../../test/helpers/layers.js')).toEqual([
      'src/collect/collector.ts imports ../../test/helpers/layers.js (src/ may not import outside src/)',
    ]);
  });

  it('reads static, type-only, re-export, side-effect and dynamic imports', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      "export { c } from './c.js';",
      "export * from './d.js';",
      "import './e.js';",
      "const g = await import('./g.js');",
      "import {\n  h,\n  type H,\n} from './h.js';",
      "// import { x } from './commented.js'; (a comment is no import)",
      "import { readFile } from 'node:fs/promises';",
    ].join('\n');
    expect(importsOf(text)).toEqual([
      './a.js',
      '../b.js',
      './c.js',
      './d.js',
      './e.js',
      './g.js',
      './h.js',
      'node:fs/promises',
    ]);
  });
});

function reachable(t: LayerTable, from: string): Set<string> {
  const byUnit = new Map(t.rows.flatMap((r) => r.units.map((u) => [u, r] as const)));
  const seen = new Set<string>();
  const stack = [...(t.rows.find((r) => r.name === from)?.mayImport ?? [])];
  while (stack.length > 0) {
    const row = byUnit.get(stack.pop() ?? '');
    if (!row || seen.has(row.name)) continue;
    seen.add(row.name);
    stack.push(...row.mayImport);
  }
  return seen;
}

/** Strongly connected groups of more than one file in src/'s import graph (Tarjan). */
function importCycles(src: string): string[][] {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(src)) {
    const targets = importsOf(readFileSync(file, 'utf8'))
      .filter((s) => s.startsWith('.'))
      .map((s) => path.resolve(path.dirname(file), s).replace(/\.js$/, '.ts'));
    graph.set(file, targets);
  }
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, indices.get(w) ?? 0));
    }
    if (low.get(v) === indices.get(v)) {
      const group: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        group.push(path.relative(path.dirname(src), w));
      } while (w !== v);
      if (group.length > 1) cycles.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return cycles;
}
