// Compares the survivors of the last `npm run mutate` (reports/mutation/*.json) with the
// checked-in list of mutants left alive on purpose (test/mutation/equivalent-mutants.json).
// Exit 1 when a survivor is not on the list: either kill it with a test, or, if no test can
// tell it apart (an equivalent mutant), add it to the list with a one-line reason.
// `--write` prints the current survivors in the list's format, reasons left empty, to start from.
import { existsSync, readFileSync } from 'node:fs';
import { matchesGlob } from 'node:path';
import { MUTATION_FOLDERS, readReport, survivorKey, survivors } from './mutation-report.mjs';

const LIST = 'test/mutation/equivalent-mutants.json';
const listed = existsSync(LIST) ? JSON.parse(readFileSync(LIST, 'utf8')) : { mutants: [] };
const known = new Map(listed.mutants.map((m) => [survivorKey(m), m]));

const current = [];
const folders = [];
for (const name of Object.keys(MUTATION_FOLDERS)) {
  const report = readReport(name);
  if (!report) continue;
  folders.push(name);
  current.push(...survivors(report));
}
if (folders.length === 0) {
  console.error('mutation-survivors: no report in reports/mutation/; run `npm run mutate` first');
  process.exit(2);
}

if (process.argv.includes('--write')) {
  const entries = current.map(({ file, mutator, original, replacement }) => ({
    file,
    mutator,
    original,
    replacement,
    reason: known.get(survivorKey({ file, mutator, original, replacement }))?.reason ?? '',
  }));
  console.log(JSON.stringify({ mutants: entries }, null, 2));
  process.exit(0);
}

const unexplained = current.filter((s) => !known.has(survivorKey(s)));
const without = listed.mutants.filter((m) => typeof m.reason !== 'string' || m.reason.trim() === '');
const seen = new Set(current.map(survivorKey));
const covered = new Set(folders.flatMap((name) => MUTATION_FOLDERS[name].mutate));
const stale = listed.mutants.filter(
  (m) => !seen.has(survivorKey(m)) && [...covered].some((glob) => matchesGlob(m.file, glob)),
);

for (const s of unexplained)
  console.log(`NEW SURVIVOR ${s.file}:${s.line} ${s.mutator} (${s.status}): ${s.original} → ${s.replacement}`);
for (const m of without) console.log(`NO REASON ${m.file} ${m.mutator}: ${m.original}`);
for (const m of stale) console.log(`no longer survives (remove from ${LIST}): ${m.file} ${m.mutator}: ${m.original}`);
console.log(
  `${current.length} survivors in ${folders.join(', ')}: ${current.length - unexplained.length} listed as equivalent, ${unexplained.length} new`,
);
process.exit(unexplained.length > 0 || without.length > 0 ? 1 : 0);
