import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError } from '../errors.js';
import { evaluate } from '../evaluate/evaluate.js';
import type { Logger } from '../logger.js';
import type { Policy } from '../policy/policy.js';
import { buildReport, type Report } from '../report/report.js';
import { readSnapshotFolder } from '../snapshot/read-folder.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { recordStreamFailures } from '../snapshot/manifest.js';
import { writeSnapshotFolder } from '../snapshot/write-folder.js';
import { CHECKSUM_FILE, writeChecksums } from './checksums.js';
import { keptIdentifiers, redactSnapshot, Redactor } from './redact-snapshot.js';

/** The files of an evidence pack; `verify-evidence` reads the same names. */
export const PACK = {
  report: 'report.json',
  policy: 'policy.json',
  snapshot: 'snapshot',
  checksums: CHECKSUM_FILE,
} as const;

/** `--evidence-dir` / the `evidence-dir` input. */
export interface EvidenceSettings {
  readonly dir: string;
  /** Pseudonymise people in the snapshot (and so in the pack's report). */
  readonly redact: boolean;
  /** A fixed redaction key; without one each run uses a fresh random key. */
  readonly redactionKey: string | undefined;
}

export interface WriteEvidenceInput {
  readonly settings: EvidenceSettings;
  /** The run's report; it is the pack's report unless the snapshot is redacted. */
  readonly report: Report;
  readonly policy: Policy;
  /** A snapshot that can be read again (streams replayable), as read back from a folder. */
  readonly snapshot: Snapshot;
  readonly logger: Logger;
  /** The run's clock, for reading the packed snapshot back. */
  readonly now: Date;
}

/** The pack's report and the controls whose verdicts redaction changed (ideally none). */
export interface EvidenceOutcome {
  readonly report: Report;
  readonly redactionChanged: readonly string[];
}

/** Only a previous pack may be overwritten, never a folder holding other files. */
async function prepare(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const known = new Set<string>(Object.values(PACK));
  const others = (await readdir(dir)).filter((name) => !known.has(name));
  if (others.length > 0) {
    throw new ConfigurationError(
      `${dir}: the evidence folder holds other files (${others.slice(0, 3).join(', ')}); use an empty or new folder`,
    );
  }
  for (const name of Object.values(PACK)) await rm(path.join(dir, name), { recursive: true, force: true });
}

/** Per control, how many results of each status: what redaction must not change. */
function verdictCounts(report: Report): Map<string, string> {
  const counts = new Map<string, Record<string, number>>();
  for (const r of report.results) {
    const c = counts.get(r.control) ?? {};
    c[r.status] = (c[r.status] ?? 0) + 1;
    counts.set(r.control, c);
  }
  return new Map([...counts].map(([id, c]) => [id, JSON.stringify(Object.entries(c).sort())]));
}

/**
 * Writes the evidence pack: report.json, a byte-exact copy of the policy, the snapshot (redacted
 * if configured) and SHA256SUMS over all of them. With redaction the pack's report is the
 * evaluation of the redacted snapshot, so `verify-evidence` reproduces it without the key;
 * verdicts that redaction changed are reported, never hidden.
 */
export async function writeEvidencePack(input: WriteEvidenceInput): Promise<EvidenceOutcome> {
  const { settings, policy, snapshot, logger } = input;
  await prepare(settings.dir);
  // Byte-exact: the report names the sha256 of the file as it was read.
  await writeFile(path.join(settings.dir, PACK.policy), policy.bytes);
  const snapshotDir = path.join(settings.dir, PACK.snapshot);

  let report: Report;
  let redactionChanged: string[] = [];
  if (settings.redact) {
    const keep = keptIdentifiers(policy.exceptions.map((e) => e.target));
    const redactor = new Redactor({ key: settings.redactionKey ?? randomBytes(32).toString('hex'), keep });
    await writeSnapshotFolder(snapshotDir, redactSnapshot(snapshot, redactor));
    const packed = await readSnapshotFolder(snapshotDir, { now: input.now });
    const evaluation = await evaluate(packed, policy, {
      now: new Date(packed.manifest.capturedAt),
      only: input.report.run.only,
      domains: packed.manifest.domains ?? [],
    });
    report = {
      ...buildReport({
        tool: input.report.tool,
        run: input.report.run,
        policy,
        manifest: recordStreamFailures(packed.manifest, evaluation.streamFailures),
        evaluation,
      }),
      redaction: {
        method: 'keyed-hash-pseudonyms',
        key: settings.redactionKey === undefined ? 'per-run' : 'configured',
        pseudonymised: { ...redactor.counts },
        keptInClear: [...keep].sort(),
      },
    };
    const before = verdictCounts(input.report);
    const after = verdictCounts(report);
    redactionChanged = [...new Set([...before.keys(), ...after.keys()])].filter(
      (id) => before.get(id) !== after.get(id),
    );
    for (const id of redactionChanged) {
      logger.warning(`evidence: redaction changed the verdicts of ${id}; the pack reports the redacted verdicts`);
    }
  } else {
    const manifest = await writeSnapshotFolder(snapshotDir, snapshot);
    report = { ...input.report, snapshot: manifest };
  }
  await writeFile(path.join(settings.dir, PACK.report), `${JSON.stringify(report, null, 2)}\n`);
  await writeChecksums(settings.dir);
  logger.info(`Evidence pack written to ${settings.dir}${settings.redact ? ' (snapshot pseudonymised)' : ''}`);
  return { report, redactionChanged };
}
