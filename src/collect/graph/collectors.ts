import type { SourceCollectors } from '../live/source-collector.js';
import { identityCollectors } from './identity-collectors.js';

/** Graph source collectors, keyed by source ID. */
export const graphCollectors: SourceCollectors = {
  ...identityCollectors,
};
