import { glob, readFile } from 'node:fs/promises';
import { ConfigurationError, errorMessage } from '../errors.js';
import { isJsonObject } from '../model/json.js';
import { parseLocatedJson } from '../json/json-locations.js';
import type { NamedReport } from './merge-reports.js';
import type { Report } from './report.js';

/** Reads one partial report; anything but a mailwarden JSON report is a clear error. */
export async function readReport(file: string): Promise<NamedReport> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error: unknown) {
    throw new ConfigurationError(`${file}: cannot read report (${errorMessage(error)})`);
  }
  const value = parseLocatedJson(text, file).value;
  if (
    !isJsonObject(value) ||
    !Array.isArray(value.results) ||
    !isJsonObject(value.snapshot) ||
    !isJsonObject(value.run)
  ) {
    throw new ConfigurationError(`${file}: not a mailwarden JSON report (needs run, snapshot and results)`);
  }
  return { file, report: value as unknown as Report };
}

/**
 * The files named, with glob patterns (`partial-*.json`, as the Action input takes them)
 * expanded in sorted order. A pattern that matches nothing is an error: a lost artifact must not
 * shrink the merge (merge-reports then names the missing shard).
 */
export async function expandReportPaths(entries: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const entry of entries) {
    if (!/[*?[{]/.test(entry)) {
      files.push(entry);
      continue;
    }
    const matched: string[] = [];
    for await (const file of glob(entry)) matched.push(file);
    if (matched.length === 0) throw new ConfigurationError(`merge-reports: no file matches "${entry}"`);
    files.push(...matched.sort());
  }
  return [...new Set(files)];
}
