import type { SourceCollectors } from '../live/source-collector.js';
import { identityCollectors } from './identity-collectors.js';
import { messageRulesCollector } from './message-rules-collector.js';
import { riskyUsersCollectors } from './risky-users-collector.js';

/** Graph source collectors, keyed by source ID. */
export const graphCollectors: SourceCollectors = {
  ...identityCollectors,
  ...riskyUsersCollectors,
  'graph.messageRules': messageRulesCollector(),
};
