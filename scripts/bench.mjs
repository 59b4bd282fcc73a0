// Bundles a TypeScript benchmark from bench/ with esbuild and runs it with the given arguments.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import path from 'node:path';

const [entry, ...args] = process.argv.slice(2);
if (!entry) throw new Error('usage: node scripts/bench.mjs bench/<name>.ts [args]');
const outfile = path.join('node_modules', '.cache', 'mailwarden-bench', `${path.basename(entry, '.ts')}.mjs`);
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  banner: { js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);" },
  mainFields: ['module', 'main'],
  logLevel: 'warning',
});
const child = spawn(process.execPath, [outfile, ...args], { stdio: 'inherit' });
child.on('close', (code) => process.exit(code ?? 1));
