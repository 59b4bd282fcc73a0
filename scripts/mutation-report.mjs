// Shared by scripts/mutate.mjs and scripts/mutation-survivors.mjs: which folders are mutated
// (and in which parts), the targets, and how a Stryker JSON report (mutation-testing-report-schema)
// is read into scores and survivor keys.
import { existsSync, readFileSync, statSync } from 'node:fs';

/**
 * `src/checks` is mutated in parts, one Stryker process and one report each, so that a part can be
 * measured again after its tests change without re-running the whole folder (hours on two cores).
 * The parts together cover every file under src/checks exactly once; `checks` is their sum.
 */
const CHECK_PARTS = {
  'checks-conditional-access': ['src/checks/conditional-access/**/*.ts'],
  'checks-sign-ins': ['src/checks/sign-ins/**/*.ts'],
  'checks-forwarding': ['src/checks/forwarding/**/*.ts'],
  'checks-mail-access': ['src/checks/mail-access/**/*.ts'],
  'checks-email-auth': ['src/checks/email-auth/**/*.ts'],
  'checks-identity': [
    'src/checks/mfa/**/*.ts',
    'src/checks/legacy-auth/**/*.ts',
    'src/checks/audit/**/*.ts',
    'src/checks/*.ts',
  ],
};

/**
 * What each Stryker run mutates. The tests run against a mutant are the test files that import
 * the mutated file, directly or not (vitest's `related`), except the end-to-end files listed in
 * vitest.mutation.config.ts. `group` names the folder whose score a part counts toward.
 */
export const MUTATION_FOLDERS = {
  ...Object.fromEntries(Object.entries(CHECK_PARTS).map(([name, mutate]) => [name, { group: 'checks', mutate }])),
  mailauth: { group: 'mailauth', mutate: ['src/mailauth/**/*.ts'] },
  evaluate: { group: 'evaluate', mutate: ['src/evaluate/**/*.ts'] },
  policy: { group: 'policy', mutate: ['src/policy/**/*.ts'] },
  issues: { group: 'issues', mutate: ['src/issues/plan.ts', 'src/issues/marker.ts'] },
};

/** The folders scored against the targets, each with the parts (Stryker runs) that make it up. */
export const MUTATION_GROUPS = Object.entries(MUTATION_FOLDERS).reduce((groups, [name, folder]) => {
  groups[folder.group] = [...(groups[folder.group] ?? []), name];
  return groups;
}, {});

/** Mutation score targets in percent (issue tracker: "No false pass in policy reading"). */
export const TARGETS = { checks: 85, issues: 85, overall: 75 };

export function readReport(name) {
  const file = `reports/mutation/${name}.json`;
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

/**
 * The results a stopped run saved (its incremental file, same schema), for a part with no
 * report yet: what was tested so far, not a score of the folder.
 */
export function readProgress(name) {
  const file = `reports/mutation/${name}.incremental.json`;
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

/**
 * A lower bound of the score of a part whose run was stopped: the results it saved (its incremental
 * file) with every mutant it did not test counted as survived. Needs the plan that run wrote
 * (scripts/stryker-live-reporter.mjs) before it saved its results; `undefined` without one.
 */
export function lowerBound(name, dir = 'reports/mutation') {
  const planFile = `${dir}/${name}.plan.json`;
  const progressFile = `${dir}/${name}.incremental.json`;
  if (!existsSync(planFile) || !existsSync(progressFile)) return undefined;
  if (statSync(planFile).mtimeMs > statSync(progressFile).mtimeMs) return undefined;
  const plan = JSON.parse(readFileSync(planFile, 'utf8'));
  const progress = JSON.parse(readFileSync(progressFile, 'utf8'));
  const saved = Object.values(progress.files).reduce((n, file) => n + file.mutants.length, 0);
  if (saved > plan.total) return undefined;
  const s = folderScore(progress);
  const untested = plan.total - saved;
  const undetected = s.undetected + untested;
  return {
    ...s,
    survived: s.survived + untested,
    untested,
    undetected,
    total: plan.total,
    score: (s.detected / Math.max(1, s.detected + undetected)) * 100,
  };
}

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

/** Stryker's mutation score: detected / (detected + undetected); compile errors and ignored mutants do not count. */
export function folderScore(...reports) {
  let detected = 0;
  let survived = 0;
  let noCoverage = 0;
  let ignored = 0;
  for (const file of reports.flatMap((report) => Object.values(report.files))) {
    for (const m of file.mutants) {
      if (DETECTED.has(m.status)) detected++;
      else if (m.status === 'Survived') survived++;
      else if (m.status === 'NoCoverage') noCoverage++;
      else if (m.status === 'Ignored') ignored++;
    }
  }
  const undetected = survived + noCoverage;
  return {
    detected,
    survived,
    noCoverage,
    ignored,
    undetected,
    score: (detected / Math.max(1, detected + undetected)) * 100,
  };
}

/**
 * A survivor's identity across edits: the file, the mutator, the replacement and the text of the
 * mutated lines (not their numbers, which move whenever code above them changes).
 */
export function survivors(report) {
  const out = [];
  for (const [file, data] of Object.entries(report.files)) {
    const lines = data.source.split('\n');
    for (const m of data.mutants) {
      if (!UNDETECTED.has(m.status)) continue;
      const { start, end } = m.location;
      const original = lines
        .slice(start.line - 1, end.line)
        .map((l) => l.trim())
        .join(' ');
      out.push({
        file,
        mutator: m.mutatorName,
        original,
        replacement: m.replacement ?? '',
        status: m.status,
        line: start.line,
      });
    }
  }
  return out;
}

export function survivorKey(s) {
  return JSON.stringify([s.file, s.mutator, s.original, s.replacement]);
}
