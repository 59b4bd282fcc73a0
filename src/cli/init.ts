import { lstat, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError, errorMessage } from '../errors.js';
import { BASELINE_POLICY_PATH, POLICY_IN_REPOSITORY, WORKFLOW_IN_REPOSITORY } from '../paths.js';
import { EXIT, type ExitCode } from '../run/exit-codes.js';
import { parse } from './args.js';
import { INIT_WORKFLOW } from './init-workflow.js';
import type { CliIo } from './io.js';

const INIT_OPTIONS = {
  dir: { type: 'string' },
  force: { type: 'boolean' },
} as const;

async function kind(file: string): Promise<'missing' | 'file' | 'directory' | 'other'> {
  try {
    const stat = await lstat(file);
    return stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other';
  } catch {
    return 'missing';
  }
}

/**
 * `mailwarden init [--dir DIR] [--force]`: writes a starter policy (the bundled baseline, byte for
 * byte, so SARIF lines and issue texts match it) and the example workflow into a repository.
 * Nothing is overwritten without `--force`; every refusal is one line and exit 2.
 */
export async function initCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values } = parse(args, INIT_OPTIONS, 0);
  const dir = values.dir ?? '.';
  const force = values.force === true;
  if ((await kind(dir)) !== 'directory') throw new ConfigurationError(`init: ${dir} is not a folder (--dir)`);
  const files = [
    { name: POLICY_IN_REPOSITORY, text: await readFile(BASELINE_POLICY_PATH, 'utf8') },
    { name: WORKFLOW_IN_REPOSITORY, text: INIT_WORKFLOW },
  ];
  // Check every file before writing any, so a refusal leaves the repository as it was.
  for (const file of files) {
    const target = path.join(dir, file.name);
    const found = await kind(target);
    if (found === 'file' && !force)
      throw new ConfigurationError(`init: ${target} exists; pass --force to overwrite it`);
    if (found !== 'file' && found !== 'missing')
      throw new ConfigurationError(`init: ${target} exists and is not a file; move it away first`);
  }
  for (const file of files) {
    const target = path.join(dir, file.name);
    try {
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, file.text);
    } catch (error: unknown) {
      throw new ConfigurationError(`init: cannot write ${target} (${errorMessage(error)})`);
    }
    io.stdout(`wrote ${target}\n`);
  }
  io.stdout(
    [
      '',
      'Next:',
      `  1. Review ${POLICY_IN_REPOSITORY}: enable what the organisation commits to, and say why (docs/controls.md).`,
      '  2. Set the repository variables M365_TENANT_ID and M365_CLIENT_ID, and give the app registration a',
      '     federated credential for this repository (README, "Connecting to a tenant").',
      `  3. Commit both files; ${WORKFLOW_IN_REPOSITORY} runs nightly and on demand (Actions > mailwarden > Run workflow).`,
      '',
    ].join('\n'),
  );
  return EXIT.done;
}
