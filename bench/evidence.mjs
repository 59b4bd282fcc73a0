// Bundles bench/evidence.ts with esbuild and runs it (the same approach as scripts/gen.mjs).
import { build } from 'esbuild';
import { mkdir } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

await mkdir('node_modules/.cache', { recursive: true });
const outfile = 'node_modules/.cache/mailwarden-bench-evidence.mjs';
await build({ entryPoints: ['bench/evidence.ts'], bundle: true, platform: 'node', format: 'esm', target: 'node24', outfile, packages: 'external', logLevel: 'warning' });
await import(pathToFileURL(outfile).href);
