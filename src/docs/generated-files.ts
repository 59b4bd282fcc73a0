import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CONTROLS } from '../controls/catalog.js';
import { renderCatalogMarkdown } from '../controls/render-catalog.js';
import { buildPolicySchema } from '../policy/policy-schema.js';
import { updateReadme } from './action-docs.js';
import { updatePermissions } from './permissions-docs.js';
import { updateSnapshotFormat } from './snapshot-docs.js';
import {
  CONTROL_MIGRATIONS_FILE,
  CONTROL_VERSIONS_FILE,
  parseControlLock,
  renderControlLock,
  updateControlLock,
  type LockUpdate,
} from '../controls/control-versions.js';

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The control-version lock as `npm run gen` would write it, and the rules the catalog breaks. */
export async function controlLockUpdate(root: string): Promise<LockUpdate> {
  const committed = parseControlLock(await readOptional(path.join(root, CONTROL_VERSIONS_FILE)));
  const migrations = (await readOptional(path.join(root, CONTROL_MIGRATIONS_FILE))) ?? '';
  return updateControlLock(committed, CONTROLS, migrations);
}

/**
 * Files in the repository that are generated from code: `npm run gen` writes them, and a
 * test fails when a committed copy is stale.
 */
export async function generatedFiles(root: string): Promise<Record<string, string>> {
  const readme = await readFile(path.join(root, 'README.md'), 'utf8');
  const actionYaml = await readFile(path.join(root, 'action.yml'), 'utf8');
  const snapshotFormat = await readFile(path.join(root, 'docs/snapshot-format.md'), 'utf8');
  return {
    'policies/policy.schema.json': `${JSON.stringify(buildPolicySchema(CONTROLS), null, 2)}\n`,
    'docs/controls.md': renderCatalogMarkdown(CONTROLS),
    'docs/snapshot-format.md': updateSnapshotFormat(snapshotFormat),
    'README.md': updatePermissions(updateReadme(readme, actionYaml), CONTROLS),
    [CONTROL_VERSIONS_FILE]: renderControlLock((await controlLockUpdate(root)).lock),
  };
}
