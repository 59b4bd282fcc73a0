import { ConfigurationError } from './errors.js';
import { isSeverity, type FailOn } from './model/severity.js';
import type { Settings } from './settings.js';

/** How inputs are read; `core.getInput` in the Action, a map in tests. */
export type GetInput = (name: string) => string;

/** The Action's inputs, exactly as declared in action.yml. A test keeps the two in step. */
export const ACTION_INPUTS = ['policy', 'snapshot', 'fail-on', 'report-path'] as const;

function failOn(value: string): FailOn {
  const v = value.trim() || 'high';
  if (v === 'none' || isSeverity(v)) return v;
  throw new ConfigurationError(`Input "fail-on": expected none, low, medium, high or critical, got "${value}"`);
}

/**
 * Reads the Action inputs once into Settings. This is the only module that knows input names;
 * errors quote the input and the value so the workflow author can fix them.
 */
export function readInputs(getInput: GetInput, workspace: string): Settings {
  const snapshot = getInput('snapshot').trim();
  if (snapshot === '') {
    throw new ConfigurationError('Input "snapshot" is required until live tenant collection is configured');
  }
  const reportPath = getInput('report-path').trim() || `${workspace}/mailwarden-report.json`;
  return {
    policyPath: getInput('policy').trim() || undefined,
    target: { kind: 'snapshot', dir: snapshot },
    saveSnapshotDir: undefined,
    only: undefined,
    reportJsonPath: reportPath,
    summaryMarkdownPath: undefined,
    failOn: failOn(getInput('fail-on')),
    debug: false,
  };
}
