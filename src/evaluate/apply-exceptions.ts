import type { Finding } from '../model/finding.js';
import { TENANT_TARGET } from '../model/finding.js';
import type { AppliedException, Result } from '../model/result.js';
import { maxSeverity } from '../model/severity.js';
import { exceptionExpired, exceptionKey } from '../policy/exceptions.js';
import type { Policy, PolicyException } from '../policy/policy.js';
import type { ControlOutcome, Evaluation } from './evaluation.js';
import { fingerprint } from './fingerprint.js';
import type { SelectedControl } from './selection.js';
import type { CoveredFindings, TargetCoverage } from './target-coverage.js';
import type { SourceId } from '../snapshot/source-id.js';

/**
 * How a control went as a whole: `error` when its check gave nothing, the status of a lone
 * tenant-level `error` or `not_evaluable` finding (a gate, or a check that could not judge),
 * else `evaluated`.
 */
function controlOutcome(
  control: string,
  findings: readonly Finding[],
  covered: { readonly coverage: TargetCoverage; readonly unread: readonly SourceId[] } | undefined,
): ControlOutcome {
  const only = findings.length === 1 && findings[0]?.target === TENANT_TARGET ? findings[0] : undefined;
  if (findings.length === 0) return { control, status: 'error', reason: 'the check returned no result' };
  if (only && (only.status === 'error' || only.status === 'not_evaluable') && covered?.coverage !== 'partial')
    return { control, status: only.status, reason: only.message };
  // A control whose coverage was never weighed is taken as partial: it closes nothing.
  const coverage = covered?.coverage ?? 'partial';
  const unread = covered?.unread ?? [];
  return { control, status: 'evaluated', coverage, ...(unread.length > 0 ? { unread: [...unread] } : {}) };
}

/**
 * Turns each control's findings into results: sorted by target, severity from the policy (or
 * the finding's own, if higher), fingerprinted, and with the policy's exceptions applied: a
 * `fail` an unexpired exception covers becomes `excepted`; an expired one is shown and lets it
 * fail. Also says how each control went as a whole, and which active exceptions matched nothing.
 */
export function applyExceptions(
  selected: readonly SelectedControl[],
  findingsByControl: ReadonlyMap<string, readonly Finding[]>,
  policy: Policy,
  context: {
    readonly now: Date;
    readonly tenantId: string | null;
    /** Per judged control, how much of its target set it saw (target-coverage.ts). */
    readonly coverage: CoveredFindings['coverage'];
  },
): Omit<Evaluation, 'streamFailures'> {
  const { tenantId, now } = context;
  const exceptionsByKey = new Map(policy.exceptions.map((e) => [exceptionKey(e.control, e.target), e]));
  const used = new Set<PolicyException>();
  const applied: (PolicyException & { expired: boolean })[] = [];
  const results: Result[] = [];
  const outcomes: ControlOutcome[] = [];

  for (const control of selected) {
    const { definition, settings } = control;
    const findings = findingsByControl.get(definition.id) ?? [];
    outcomes.push(controlOutcome(definition.id, findings, context.coverage.get(definition.id)));
    const sorted = [...findings].sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
    for (const finding of sorted) {
      for (const target of finding.honouredExceptions ?? []) {
        const exception = exceptionsByKey.get(exceptionKey(definition.id, target));
        if (exception) used.add(exception);
      }
      let status: Result['status'] = finding.status;
      let applies: AppliedException | undefined;
      const exception = exceptionsByKey.get(exceptionKey(definition.id, finding.target));
      if (exception && finding.status === 'fail') {
        const expired = exceptionExpired(exception, now);
        used.add(exception);
        applied.push({ ...exception, expired });
        applies = {
          reason: exception.reason,
          approvedBy: exception.approvedBy,
          expires: exception.expires,
          ...(exception.ticket !== undefined ? { ticket: exception.ticket } : {}),
          expired,
        };
        if (!expired) status = 'excepted';
      } else if (exception && finding.status === 'pass') {
        used.add(exception);
      }
      results.push({
        control: definition.id,
        controlVersion: definition.version,
        area: definition.area,
        title: definition.title,
        target: finding.target,
        status,
        severity: finding.severity ? maxSeverity(settings.severity, finding.severity) : settings.severity,
        message: finding.message,
        evidence: finding.evidence,
        // Domains are the same whoever audits them: a DNS-only run and a tenant run agree.
        fingerprint: fingerprint(definition.id, definition.targets.kind === 'domain' ? null : tenantId, finding.target),
        ...(applies ? { exception: applies } : {}),
      });
    }
  }
  const unusedExceptions = policy.exceptions.filter(
    (e) => !used.has(e) && !exceptionExpired(e, now) && selected.some((c) => c.definition.id === e.control),
  );
  return { results, controls: outcomes, exceptionsApplied: applied, unusedExceptions };
}
