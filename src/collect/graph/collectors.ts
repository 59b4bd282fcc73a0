import type { SourceCollectors } from '../live/source-collector.js';
import { appCollectors } from './app-collectors.js';
import { caNameCollectors } from './ca-name-collectors.js';
import { identityCollectors } from './identity-collectors.js';
import { mailFoldersCollector, messageRulesCollector } from './message-rules-collector.js';
import { signInCollectors } from './sign-in-collectors.js';

/** Graph source collectors, keyed by source ID. */
export const graphCollectors: SourceCollectors = {
  ...identityCollectors,
  ...appCollectors,
  ...caNameCollectors,
  'graph.messageRules': messageRulesCollector(),
  'graph.mailFolders': mailFoldersCollector(),
  ...signInCollectors,
};
