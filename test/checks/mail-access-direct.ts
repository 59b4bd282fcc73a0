import type { CheckInput } from '../../src/checks/check.js';
import { ControlParams } from '../../src/controls/params.js';
import type { JsonObject } from '../../src/model/json.js';
import { memorySnapshot } from '../../src/snapshot/snapshot.js';
import type { SourceId } from '../../src/snapshot/source-id.js';
import type { SourceStatus } from '../../src/snapshot/source-status.js';
import { type MailAccessTenant, MAILWARDEN, manifestFor, NOW, policyFor, TENANT_ID } from './mail-access-tenant.js';

/*
 * The input a mailbox-access check receives, built by hand so a test calls the pure check
 * function directly and reads its findings before evaluation adds anything (no policy severity,
 * no exceptions). Every source of `tenant` is `ok` unless `statuses` says otherwise; a source
 * left out of `tenant` (and of `statuses`) was not collected.
 */

export interface DirectOptions {
  readonly params: JsonObject;
  readonly statuses?: Partial<Record<SourceId, SourceStatus>>;
  readonly clientId?: string | null;
  readonly tenantId?: string | null;
  readonly shard?: { readonly index: number; readonly count: number };
  /** The run's "now"; the capture time of the golden tenant unless a test runs at the real clock. */
  readonly now?: Date;
}

export function directInput(tenant: Partial<MailAccessTenant>, options: DirectOptions): CheckInput {
  const statuses = options.statuses ?? {};
  const clientId = options.clientId === undefined ? MAILWARDEN.appId : options.clientId;
  const data: Record<string, unknown> = {};
  for (const [id, value] of Object.entries(tenant)) {
    const status = statuses[id as SourceId];
    if (status === undefined || status.status === 'ok') data[id] = value;
  }
  const manifest = manifestFor(tenant, statuses, clientId);
  return {
    snapshot: memorySnapshot(options.shard ? { ...manifest, shard: options.shard } : manifest, data),
    params: new ControlParams(options.params),
    context: {
      now: options.now ?? NOW,
      tenantId: options.tenantId === undefined ? TENANT_ID : options.tenantId,
      cloud: 'global',
      clientId,
      policy: policyFor(['apps.mail-access', 'mailbox.delegation', 'apps.user-consent']),
      domains: [],
      exceptions: [],
    },
  };
}
