// `npm run bench -- --users N`: bundles bench/audit.ts (and the sources it imports) with esbuild
// and runs it, as scripts/gen.mjs does for the generators. See bench/audit.ts and BENCHMARKS.md.
import { build } from 'esbuild';
import { mkdir } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

await mkdir('node_modules/.cache', { recursive: true });
const outfile = 'node_modules/.cache/mailwarden-bench-audit.mjs';
await build({
  entryPoints: ['bench/audit.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  outfile,
  packages: 'external',
  logLevel: 'warning',
});
await import(pathToFileURL(outfile).href);
