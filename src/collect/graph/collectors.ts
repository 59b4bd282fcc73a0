import type { SourceCollectors } from '../live/source-collector.js';

/** Graph source collectors, keyed by source ID. */
export const graphCollectors: SourceCollectors = {};
