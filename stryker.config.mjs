// Mutation testing (Stryker) over the verdict code: checks, mail authentication, evaluation,
// policy reading and the issue planner. `npm run mutate` runs it folder by folder through
// scripts/mutate.mjs; see docs/mutation-testing.md for the scores and the method.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  plugins: ['@stryker-mutator/vitest-runner', './scripts/stryker-live-reporter.mjs'],
  coverageAnalysis: 'perTest',
  checkers: [],
  // TypeScript 7 has no JavaScript API for Stryker's tsconfig rewriting, and our tsconfig needs none.
  tsconfigFile: 'no-tsconfig-rewrite.json',
  concurrency: 1,
  // A mutant that code run at module load also reaches (a "static" mutant) would need every test
  // run again in a fresh process: two minutes each here. Mutants that tests also reach are tested
  // with those tests; mutants that only module load reaches (constant tables) are reported as
  // Ignored and counted separately in docs/mutation-testing.md.
  ignoreStatic: true,
  // A mutant that makes the covering tests run more than ~10 s past their normal time is stuck in a
  // loop or a combinatorial blow-up (the set check over Conditional Access policies): a time-out.
  timeoutMS: 10_000,
  timeoutFactor: 1.5,
  reporters: ['json', 'clear-text', 'progress-append-only', 'live'],
  jsonReporter: { fileName: `reports/mutation/${process.env.MUTATE_NAME ?? 'mutation'}.json` },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0, reportMutants: false },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignorePatterns: ['reports', '.stryker-tmp'],
};
