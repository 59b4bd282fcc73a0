import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { POLICY_MAX_BYTES, readInputFile } from '../model/input-file.js';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ConfigurationError, errorMessage, isConfigurationError } from '../errors.js';
import { evaluate } from '../evaluate/evaluate.js';
import { isArea } from '../model/area.js';
import { isJsonObject } from '../model/json.js';
import { parsePolicy } from '../policy/parse-policy.js';
import type { Report } from '../report/report.js';
import { recordStreamFailures } from '../snapshot/manifest.js';
import { readSnapshotFolder } from '../snapshot/read-folder.js';
import { verifyChecksums } from './checksums.js';
import { compareVerdicts } from './compare-verdicts.js';
import { PACK } from './write-evidence.js';

export interface Verification {
  /** Every difference, one line each, naming the file (and the result or field). */
  readonly problems: readonly string[];
  /** How many recorded results were reproduced exactly (when re-evaluation ran). */
  readonly resultsChecked: number;
  readonly capturedAt?: string;
}

async function readReport(file: string): Promise<Report> {
  const value: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (
    !isJsonObject(value) ||
    !Array.isArray(value.results) ||
    !isJsonObject(value.snapshot) ||
    !isJsonObject(value.policy)
  ) {
    throw new Error('not a mailwarden JSON report (needs policy, snapshot and results)');
  }
  return value as unknown as Report;
}

/**
 * Verifies an evidence pack offline: first SHA256SUMS, then a re-evaluation of the pack's
 * snapshot under the pack's policy with the capture time as "now", which must reproduce every
 * verdict in report.json. Both steps always run, so every difference is named at once.
 */
export async function verifyEvidencePack(dir: string, clock: () => Date): Promise<Verification> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a folder');
  } catch (error: unknown) {
    throw new ConfigurationError(`${dir}: cannot open evidence pack (${errorMessage(error)})`);
  }
  const problems = [...(await verifyChecksums(dir))];

  let report: Report;
  try {
    report = await readReport(path.join(dir, PACK.report));
  } catch (error: unknown) {
    return { problems: [...problems, `${PACK.report}: cannot be read (${errorMessage(error)})`], resultsChecked: 0 };
  }
  let policyBytes: Buffer;
  try {
    policyBytes = await readInputFile(path.join(dir, PACK.policy), 'policy file', POLICY_MAX_BYTES);
  } catch (error: unknown) {
    return { problems: [...problems, `${PACK.policy}: cannot be read (${errorMessage(error)})`], resultsChecked: 0 };
  }
  const policySha = createHash('sha256').update(policyBytes).digest('hex');
  if (policySha !== report.policy.sha256) {
    problems.push(
      `${PACK.policy}: sha256 ${policySha} differs from the report's policy sha256 ${report.policy.sha256}`,
    );
  }

  try {
    const snapshot = await readSnapshotFolder(path.join(dir, PACK.snapshot), { now: clock() });
    const now = new Date(snapshot.manifest.capturedAt);
    const { policy } = parsePolicy(policyBytes, path.join(dir, PACK.policy), now);
    const only = report.run.only?.filter(isArea);
    const fresh = await evaluate(snapshot, policy, {
      now,
      ...(only ? { only } : {}),
      domains: snapshot.manifest.domains ?? [],
    });
    // The run's report marks a stream that failed while read as `failed`; so does this reading.
    const manifest = recordStreamFailures(snapshot.manifest, fresh.streamFailures);
    if (!isDeepStrictEqual(JSON.parse(JSON.stringify(manifest)), JSON.parse(JSON.stringify(report.snapshot)))) {
      problems.push(`${PACK.snapshot}/manifest.json: differs from the snapshot manifest recorded in ${PACK.report}`);
    }
    const differences = compareVerdicts(report, fresh);
    problems.push(...differences);
    return { problems, resultsChecked: report.results.length, capturedAt: snapshot.manifest.capturedAt };
  } catch (error: unknown) {
    // A corrupt snapshot file or policy is a finding about the pack, not a crash.
    if (!isConfigurationError(error)) throw error;
    problems.push(`re-evaluation failed: ${[error.message, ...error.details].join('; ')}`);
    return { problems, resultsChecked: 0 };
  }
}
