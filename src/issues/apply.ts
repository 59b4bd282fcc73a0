import { errorMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Severity } from '../model/severity.js';
import { SEVERITIES } from '../model/severity.js';
import type { ExistingIssue } from './existing-issue.js';
import type { IssuesApi } from './github-api.js';
import { isRollup, parseFingerprint } from './marker.js';
import type { Operation, Plan } from './plan.js';
import { TOOL_LABEL } from './render.js';
import { writeRefusal } from './write-refusal.js';

/** The `error` of a write skipped because GitHub had refused an earlier one (write-refusal.ts). */
export const NOT_ATTEMPTED = 'not attempted: GitHub refused an earlier write';

/** What happened to one planned operation. */
export interface AppliedOperation {
  readonly operation: Operation;
  readonly status: 'done' | 'failed' | 'skipped' | 'dry-run';
  readonly number?: number;
  readonly htmlUrl?: string;
  readonly error?: string;
}

export interface ApplyOutcome {
  readonly applied: readonly AppliedOperation[];
  readonly labelsCreated: readonly string[];
  readonly failures: readonly string[];
  /** GitHub refused a write for lack of permission: the sync stopped there (write-refusal.ts). */
  readonly refused?: string;
}

export interface ApplyOptions {
  readonly dryRun: boolean;
  readonly logger: Logger;
  readonly now: () => Date;
  /** Issues listed at the start of the sync; the re-check before each create lists only newer changes. */
  readonly listedAt: Date;
  /** The issues this sync may consider (its tenant's, src/issues/tenant-scope.ts); default all. */
  readonly inScope?: (issue: ExistingIssue) => boolean;
}

const SEVERITY_COLOURS: Readonly<Record<Severity, string>> = {
  low: 'c5def5',
  medium: 'fbca04',
  high: 'd93f0b',
  critical: 'b60205',
};

function labelColour(name: string): { color: string; description: string } {
  if (name === TOOL_LABEL) return { color: '1d76db', description: 'Finding kept in step by mailwarden' };
  const severity = SEVERITIES.find((s) => name === `severity:${s}`);
  if (severity) return { color: SEVERITY_COLOURS[severity], description: `mailwarden finding severity: ${severity}` };
  if (name.startsWith('area:')) return { color: '0e8a16', description: `mailwarden audit area: ${name.slice(5)}` };
  if (name.startsWith('tenant:')) return { color: '5319e7', description: `mailwarden tenant: ${name.slice(7)}` };
  return { color: 'ededed', description: 'Added by mailwarden' };
}

const PAST = { create: 'opened', update: 'updated', close: 'closed', reopen: 'reopened' } as const;

function describe(op: Operation): string {
  const target = op.kind === 'create' ? 'new issue' : `#${op.number}`;
  return `${op.kind} ${target} (${op.subject.title})`;
}

/** How long before the listing a re-check looks back, to allow for clock skew between us and GitHub. */
const RECHECK_MARGIN_MS = 5 * 60_000;

/**
 * Applies a plan: labels first, then closes, updates and reopens, then creates. A failed write is
 * reported and the rest carry on; the next run converges, because every issue carries its marker.
 * A write refused for lack of permission stops the sync: no later write could succeed.
 */
export async function applyPlan(api: IssuesApi, plan: Plan, options: ApplyOptions): Promise<ApplyOutcome> {
  const { logger } = options;
  const applied: AppliedOperation[] = [];
  const failures: string[] = [];
  if (options.dryRun) {
    for (const op of plan.operations) {
      logger.info(`dry-run: would ${describe(op)}`);
      applied.push({ operation: op, status: 'dry-run', ...(op.kind !== 'create' ? { number: op.number } : {}) });
    }
    return { applied, labelsCreated: [], failures };
  }

  const labelsCreated: string[] = [];
  let refused: string | undefined;
  /** Notes a refusal (once); true when the error was one. */
  const refusedBy = (error: unknown): boolean => {
    const refusal = writeRefusal(error);
    if (refusal === undefined) return false;
    if (refused === undefined) {
      refused = refusal;
      logger.error(refusal);
    }
    return true;
  };
  const wanted = new Set<string>();
  for (const op of plan.operations) {
    if (op.kind === 'create' || op.kind === 'reopen') for (const l of op.labels) wanted.add(l);
    if (op.kind === 'update' && op.labels) for (const l of op.labels) wanted.add(l);
  }
  if (wanted.size > 0) {
    try {
      const have = new Set((await api.listLabels()).map((l) => l.toLowerCase()));
      for (const name of [...wanted].sort()) {
        if (have.has(name.toLowerCase())) continue;
        const { color, description } = labelColour(name);
        try {
          await api.createLabel(name, color, description);
          labelsCreated.push(name);
        } catch (error: unknown) {
          if (refusedBy(error)) break;
          failures.push(`create label "${name}": ${errorMessage(error)}`);
        }
      }
    } catch (error: unknown) {
      failures.push(`list labels: ${errorMessage(error)}`);
    }
  }

  // Progress, one line a write: a large first run takes minutes (GitHub asks for a pause between creates).
  const total = plan.operations.length;
  const record = (operation: Operation, result: Omit<AppliedOperation, 'operation'>) => {
    applied.push({ operation, ...result });
    const where = result.number !== undefined ? ` #${result.number}` : '';
    logger.info(
      `${applied.length}/${total} issues written: ${result.status === 'done' ? PAST[operation.kind] : result.status}${where} ${operation.subject.title}`,
    );
    if (result.status === 'failed') {
      const line = `${describe(operation)}: ${result.error ?? 'failed'}`;
      failures.push(line);
      logger.warning(`GitHub write failed, continuing: ${line}`);
    }
  };

  const stopped = () => {
    for (const op of plan.operations)
      if (!applied.some((a) => a.operation === op))
        applied.push({ operation: op, status: 'skipped', error: NOT_ATTEMPTED });
    return { applied, labelsCreated, failures, ...(refused !== undefined ? { refused } : {}) };
  };
  if (refused !== undefined) return stopped();

  for (const op of plan.operations) {
    if (op.kind === 'create') continue;
    try {
      let htmlUrl: string;
      switch (op.kind) {
        case 'update':
          htmlUrl = (
            await api.updateIssue(op.number, {
              ...(op.body !== undefined ? { body: op.body } : {}),
              ...(op.labels ? { labels: op.labels } : {}),
            })
          ).htmlUrl;
          if (op.comment) await api.createComment(op.number, op.comment);
          break;
        case 'close':
          // State first, then the comment: if the comment fails the issue is still closed, and a
          // rerun does not comment twice.
          htmlUrl = (await api.updateIssue(op.number, { state: 'closed', stateReason: op.stateReason, body: op.body }))
            .htmlUrl;
          await api.createComment(op.number, op.comment);
          break;
        case 'reopen':
          htmlUrl = (
            await api.updateIssue(op.number, {
              state: 'open',
              stateReason: 'reopened',
              body: op.body,
              labels: op.labels,
            })
          ).htmlUrl;
          await api.createComment(op.number, op.comment);
          break;
      }
      record(op, { status: 'done', number: op.number, htmlUrl });
    } catch (error: unknown) {
      if (refusedBy(error)) return stopped();
      record(op, { status: 'failed', number: op.number, error: errorMessage(error) });
    }
  }

  // Another run may have created some of these since we listed: look again, cheaply (only issues
  // updated since the listing), right before each create.
  let since = new Date(options.listedAt.getTime() - RECHECK_MARGIN_MS);
  const seen = new Set<string>();
  const keyOf = (issue: ExistingIssue) => (isRollup(issue.body) ? 'rollup' : parseFingerprint(issue.body));
  for (const op of plan.operations) {
    if (op.kind !== 'create') continue;
    try {
      const checkedAt = options.now();
      for (const issue of await api.listIssues(TOOL_LABEL, since.toISOString())) {
        // Another tenant's rollup is not ours: only issues in scope count.
        if (options.inScope && !options.inScope(issue)) continue;
        const key = keyOf(issue);
        if (key) seen.add(key);
      }
      since = new Date(checkedAt.getTime() - RECHECK_MARGIN_MS);
      if (seen.has(op.subject.fingerprint)) {
        logger.info(`skipped ${describe(op)}: another run created it meanwhile`);
        record(op, { status: 'skipped' });
        continue;
      }
      const created = await api.createIssue({ title: op.title, body: op.body, labels: op.labels });
      seen.add(op.subject.fingerprint);
      record(op, { status: 'done', number: created.number, htmlUrl: created.htmlUrl });
    } catch (error: unknown) {
      if (refusedBy(error)) return stopped();
      record(op, { status: 'failed', error: errorMessage(error) });
    }
  }
  return { applied, labelsCreated, failures };
}
