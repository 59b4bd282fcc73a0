import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { configurationError } from '../helpers/configuration-error.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { mergeReports, type NamedReport } from '../../src/report/merge-reports.js';
import type { Report } from '../../src/report/report.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

let demo: Report;

beforeAll(async () => {
  const dir = await tempDir();
  const file = path.join(dir, 'report.json');
  await runCli(['audit', '--demo', '--report-json', file, '--fail-on', 'none']);
  demo = JSON.parse(await readFile(file, 'utf8')) as Report;
});

/** Splits a real report into n partial reports the way shards would produce them. */
function split(report: Report, count: number): NamedReport[] {
  return Array.from({ length: count }, (_, i) => {
    const results = report.results.filter((_r, j) => j % count === i);
    return {
      file: `shard-${i + 1}.json`,
      report: { ...report, snapshot: { ...report.snapshot, shard: { index: i + 1, count } }, results },
    };
  });
}

describe('merge-reports', () => {
  it('reassembles the results and summary of the whole run', () => {
    const merged = mergeReports(split(demo, 3));
    expect(merged.results.map((r) => r.fingerprint).sort()).toEqual(demo.results.map((r) => r.fingerprint).sort());
    expect(merged.summary).toEqual(demo.summary);
    expect(merged.snapshot.shard).toBeUndefined();
  });

  it('refuses a missing shard, a duplicate, and reports from different runs', () => {
    const parts = split(demo, 3);
    expect(configurationError(() => mergeReports([parts[0]!, parts[2]!])).message).toContain('missing shard 2/3');
    expect(configurationError(() => mergeReports([parts[0]!, parts[1]!, parts[1]!])).message).toContain(
      'appears twice',
    );
    const otherPolicy = {
      ...parts[1]!,
      report: { ...parts[1]!.report, policy: { ...demo.policy, sha256: 'f'.repeat(64) } },
    };
    expect(configurationError(() => mergeReports([parts[0]!, otherPolicy, parts[2]!])).message).toContain(
      'policy sha256',
    );
    const otherTenant = { ...parts[1]!, report: { ...parts[1]!.report, run: { ...demo.run, tenantId: 'other' } } };
    expect(configurationError(() => mergeReports([parts[0]!, otherTenant, parts[2]!])).message).toContain('tenant');
    const otherTool = { ...parts[1]!, report: { ...parts[1]!.report, tool: { ...demo.tool, version: '9.9.9' } } };
    expect(configurationError(() => mergeReports([parts[0]!, otherTool, parts[2]!])).message).toContain('tool version');
  });

  it('runs from the CLI and names a missing shard', async () => {
    const dir = await tempDir();
    const files: string[] = [];
    for (const part of split(demo, 2)) {
      const file = path.join(dir, part.file);
      await writeFile(file, JSON.stringify(part.report));
      files.push(file);
    }
    const out = path.join(dir, 'merged.json');
    const ok = await runCli(['merge-reports', ...files, '--report-json', out, '--fail-on', 'none']);
    expect(ok.code).toBe(0);
    expect((JSON.parse(await readFile(out, 'utf8')) as Report).summary).toEqual(demo.summary);
    const partial = await runCli(['merge-reports', files[0]!]);
    expect(partial.code).toBe(2);
    expect(partial.stderr).toContain('missing shard 2/2');
  });
});
