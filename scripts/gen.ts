import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { controlLockUpdate, generatedFiles } from '../src/docs/generated-files.js';

// Writes every generated file; `npm run gen` runs this through an esbuild bundle.
const root = process.cwd();
for (const [file, text] of Object.entries(await generatedFiles(root))) {
  await writeFile(path.join(root, file), text);
  console.log(`wrote ${file}`);
}

// A changed control statement without a version bump and a migration entry stops here.
const { problems } = await controlLockUpdate(root);
if (problems.length > 0) {
  for (const problem of problems) console.error(`control versions: ${problem}`);
  process.exitCode = 1;
}
