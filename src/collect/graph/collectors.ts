import type { SourceCollectors } from '../live/source-collector.js';
import { identityCollectors } from './identity-collectors.js';
import { mailFoldersCollector, messageRulesCollector } from './message-rules-collector.js';
import { signInCollectors } from './sign-in-collectors.js';

/** Graph source collectors, keyed by source ID. */
export const graphCollectors: SourceCollectors = {
  ...identityCollectors,
  'graph.messageRules': messageRulesCollector(),
  'graph.mailFolders': mailFoldersCollector(),
  ...signInCollectors,
};
