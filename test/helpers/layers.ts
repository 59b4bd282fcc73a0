import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** One row of the layer table: its units (top-level folders `x/` or loose files of src/) and what they may import. */
export interface LayerRow {
  readonly name: string;
  readonly units: readonly string[];
  readonly mayImport: readonly string[];
}

export interface LayerTable {
  readonly rows: readonly LayerRow[];
}

const BEGIN = '<!-- layer-table -->';
const END = '<!-- /layer-table -->';

/**
 * Reads the table between `<!-- layer-table -->` and `<!-- /layer-table -->`: one row per layer,
 * `| name | units | may import |`, with units and targets written as `` `src/folder/` `` or
 * `` `src/file.ts` ``. A row may import its own units, the units it names, and whatever those
 * may import in turn.
 */
export function readLayerTable(markdown: string): LayerTable {
  const start = markdown.indexOf(BEGIN);
  const end = markdown.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/architecture.md has no ${BEGIN} … ${END} block`);
  const rows: LayerRow[] = [];
  for (const line of markdown.slice(start + BEGIN.length, end).split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 5 || cells[1] === undefined || /^-+$/.test(cells[1]) || cells[1] === 'Layer') continue;
    const units = [...(cells[2] ?? '').matchAll(/`src\/([^`]+)`/g)].map((m) => m[1] ?? '');
    const mayImport = [...(cells[3] ?? '').matchAll(/`src\/([^`]+)`/g)].map((m) => m[1] ?? '');
    rows.push({ name: cells[1], units, mayImport });
  }
  return { rows };
}

/** Every .ts file under a folder. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (entry.name.endsWith('.ts')) out.push(full);
  }
  return out.sort();
}

/** The text with comments blanked out, string literals kept (a `//` inside a URL is no comment). */
function withoutComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
      out += ' ';
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const IMPORT_PATTERNS = [
  // import x from '…', import type { X } from '…', export { x } from '…', export * from '…'
  /\b(?:import|export)\s+[^'";]*?\sfrom\s*(['"])([^'"]+)\1/g,
  // import '…' (side effect only)
  /\bimport\s*(['"])([^'"]+)\1/g,
  // import('…')
  /\bimport\s*\(\s*(['"])([^'"]+)\1\s*\)/g,
];

/** The module specifiers a TypeScript file imports, in the order they appear. */
export function importsOf(text: string): string[] {
  const code = withoutComments(text);
  const found: { index: number; specifier: string }[] = [];
  for (const pattern of IMPORT_PATTERNS) {
    for (const match of code.matchAll(pattern)) found.push({ index: match.index, specifier: match[2] ?? '' });
  }
  return found.sort((a, b) => a.index - b.index).map((f) => f.specifier);
}

/** The table unit a path under src/ belongs to: its top-level folder (`collect/`) or itself (`index.ts`). */
function unitOf(src: string, file: string): string {
  const parts = path.relative(src, file).split(path.sep);
  return parts.length > 1 ? `${parts[0]}/` : (parts[0] ?? '');
}

/**
 * Every relative import that breaks the table, as `src/FILE imports SPECIFIER (A may not import B)`.
 * `files` defaults to every file of src/ with the imports it holds.
 */
export function layerViolations(
  table: LayerTable,
  src: string,
  files: readonly { readonly file: string; readonly specifiers: readonly string[] }[] = sourceFiles(src).map(
    (file) => ({ file, specifiers: importsOf(readFileSync(file, 'utf8')) }),
  ),
): string[] {
  const rowOf = new Map(table.rows.flatMap((r) => r.units.map((u) => [u, r] as const)));
  const allowed = new Map<string, Set<string>>();
  for (const row of table.rows) {
    const units = new Set<string>(row.units);
    const stack = [...row.mayImport];
    while (stack.length > 0) {
      const unit = stack.pop() ?? '';
      if (units.has(unit)) continue;
      // Naming one unit of a row opens the whole row (the base row holds several).
      const target = rowOf.get(unit);
      for (const sibling of target?.units ?? [unit]) units.add(sibling);
      stack.push(...(target?.mayImport ?? []));
    }
    for (const unit of row.units) allowed.set(unit, units);
  }
  const violations: string[] = [];
  for (const { file, specifiers } of files) {
    const from = unitOf(src, file);
    for (const specifier of specifiers) {
      if (!specifier.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), specifier).replace(/\.js$/, '.ts');
      if (path.relative(src, target).startsWith('..')) {
        // Outside src/, only the package's own manifest (the version) may be read.
        if (target !== path.join(path.dirname(src), 'package.json'))
          violations.push(`src/${path.relative(src, file)} imports ${specifier} (src/ may not import outside src/)`);
        continue;
      }
      const to = unitOf(src, target);
      if (to === from || allowed.get(from)?.has(to)) continue;
      violations.push(`src/${path.relative(src, file)} imports ${specifier} (${from} may not import ${to})`);
    }
  }
  return violations;
}
