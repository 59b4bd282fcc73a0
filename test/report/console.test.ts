import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderConsole } from '../../src/report/console.js';
import type { Report } from '../../src/report/report.js';
import { shown } from '../issues/report-fixture.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

describe('console table', () => {
  it('uses colour only when asked (a TTY) and shows tenant control characters inert', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'r.json');
    await runCli(['audit', '--demo', '--report-json', file, '--fail-on', 'none']);
    const report = JSON.parse(await readFile(file, 'utf8')) as Report;
    const first = report.results[0]!;
    const hostile: Report = { ...report, results: [{ ...first, target: 'evil\u001b[2Jname' }] };
    expect(renderConsole(shown(hostile), false)).not.toContain('\u001b');
    expect(renderConsole(shown(hostile), true)).toContain('\u001b[');
    expect(renderConsole(shown(hostile), true)).not.toContain('\u001b[2J');
  });
});
