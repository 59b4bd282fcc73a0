import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

function files(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'fixtures' && entry.name !== 'node_modules') out.push(...files(rel));
    } else if (/\.(ts|mjs)$/.test(entry.name)) out.push(rel);
  }
  return out;
}

describe('code hygiene', () => {
  // Code outlives the tracker: a comment says why, not which ticket asked for it. Another
  // project's issue may be cited, with that project named on the line.
  it('names no tracker issue of ours in src/, test/, bench/ or scripts/', () => {
    const pattern = /\b(?:issue|ticket)\s*#?\d+\b/i;
    const otherProject = /\b(?:ScubaGear|Maester|Prowler|Monkey365|mailauth|Node\.js|TypeScript|vitest|esbuild)\b/;
    const hits = ['src', 'test', 'bench', 'scripts']
      .flatMap(files)
      .flatMap((file) =>
        readFileSync(path.join(ROOT, file), 'utf8')
          .split('\n')
          .map((line, i) => [file, i + 1, line] as const),
      )
      .filter(([file, , line]) => pattern.test(line) && !otherProject.test(line) && !file.endsWith('hygiene.test.ts'))
      .map(([file, line]) => `${file}:${line}`);
    expect(hits).toEqual([]);
  });
});
