// Bundles scripts/gen.ts with esbuild and runs it, so the generators share the TypeScript
// sources the tests and the CLI use.
import { build } from 'esbuild';
import { mkdir } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

await mkdir('node_modules/.cache', { recursive: true });
const outfile = 'node_modules/.cache/mailwarden-gen.mjs';
await build({
  entryPoints: ['scripts/gen.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  outfile,
  packages: 'external',
  logLevel: 'warning',
});
await import(pathToFileURL(outfile).href);
