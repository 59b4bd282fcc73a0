// A Stryker reporter that appends each mutant's result to reports/mutation/<run>.live.jsonl as soon
// as it is tested. Stryker writes its JSON report and incremental file only at the end (or on
// Ctrl-C), and a run of src/checks takes hours on two cores: with this file, survivors can be
// studied and killed while the run goes on.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

class LiveReporter {
  file = `reports/mutation/${process.env.MUTATE_NAME ?? 'mutation'}.live.jsonl`;

  constructor() {
    mkdirSync('reports/mutation', { recursive: true });
    writeFileSync(this.file, '');
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
