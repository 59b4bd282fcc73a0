// Bundles scripts/release/main.ts with esbuild and runs it with this process's arguments, so the
// release workflow runs the same TypeScript the tests import (test/release/).
import { build } from 'esbuild';
import { mkdir, rm } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

await mkdir('node_modules/.cache', { recursive: true });
// One file per process: tests run several releases at once.
const outfile = `node_modules/.cache/mailwarden-release-${process.pid}.mjs`;
await build({
  entryPoints: [new URL('release/main.ts', import.meta.url).pathname],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  outfile,
  packages: 'external',
  logLevel: 'warning',
});
try {
  await import(pathToFileURL(outfile).href);
} finally {
  await rm(outfile, { force: true });
}
