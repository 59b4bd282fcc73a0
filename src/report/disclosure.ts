import path from 'node:path';
import { findControl } from '../controls/catalog.js';
import type { Logger } from '../logger.js';
import type { Result } from '../model/result.js';
import { BASELINE_POLICY_PATH, POLICY_IN_REPOSITORY } from '../paths.js';
import type { SourceStatus } from '../snapshot/source-status.js';
import { affectedObjects } from './affected-objects.js';
import { NO_REDACTION, type Redactor, redactor } from './redact.js';
import type { Report } from './report.js';

/*
 * The one redaction step. Everything that leaves the runner (issue bodies and comments, the
 * dashboard, the job summary, SARIF, the step log) is rendered from a PublicReport, and a
 * PublicReport is made only here, so a new output cannot forget redaction: its renderer takes a
 * PublicReport, and a Report does not type-check in its place. The log goes through the same
 * step (`logger`). The JSON evidence report and the evidence pack stay complete: they are for
 * the organisation, and redacting them is a separate, explicit choice (`--redact-evidence`).
 */

/** Whether this run redacts, and why; `redact` is decided once, before anything is written. */
export interface DisclosureDecision {
  readonly redact: boolean;
  /** For the log and the job summary: `redact: always`, `public repository`, `visibility unknown`, … */
  readonly why: string;
}

/** Proof that a report went through the step (a class with a private field cannot be forged by an object literal). */
class Shown {
  readonly #step = true;
  constructor(
    readonly redacted: boolean,
    readonly why: string,
  ) {}
  get step(): boolean {
    return this.#step;
  }
}

/** A result as it may be shown, with what the issues need to know of the result before redaction. */
export interface ShownResult extends Result {
  /** Hashes of the affected objects, from the evidence before redaction (issue state marker). */
  readonly affected: readonly string[];
  /** The target is shown as judged (no pseudonym in it), so it can be named in a policy exception. */
  readonly targetInClear: boolean;
}

/** The results document every public output is rendered from. */
export interface PublicReport extends Omit<Report, 'results' | 'policy'> {
  readonly results: readonly ShownResult[];
  readonly policy: Report['policy'] & {
    /** The bundled baseline was used: `path` is then where `mailwarden init` puts a copy. */
    readonly bundled: boolean;
  };
  readonly shown: Shown;
}

export interface Disclosure {
  /** True until decided (fail safe), then the decision. */
  readonly redacting: boolean;
  readonly decision: DisclosureDecision | undefined;
  /** Decides once; `key` keys the pseudonyms (MAILWARDEN_REDACT_KEY, else the tenant ID). */
  decide(decision: DisclosureDecision, key: string): void;
  /** Sets the key of the pseudonyms, once the tenant is known. */
  rekey(key: string): void;
  text(value: string): string;
  /** The step log: every line through `text`. */
  logger(base: Logger): Logger;
  /** The public view of a report. `workspace` makes the policy path repository-relative. */
  show(report: Report, options?: { readonly workspace?: string }): PublicReport;
}

/** A policy path as the repository knows it: relative to the workspace, or where `init` puts the bundled one. */
function shownPolicyPath(policyPath: string, workspace: string | undefined): { path: string; bundled: boolean } {
  if (path.resolve(policyPath) === path.resolve(BASELINE_POLICY_PATH))
    return { path: POLICY_IN_REPOSITORY, bundled: true };
  const base = workspace ?? process.cwd();
  const relative = path.relative(base, path.resolve(base, policyPath));
  if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative))
    return { path: relative.split(path.sep).join('/'), bundled: false };
  return { path: path.basename(policyPath), bundled: false };
}

/** A DNS-only control reads public DNS answers: its results name no person (a DMARC `rua` is policy). */
function readsOnlyPublicData(control: string): boolean {
  const sources = findControl(control)?.sources ?? [];
  return sources.length > 0 && sources.every((s) => s === 'dns');
}

function shownStatus(status: SourceStatus, text: (s: string) => string): SourceStatus {
  return 'reason' in status ? { ...status, reason: text(status.reason) } : status;
}

/** The step, undecided: it redacts (with addresses and IPs only) until `decide` says otherwise. */
export function createDisclosure(initial?: {
  readonly decision: DisclosureDecision;
  readonly key: string;
}): Disclosure {
  let decision: DisclosureDecision | undefined;
  let key = 'mailwarden';
  let active: Redactor = redactor(key);
  const step: Disclosure = {
    get redacting() {
      return decision?.redact ?? true;
    },
    get decision() {
      return decision;
    },
    decide(next, nextKey) {
      decision = next;
      key = nextKey;
      active = next.redact ? redactor(key) : NO_REDACTION;
    },
    rekey(nextKey) {
      if (nextKey === key) return;
      key = nextKey;
      if (decision?.redact !== false) active = redactor(key);
    },
    text: (value) => active.text(value),
    logger(base) {
      return {
        debug: (m) => base.debug(active.text(m)),
        info: (m) => base.info(active.text(m)),
        warning: (m) => base.warning(active.text(m)),
        error: (m) => base.error(active.text(m)),
        secret: (value) => base.secret(value),
        stage: (title) => base.stage?.(title),
      };
    },
    show(report, options = {}) {
      // Names are learned from every result first, so a name is replaced in every sentence.
      if (active.enabled) for (const r of report.results) if (!readsOnlyPublicData(r.control)) active.learn(r.evidence);
      const results = report.results.map((r): ShownResult => {
        // Domains are public and judged by DNS-only runs too, which know no tenant key: a fixed key
        // keeps their hashes the same in both kinds of run.
        const affected = affectedObjects(r.control, r.evidence, readsOnlyPublicData(r.control) ? 'public' : key);
        if (!active.enabled || readsOnlyPublicData(r.control)) return { ...r, affected, targetInClear: true };
        const target = active.text(r.target);
        return {
          ...r,
          target,
          message: active.text(r.message),
          evidence: active.json(r.evidence),
          affected,
          targetInClear: target === r.target,
        };
      });
      const sources = Object.fromEntries(
        Object.entries(report.snapshot.sources).map(([id, status]) => [id, status && shownStatus(status, active.text)]),
      );
      const policy = shownPolicyPath(report.policy.path, options.workspace);
      return {
        ...report,
        policy: { ...report.policy, path: policy.path, bundled: policy.bundled },
        snapshot: { ...report.snapshot, sources },
        controls: report.controls.map((c) => ('reason' in c ? { ...c, reason: active.text(c.reason) } : c)),
        results,
        shown: new Shown(active.enabled, decision?.why ?? 'undecided'),
      };
    },
  };
  if (initial) step.decide(initial.decision, initial.key);
  return step;
}
