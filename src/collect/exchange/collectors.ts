import type { SourceCollectors } from '../live/source-collector.js';

/** Exchange source collectors, keyed by source ID. */
export const exchangeCollectors: SourceCollectors = {};
