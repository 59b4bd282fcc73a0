import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The tests Stryker runs against each mutant (`npm run mutate`): every test file except the
 * end-to-end runs and the few files that spend seconds waiting on simulated throttling, paging
 * or timers. Those would be re-run for every surviving mutant and make a run take days on two
 * cores. The scores in docs/mutation-testing.md are therefore a lower bound: a mutant that only
 * an end-to-end test kills counts as survived.
 */
export const MUTATION_EXCLUDED_TESTS = [
  'test/e2e/**',
  'test/integration/**',
  'test/issues/dashboard.test.ts',
  'test/evidence/evidence-pack.test.ts',
  'test/shard/shard-equivalence.test.ts',
  'test/collect/graph/message-rules-pace.test.ts',
  'test/report/report-schema.test.ts',
  'test/cli/shard-flag.test.ts',
  'test/collect/graph/graph-transport.test.ts',
  'test/simulator/faults.test.ts',
  'test/simulator/throttling.test.ts',
  'test/collect/dns/dns-client.test.ts',
  'test/collect/dns/bad-input-audit.test.ts',
  'test/report/console.test.ts',
  'test/issues/pin-dashboard.test.ts',
  // Audits the whole demo tenant through the CLI once per case: an end-to-end run.
  'test/policy/exceptions-lifecycle.test.ts',
  // These audit the whole demo tenant in a beforeAll hook, outside any test. Stryker then sees every
  // check reached outside a test (a "static" mutant) and re-runs the whole suite in a fresh
  // process for each of them: two minutes a mutant instead of a second.
  'test/cli/input-cases.test.ts',
  'test/cli/replay-verification.test.ts',
  'test/report/merge-reports.test.ts',
  'test/snapshot/corrupt-corpus.test.ts',
  // Each of these takes one to thirteen seconds a test: whole pipeline or CLI runs, timers, npm
  // pack. Every mutant they reach would wait on them, and a surviving mutant on all of them.
  'test/run/incremental/pipeline.test.ts',
  'test/run/incremental/equivalence.test.ts',
  'test/accept/accept-comment.test.ts',
  'test/release/npm-package.test.ts',
  'test/issues/sync.test.ts',
  'test/issues/tenant-scope.test.ts',
  'test/cli/redact-key.test.ts',
  'test/cli/node-gate.test.ts',
  'test/meta/sources.test.ts',
  'test/action/incremental-action.test.ts',
];

const merged = mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [...MUTATION_EXCLUDED_TESTS, 'node_modules/**'],
      // One worker reused across files: each mutant re-runs a few files, and a fresh process per file costs more than the tests.
      isolate: false,
    },
  }),
);
// mergeConfig concatenates arrays, which kept the base JSON reporter writing a results file after
// every mutant; Stryker reads results through its own reporter, so a quiet one is enough.
merged.test = { ...merged.test, reporters: ['dot'], outputFile: undefined };

export default merged;
