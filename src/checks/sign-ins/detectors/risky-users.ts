import type { Finding } from '../../../model/finding.js';
import { TENANT_TARGET } from '../../../model/finding.js';
import type { JsonObject } from '../../../model/json.js';
import type { RiskDetection, RiskyUser } from '../../../snapshot/graph-types.js';
import type { CheckInput } from '../../check.js';
import { ROW_CAP } from '../evidence-rows.js';
import { parseGraphTime } from '../sign-in-event.js';
import { windowOf } from '../detector-fold.js';

/** Risk levels in ascending order (learn.microsoft.com/graph/api/resources/riskyuser, riskLevel). */
export const RISK_LEVELS = ['low', 'medium', 'high'] as const;

const FLAGGED_STATES = new Set(['atrisk', 'confirmedcompromised']);

function rank(level: string | null | undefined): number {
  return RISK_LEVELS.indexOf((level ?? '').toLowerCase() as (typeof RISK_LEVELS)[number]);
}

function userKey(upn: string | null | undefined, id: string | null | undefined): string {
  return (upn ?? id ?? '').toLowerCase();
}

function detectionJson(d: RiskDetection): JsonObject {
  return {
    id: d.id,
    riskEventType: d.riskEventType ?? null,
    riskLevel: d.riskLevel ?? null,
    riskState: d.riskState ?? null,
    detectedDateTime: d.detectedDateTime ?? null,
    ipAddress: d.ipAddress ?? null,
    country: d.location?.countryOrRegion ?? null,
    city: d.location?.city ?? null,
  };
}

/**
 * `sign-ins.risky-users`: users Identity Protection holds at risk (or confirmed compromised)
 * at or above the policy's level, with the high-risk detections of the window as evidence.
 * A `hidden` level (the tenant lacks P2 detail) is treated as meeting the level: fail closed.
 */
export function riskyUsers({ snapshot, params, context }: CheckInput): readonly Finding[] {
  const minLevel = params.string('minRiskLevel');
  const window = windowOf({ snapshot, params, context });
  const users: readonly RiskyUser[] = snapshot.data('graph.riskyUsers');
  const detections: readonly RiskDetection[] = snapshot.data('graph.riskDetections');

  const highByUser = new Map<string, RiskDetection[]>();
  let highInWindow = 0;
  for (const d of detections) {
    if ((d.riskLevel ?? '').toLowerCase() !== 'high') continue;
    const time = parseGraphTime(d.detectedDateTime);
    if (time === undefined || time < window.start || time > window.end) continue;
    highInWindow++;
    for (const key of new Set([userKey(d.userPrincipalName, d.userId), (d.userId ?? '').toLowerCase()])) {
      if (key === '') continue;
      const list = highByUser.get(key) ?? [];
      list.push(d);
      highByUser.set(key, list);
    }
  }

  const findings: Finding[] = [];
  for (const user of users) {
    const state = (user.riskState ?? '').toLowerCase();
    if (!FLAGGED_STATES.has(state)) continue;
    const hidden = (user.riskLevel ?? '').toLowerCase() === 'hidden';
    if (!hidden && rank(user.riskLevel) < rank(minLevel)) continue;
    const target = userKey(user.userPrincipalName, user.id);
    // A detection may name the user by UPN, by object ID or both: the user's are those under either key.
    const own = new Set([...(highByUser.get(target) ?? []), ...(highByUser.get(user.id.toLowerCase()) ?? [])]);
    const sorted = [...own].sort((a, b) => ((a.detectedDateTime ?? '') < (b.detectedDateTime ?? '') ? -1 : 1));
    findings.push({
      target,
      status: 'fail',
      ...(state === 'confirmedcompromised' ? { severity: 'critical' as const } : {}),
      message: `Identity Protection rates this user ${user.riskState} with ${hidden ? 'a hidden' : user.riskLevel} risk.`,
      evidence: {
        user: target,
        userId: user.id,
        riskLevel: user.riskLevel,
        riskState: user.riskState,
        riskDetail: user.riskDetail ?? null,
        riskLastUpdatedDateTime: user.riskLastUpdatedDateTime ?? null,
        minRiskLevel: minLevel,
        highRiskDetections: { items: sorted.slice(0, ROW_CAP).map(detectionJson), total: sorted.length },
      },
    });
  }
  if (findings.length > 0) return findings;
  return [
    {
      target: TENANT_TARGET,
      status: 'pass',
      // Zero is a true answer here: a tenant may have no user at risk. The pass says what it read.
      message: `No user is at risk at level ${minLevel} or above among ${users.length} users Identity Protection lists, with ${highInWindow} high-risk detections from ${new Date(window.start).toISOString()} to ${new Date(window.end).toISOString()}.`,
      evidence: {
        minRiskLevel: minLevel,
        riskyUsersRead: users.length,
        highRiskDetectionsInWindow: highInWindow,
        window: { start: new Date(window.start).toISOString(), end: new Date(window.end).toISOString() },
      },
    },
  ];
}
