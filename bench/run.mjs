// Bundles a TypeScript benchmark with esbuild and runs it, so benchmarks share the sources the
// tests and the CLI use. Usage: node bench/run.mjs bench/inbox-rules.ts [args…]
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const entry = process.argv[2];
if (!entry) {
  console.error('usage: node bench/run.mjs bench/<name>.ts [args…]');
  process.exit(2);
}
await mkdir('node_modules/.cache', { recursive: true });
// One bundle per checkout: worktrees may share node_modules, and a run in one must not rewrite
// the bundle another is running (the audit worker re-executes this file).
const checkout = createHash('sha256').update(process.cwd()).digest('hex').slice(0, 8);
const outfile = `node_modules/.cache/mailwarden-bench-${path.basename(entry, '.ts')}-${checkout}.mjs`;
await build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  outfile,
  packages: 'external',
  logLevel: 'warning',
  plugins: [testFixturesInPlace()],
});
await import(pathToFileURL(outfile).href);

/**
 * Test fakes find their fixtures beside them (`new URL('../fixtures/…', import.meta.url)`); in
 * the bundle `import.meta.url` would be the bundle's, so under test/ it is kept as the source's.
 */
function testFixturesInPlace() {
  return {
    name: 'test-fixtures-in-place',
    setup(b) {
      b.onLoad({ filter: /[\\/]test[\\/].*\.ts$/ }, async (args) => {
        const text = await readFile(args.path, 'utf8');
        const url = JSON.stringify(pathToFileURL(args.path).href);
        return { contents: text.replaceAll('import.meta.url', url), loader: 'ts' };
      });
    },
  };
}
