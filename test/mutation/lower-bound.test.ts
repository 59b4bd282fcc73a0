import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script of `npm run mutate`, without type declarations.
import { lowerBound } from '../../scripts/mutation-report.mjs';

interface Bound {
  detected: number;
  survived: number;
  noCoverage: number;
  ignored: number;
  untested: number;
  total: number;
  score: number;
}

/** A stopped run's two files: the plan (written first) and the results it saved (Stryker's schema). */
function stoppedRun(total: number, statuses: readonly string[], planAfterResults = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'mutation-bound-'));
  const plan = join(dir, 'part.plan.json');
  const progress = join(dir, 'part.incremental.json');
  writeFileSync(plan, JSON.stringify({ at: '2026-12-05T14:00:00Z', total, toRun: total, early: {} }));
  const mutants = statuses.map((status, n) => ({ id: String(n), status, mutatorName: 'StringLiteral' }));
  writeFileSync(progress, JSON.stringify({ files: { 'src/a.ts': { source: '', mutants } } }));
  const [older, newer] = planAfterResults ? [progress, plan] : [plan, progress];
  utimesSync(older, new Date('2026-12-05T14:00:00Z'), new Date('2026-12-05T14:00:00Z'));
  utimesSync(newer, new Date('2026-12-05T15:00:00Z'), new Date('2026-12-05T15:00:00Z'));
  return dir;
}

const bound = (dir: string): Bound | undefined => lowerBound('part', dir) as Bound | undefined;

describe('the lower bound of a run stopped part-way', () => {
  it('counts every mutant the run did not test as survived', () => {
    // 10 mutants: 6 killed (one by time-out), 1 survived, 1 without coverage, 1 ignored, 1 untested.
    const dir = stoppedRun(10, [
      'Killed',
      'Killed',
      'Killed',
      'Killed',
      'Killed',
      'Timeout',
      'Survived',
      'NoCoverage',
      'Ignored',
    ]);
    expect(bound(dir)).toMatchObject({ detected: 6, survived: 2, noCoverage: 1, ignored: 1, untested: 1, total: 10 });
    expect(bound(dir)?.score).toBeCloseTo((6 / 9) * 100, 10);
  });

  it('is the score itself when nothing is left untested', () => {
    const dir = stoppedRun(3, ['Killed', 'Survived', 'Ignored']);
    expect(bound(dir)).toMatchObject({ untested: 0, score: 50 });
  });

  it('is no bound when the plan is newer than the results, or counts fewer mutants than were saved', () => {
    expect(bound(stoppedRun(10, ['Killed'], true))).toBeUndefined();
    expect(bound(stoppedRun(1, ['Killed', 'Killed']))).toBeUndefined();
    expect(bound(mkdtempSync(join(tmpdir(), 'mutation-bound-')))).toBeUndefined();
  });
});
