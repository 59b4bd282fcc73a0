import type { Finding } from '../model/finding.js';
import { TENANT_TARGET } from '../model/finding.js';
import type { JsonObject } from '../model/json.js';

/**
 * The finding of a check whose collection came back empty where a tenant cannot have none: users,
 * mailboxes, the default outbound spam policy and remote domain, its initial domain. An empty
 * list there is a collection fault (a filter, a permission scoped to nothing, a paging bug), never
 * a clean tenant, so the control concludes nothing: `error`, naming what was empty and why it
 * cannot be.
 */
export function nothingRead(what: string, why: string, evidence: JsonObject = {}): Finding {
  return {
    target: TENANT_TARGET,
    status: 'error',
    message: `${what}, but ${why}: an empty list here is a collection fault, not a clean tenant, so nothing is concluded.`,
    evidence: { ...evidence, empty: true },
  };
}
