// Bundles a TypeScript benchmark with esbuild and runs it, so benchmarks use the same sources
// as the CLI: `node bench/run.mjs bench/identity.ts [args]`.
import { build } from 'esbuild';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node bench/run.mjs bench/NAME.ts [args]');
  process.exit(2);
}
await mkdir('node_modules/.cache', { recursive: true });
const outfile = path.resolve('node_modules/.cache', `mailwarden-bench-${path.basename(entry, '.ts')}.mjs`);
await build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  outfile,
  packages: 'external',
  logLevel: 'warning',
});
process.argv = [process.argv[0], outfile, ...rest];
await import(pathToFileURL(outfile).href);
