import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * Every exported function, constant and class of src/ is used: named again in its own file, or in
 * another source file, a test, a script or a benchmark. An export nothing uses is dead code that
 * still looks reviewed; mutation testing then reports its every line as "no coverage".
 */

const ROOT = path.resolve(import.meta.dirname, '../..');

function filesUnder(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|mjs)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

describe('dead exports', () => {
  it('no export of src/ goes unused', () => {
    const sources = filesUnder('src');
    const readers = [...sources, ...filesUnder('test'), ...filesUnder('scripts'), ...filesUnder('bench')];
    const texts = new Map(readers.map((f) => [f, readFileSync(f, 'utf8')]));
    const unnamed: string[] = [];
    for (const file of sources) {
      const text = texts.get(file) ?? '';
      for (const m of text.matchAll(/^export (?:async )?(?:function\*?|const|class) (\w+)/gm)) {
        const name = m[1] ?? '';
        const word = new RegExp(`\\b${name}\\b`);
        const usedHere = [...text.matchAll(new RegExp(`\\b${name}\\b`, 'g'))].length > 1;
        const named = usedHere || [...texts].some(([other, t]) => other !== file && word.test(t));
        if (!named) unnamed.push(`${path.relative(ROOT, file)}: ${name}`);
      }
    }
    expect(unnamed).toEqual([]);
  });
});
