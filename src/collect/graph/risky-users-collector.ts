import type { RiskyUser } from '../../snapshot/graph-types.js';
import type { SourceCollectors } from '../live/source-collector.js';
import { graphSource, readCollection } from './graph-source.js';
import { ShapeReader } from './shape.js';

/**
 * Identity Protection risky users. Reading it also proves (or disproves) Entra ID P2, which the
 * risk-policy control needs: without P2, Graph refuses it with a 403.
 */
export const RISKY_USERS_PATH =
  '/identityProtection/riskyUsers?$select=id,userPrincipalName,userDisplayName,riskLevel,riskState,riskDetail,riskLastUpdatedDateTime';

function readRiskyUser(r: ShapeReader, item: unknown, at: string): RiskyUser {
  const o = r.object(item, at);
  return {
    id: r.string(o.id, `${at}.id`),
    userPrincipalName: r.optionalString(o.userPrincipalName, `${at}.userPrincipalName`),
    userDisplayName: r.optionalString(o.userDisplayName, `${at}.userDisplayName`),
    // Evolvable enums (riskLevel, riskState, riskDetail): kept as given.
    riskLevel: r.string(o.riskLevel, `${at}.riskLevel`),
    riskState: r.string(o.riskState, `${at}.riskState`),
    riskDetail: r.optionalString(o.riskDetail, `${at}.riskDetail`),
    riskLastUpdatedDateTime: r.optionalString(o.riskLastUpdatedDateTime, `${at}.riskLastUpdatedDateTime`),
  };
}

const reader = new ShapeReader('/identityProtection/riskyUsers');

export const riskyUsersCollectors: SourceCollectors = {
  'graph.riskyUsers': graphSource(
    'graph.riskyUsers',
    (graph) => readCollection(graph, RISKY_USERS_PATH, (item, at) => readRiskyUser(reader, item, at)),
    (data) => data.length,
  ),
};
