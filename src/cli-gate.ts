#!/usr/bin/env node
// The `mailwarden` command (dist/cli.js): checks the Node.js version before anything else loads.
// The CLI bundle (dist/cli-main.js) imports what older versions lack (node:fs/promises `glob`,
// Node 22), and an ES module that imports a missing export dies at link time, before any of its
// code runs, with an error that names no version. This file imports nothing, so it runs first.

/** The oldest Node.js the CLI runs on, measured: docs/releasing.md, "Node.js versions". */
const MINIMUM = [22, 0, 0] as const;

function tooOld(version: string): boolean {
  const parts = version.split('.').map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < MINIMUM.length; i++) {
    const have = parts[i] ?? 0;
    const need = MINIMUM[i] ?? 0;
    if (have !== need) return have < need;
  }
  return false;
}

if (tooOld(process.versions.node)) {
  process.stderr.write(`mailwarden needs Node ≥ ${MINIMUM.join('.')}; you have v${process.versions.node}\n`);
  process.exitCode = 2;
} else {
  await import('./cli-main.js');
}
