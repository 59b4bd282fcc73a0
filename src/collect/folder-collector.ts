import { readSnapshotFolder } from '../snapshot/read-folder.js';
import type { Collector } from './collector.js';

/** Replays a snapshot folder: the offline "collect" used by `--snapshot` and the evidence pack. */
export function folderCollector(dir: string, mode: 'snapshot' | 'simulate' = 'snapshot'): Collector {
  return {
    mode,
    async collect({ logger }) {
      logger.info(`Reading snapshot folder ${dir}`);
      return readSnapshotFolder(dir);
    },
  };
}
