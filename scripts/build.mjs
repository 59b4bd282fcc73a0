// Bundles the Action (dist/index.js), the accept Action (dist/accept.js) and the CLI (dist/cli.js, a
// Node.js version check in front of dist/cli-main.js) with esbuild. The output must be
// byte-for-byte reproducible, because CI rebuilds dist/ and fails when it differs.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';

// An ESM bundle of CommonJS dependencies needs a real `require` for Node built-ins.
const banner =
  "import { createRequire as __mailwardenCreateRequire } from 'node:module'; const require = __mailwardenCreateRequire(import.meta.url);";

// `--outdir DIR` builds elsewhere (the package test builds a fresh CLI without touching dist/).
const outIndex = process.argv.indexOf('--outdir');
const outdir = outIndex > 0 ? process.argv[outIndex + 1] : 'dist';
if (!outdir) throw new Error('--outdir needs a folder');

await rm(outdir, { recursive: true, force: true });
const common = {
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  banner: { js: banner },
  legalComments: 'none',
  logLevel: 'warning',
  charset: 'utf8',
  // Prefer ESM builds: jsonc-parser's CommonJS build is UMD with requires esbuild cannot follow.
  mainFields: ['module', 'main'],
  // Absolute paths would make the bundle depend on where it was built.
  sourcemap: false,
  // src/version.ts reads the version from package.json; the bundles import that file from the
  // package root at run time (dist/ sits where src/ does), so a release bump leaves dist/ alone.
  external: ['../package.json'],
};
await build({
  ...common,
  entryPoints: { index: 'src/index.ts', accept: 'src/accept-index.ts', 'cli-main': 'src/cli-main.ts' },
  outdir,
});
// dist/cli.js, the `mailwarden` command: a version check that imports nothing, then the CLI
// bundle beside it (kept external, so an old Node.js never links the bundle's imports).
await build({
  ...common,
  banner: {},
  entryPoints: { cli: 'src/cli-gate.ts' },
  external: ['./cli-main.js'],
  outdir,
});
