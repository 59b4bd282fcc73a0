import type { Finding } from '../model/finding.js';
import { TENANT_TARGET } from '../model/finding.js';
import type { JsonObject } from '../model/json.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { LICENCE_NAMES } from '../snapshot/source-status.js';
import type { SelectedControl } from './selection.js';

/** Why a control could not be judged, from the status of the sources it needs. */
export function sourceGate(snapshot: Snapshot, control: SelectedControl): Finding | undefined {
  for (const source of control.definition.sources) {
    const status = snapshot.status(source);
    if (status === undefined) {
      return gateFinding('error', `Source ${source} was not collected.`, { source });
    }
    switch (status.status) {
      case 'ok':
        continue;
      case 'failed':
        return gateFinding('error', `Source ${source} could not be read: ${status.reason}`, {
          source,
          reason: status.reason,
        });
      case 'not_licensed':
        return gateFinding('not_evaluable', `Needs ${LICENCE_NAMES[status.licence]} (source ${source}).`, {
          source,
          licence: status.licence,
          reason: status.reason,
        });
      case 'not_permitted':
        return gateFinding('not_evaluable', `Grant the permission ${status.permission} (source ${source}).`, {
          source,
          permission: status.permission,
          reason: status.reason,
        });
    }
  }
  return undefined;
}

/** A tenant-level `error` or `not_evaluable` finding: the control as a whole could not be judged. */
export function gateFinding(status: 'error' | 'not_evaluable', message: string, evidence: JsonObject): Finding {
  return { target: TENANT_TARGET, status, message, evidence };
}
