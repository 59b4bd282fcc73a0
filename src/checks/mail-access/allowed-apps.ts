import type { ControlParams } from '../../controls/params.js';
import { isJsonObject, type JsonObject } from '../../model/json.js';

/** One app the policy allows, with the reason and approver an auditor reads. */
export interface AllowedApp {
  readonly appId: string;
  readonly reason: string;
  readonly approver: string;
}

/** The `allowedApps` parameter, by lower-case appId (the policy schema has checked its shape). */
export function allowedApps(params: ControlParams): ReadonlyMap<string, AllowedApp> {
  const raw = params.raw('allowedApps');
  const out = new Map<string, AllowedApp>();
  if (!Array.isArray(raw)) throw new Error('parameter allowedApps is not a list');
  for (const entry of raw) {
    if (!isJsonObject(entry)) throw new Error('an allowedApps entry is not an object');
    const { appId, reason, approver } = entry;
    if (typeof appId !== 'string' || typeof reason !== 'string' || typeof approver !== 'string')
      throw new Error('an allowedApps entry lacks appId, reason or approver');
    out.set(appId.toLowerCase(), { appId, reason, approver });
  }
  return out;
}

export function allowedEvidence(app: AllowedApp): JsonObject {
  return { appId: app.appId, reason: app.reason, approver: app.approver };
}
