import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../../src/docs/generated-files.js';

describe('generated files are up to date (run `npm run gen`)', async () => {
  const files = await generatedFiles(process.cwd());
  for (const [file, expected] of Object.entries(files)) {
    it(file, async () => {
      expect(await readFile(file, 'utf8')).toBe(expected);
    });
  }
});
