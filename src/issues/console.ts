import type { SyncOutcome } from './sync.js';

/** The issues stage on the terminal: one line per operation, then the totals. */
export function renderIssuesConsole(sync: SyncOutcome): string {
  const lines: string[] = [];
  for (const a of sync.outcome.applied) {
    const where = a.number !== undefined ? `#${a.number}` : 'new';
    lines.push(
      `${a.status === 'dry-run' ? 'would ' : ''}${a.operation.kind.padEnd(6)} ${where.padEnd(6)} ${a.operation.subject.title}${a.status === 'failed' ? ` (failed: ${a.error ?? ''})` : a.status === 'skipped' ? ' (skipped)' : ''}`,
    );
  }
  if (sync.pin?.status === 'would-pin') lines.push('would pin   the dashboard');
  else if (sync.pin?.status === 'pinned') lines.push('pinned      the dashboard');
  for (const n of sync.plan.notRechecked) lines.push(`not re-checked #${n.number} ${n.subject.title} (${n.why})`);
  for (const k of sync.plan.keptClosed)
    lines.push(`kept closed #${k.number} ${k.subject.title} (closed by hand twice)`);
  lines.push(
    `GitHub issues: ${sync.opened} opened, ${sync.updated} updated, ${sync.closed} closed, ${sync.outcome.failures.length} failed` +
      `${sync.plan.overflow > 0 ? `, ${sync.plan.overflow} in the rollup` : ''}${sync.redacted ? ' (redacted)' : ''}`,
  );
  return lines.join('\n');
}
