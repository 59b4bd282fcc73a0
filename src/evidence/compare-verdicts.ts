import { isDeepStrictEqual } from 'node:util';
import type { Evaluation } from '../evaluate/evaluation.js';
import type { Result } from '../model/result.js';
import { summarise, type Report } from '../report/report.js';

/** JSON round trip, so values compare as they are stored (undefined members dropped). */
function stored<T>(value: T): unknown {
  const text = JSON.stringify(value) as string | undefined;
  return text === undefined ? undefined : (JSON.parse(text) as unknown);
}

function resultKey(r: Pick<Result, 'control' | 'target'>): string {
  return `${r.control} on "${r.target}"`;
}

function byKey(results: readonly Result[]): Map<string, Result[]> {
  const map = new Map<string, Result[]>();
  for (const r of results) {
    const list = map.get(resultKey(r)) ?? [];
    list.push(r);
    map.set(resultKey(r), list);
  }
  return map;
}

const RESULT_FIELDS = [
  'status',
  'severity',
  'fingerprint',
  'controlVersion',
  'exception',
  'message',
  'evidence',
  'area',
  'title',
] as const;

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? 'absent';
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * Compares the verdicts a report records with a fresh evaluation of the same snapshot and
 * policy. Every difference is one line naming the control, the target and the field.
 */
export function compareVerdicts(report: Report, fresh: Evaluation): string[] {
  const problems: string[] = [];
  const recorded = byKey(report.results);
  const reproduced = byKey(fresh.results);
  for (const [key, list] of recorded) {
    const again = reproduced.get(key) ?? [];
    list.forEach((r, index) => {
      const other = again[index];
      if (!other) {
        problems.push(`report.json: result ${key} is not produced by re-evaluation`);
        return;
      }
      for (const field of RESULT_FIELDS) {
        const a = stored(r[field]);
        const b = stored(other[field]);
        if (!isDeepStrictEqual(a, b)) {
          problems.push(
            `report.json: result ${key}: ${field} is ${describe(a)} in the report, ${describe(b)} on re-evaluation`,
          );
        }
      }
    });
    if (again.length > list.length)
      problems.push(`report.json: result ${key} appears ${again.length - list.length} more time(s) on re-evaluation`);
  }
  for (const key of reproduced.keys()) {
    if (!recorded.has(key)) problems.push(`report.json: result ${key} is missing from the report`);
  }
  if (!isDeepStrictEqual(stored(report.controls), stored(fresh.controls))) {
    problems.push('report.json: the per-control outcomes (controls) differ from re-evaluation');
  }
  const strip = (list: readonly object[]) => stored(list.map((e) => ({ ...e, pointer: undefined })));
  if (!isDeepStrictEqual(strip(report.exceptions.applied), strip(fresh.exceptionsApplied))) {
    problems.push('report.json: the exceptions applied differ from re-evaluation');
  }
  if (!isDeepStrictEqual(strip(report.exceptions.unused), strip(fresh.unusedExceptions))) {
    problems.push('report.json: the unused exceptions differ from re-evaluation');
  }
  if (!isDeepStrictEqual(stored(report.summary), stored(summarise(fresh.results)))) {
    problems.push('report.json: the summary counts differ from re-evaluation');
  }
  return problems;
}
