// Bundles bench/dns-bench.ts with esbuild and runs it (same pattern as scripts/gen.mjs), so the
// benchmark runs the TypeScript sources the tests use. It prints figures and asserts no timings.
import { build } from 'esbuild';
import { mkdir } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

await mkdir('node_modules/.cache', { recursive: true });
const outfile = 'node_modules/.cache/mailwarden-bench-dns.mjs';
await build({
  entryPoints: ['bench/dns-bench.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  outfile,
  packages: 'external',
  logLevel: 'warning',
});
await import(pathToFileURL(outfile).href);
