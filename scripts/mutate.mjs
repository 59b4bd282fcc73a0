// `npm run mutate [-- FOLDER… ] [--concurrency N] [--full] [--summary]`: Stryker over the verdict code, one
// folder (or part of a folder) at a time (`--summary`: none, only the table of the last results), then the comparison of
// the survivors with test/mutation/equivalent-mutants.json. Runs are incremental by default: the
// results of mutants whose code and tests did not change are reused from reports/mutation/.
// docs/mutation-testing.md records the scores and explains the choices.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import {
  MUTATION_FOLDERS,
  MUTATION_GROUPS,
  folderScore,
  lowerBound,
  readProgress,
  readReport,
  TARGETS,
} from './mutation-report.mjs';

const args = process.argv.slice(2);
let concurrency = '1';
let full = false;
let summaryOnly = false;
const folders = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === '--concurrency') concurrency = args[++i] ?? '1';
  else if (arg === '--full') full = true;
  else if (arg === '--summary') summaryOnly = true;
  else if (arg in MUTATION_FOLDERS) folders.push(arg);
  else if (arg in MUTATION_GROUPS) folders.push(...MUTATION_GROUPS[arg]);
  else {
    const names = [...new Set([...Object.keys(MUTATION_GROUPS), ...Object.keys(MUTATION_FOLDERS)])];
    console.error(`mutate: unknown argument "${arg}"; folders are ${names.join(', ')}`);
    process.exit(2);
  }
}
mkdirSync('reports/mutation', { recursive: true });

const ran = summaryOnly ? [] : folders.length > 0 ? folders : Object.keys(MUTATION_FOLDERS);
for (const name of ran) {
  const folder = MUTATION_FOLDERS[name];
  const started = Date.now();
  console.log(`\n==> stryker: ${name} (${folder.mutate.join(', ')})`);
  const result = spawnSync(
    'npx',
    [
      'stryker',
      'run',
      '--mutate',
      folder.mutate.join(','),
      '--concurrency',
      concurrency,
      '--incremental',
      '--incrementalFile',
      `reports/mutation/${name}.incremental.json`,
      ...(full ? ['--force'] : []),
    ],
    { stdio: 'inherit', env: { ...process.env, MUTATE_NAME: name } },
  );
  if (result.status !== 0) {
    console.error(`mutate: stryker failed on ${name} (exit ${result.status})`);
    process.exit(1);
  }
  console.log(`${name}: ${Math.round((Date.now() - started) / 60_000)} min`);
}

console.log('\nfolder      score   killed  survived  no-cov  ignored  target');
let allOk = true;
let allMeasured = true;
let anyBound = false;
const totals = { detected: 0, undetected: 0 };
for (const [name, parts] of Object.entries(MUTATION_GROUPS)) {
  const scores = [];
  const unmeasured = [];
  let bounded = false;
  for (const part of parts) {
    const report = readReport(part);
    if (report) {
      scores.push(folderScore(report));
      continue;
    }
    // A stopped run with its plan: a lower bound, every untested mutant counted as survived.
    const bound = lowerBound(part);
    if (bound) {
      bounded = true;
      scores.push(bound);
      console.log(
        `${part}: stopped part-way; ${bound.untested} of ${bound.total} mutants not tested, counted as survived: at least ${bound.score.toFixed(2)} %`,
      );
      continue;
    }
    unmeasured.push(part);
    const progress = readProgress(part);
    if (!progress) continue;
    const p = folderScore(progress);
    console.log(
      `${part}: stopped part-way; ${p.detected + p.undetected} mutants tested so far (${p.detected} killed, ${p.survived} survived, ${p.noCoverage} no coverage, ${p.ignored} ignored); not a score`,
    );
  }
  if (unmeasured.length === parts.length) {
    console.log(`${name.padEnd(10)}  (no report)`);
    allMeasured = false;
    continue;
  }
  const s = sumScores(scores);
  totals.detected += s.detected;
  totals.undetected += s.undetected;
  anyBound ||= bounded;
  const target = TARGETS[name];
  const complete = unmeasured.length === 0;
  if (!complete) allMeasured = false;
  const ok = complete && (target === undefined || s.score >= target);
  if (!ok) allOk = false;
  console.log(
    `${name.padEnd(10)}  ${s.score.toFixed(2).padStart(6)}  ${String(s.detected).padStart(6)}  ${String(s.survived).padStart(8)}  ${String(s.noCoverage).padStart(6)}  ${String(s.ignored).padStart(7)}  ${target === undefined ? '' : `${target}${ok ? '' : '  BELOW'}`}${bounded ? '  (lower bound)' : ''}${complete ? '' : `  (not measured: ${unmeasured.join(', ')})`}`,
  );
}
const overall = (totals.detected / Math.max(1, totals.detected + totals.undetected)) * 100;
const overallOk = allMeasured && overall >= TARGETS.overall;
console.log(
  `${'overall'.padEnd(10)}  ${overall.toFixed(2).padStart(6)}  target ${TARGETS.overall}${overallOk ? '' : '  BELOW'}${allMeasured ? (anyBound ? ' (lower bound)' : '') : ' (over the folders measured so far: not the overall score)'}`,
);

const targetsReached = allOk && overallOk;
console.log(
  `targets ${targetsReached ? 'reached' : 'not reached'}${targetsReached && anyBound ? ' (by lower bounds)' : ''}; the survivors not listed as equivalent follow`,
);

/** The score of several parts together (a stopped part's untested mutants are in `undetected`). */
function sumScores(scores) {
  const sum = { detected: 0, survived: 0, noCoverage: 0, ignored: 0, undetected: 0 };
  for (const s of scores) for (const key of Object.keys(sum)) sum[key] += s[key];
  return { ...sum, score: (sum.detected / Math.max(1, sum.detected + sum.undetected)) * 100 };
}

const check = spawnSync('node', ['scripts/mutation-survivors.mjs'], { stdio: 'inherit' });
// Exit 1 when a target is not reached, or when a survivor is neither killed nor listed as equivalent.
process.exit(check.status === 0 && targetsReached ? 0 : 1);
