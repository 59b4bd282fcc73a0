import type { SourceCollectors } from '../live/source-collector.js';

/** Dns source collectors, keyed by source ID. */
export const dnsCollectors: SourceCollectors = {};
