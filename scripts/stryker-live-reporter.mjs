// A Stryker reporter that appends each mutant's result to reports/mutation/<run>.live.jsonl as soon
// as it is tested. Stryker writes its JSON report and incremental file only at the end (or on
// Ctrl-C), and a run of src/checks takes hours on two cores: with this file, survivors can be
// studied and killed while the run goes on. It also writes reports/mutation/<run>.plan.json when the
// run's plan is ready: how many mutants the run has in all, so that a run stopped part-way still
// gives a lower bound of its score (every mutant not tested counted as survived).
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

class LiveReporter {
  file = `reports/mutation/${process.env.MUTATE_NAME ?? 'mutation'}.live.jsonl`;

  constructor() {
    mkdirSync('reports/mutation', { recursive: true });
    writeFileSync(this.file, '');
  }

  onMutationTestingPlanReady({ mutantPlans }) {
    const plan = { at: new Date().toISOString(), total: mutantPlans.length, toRun: 0, early: {} };
    for (const { plan: kind, mutant } of mutantPlans) {
      if (kind === 'Run') plan.toRun++;
      else plan.early[mutant.status] = (plan.early[mutant.status] ?? 0) + 1;
    }
    writeFileSync(this.file.replace(/\.live\.jsonl$/, '.plan.json'), `${JSON.stringify(plan, null, 2)}\n`);
  }

  onMutantTested(result) {
    const { fileName, mutatorName, replacement, location, status, statusReason } = result;
    const line = {
      file: relative(process.cwd(), fileName),
      line: location.start.line,
      mutator: mutatorName,
      replacement,
      status,
    };
    if (status === 'Survived' || status === 'NoCoverage') line.reason = statusReason;
    appendFileSync(this.file, `${JSON.stringify(line)}\n`);
  }
}

// What declareClassPlugin(PluginKind.Reporter, …) of @stryker-mutator/api returns, without importing
// a package that is only a dependency of a dependency.
export const strykerPlugins = [{ kind: 'Reporter', name: 'live', injectableClass: LiveReporter }];
