import { readSnapshotFolder } from '../snapshot/read-folder.js';
import type { Collector } from './collector.js';

/**
 * Replays a snapshot folder: the offline "collect" used by `--snapshot` and the evidence pack.
 * `now` is the run's clock, against which the folder's capture time is checked.
 */
export function folderCollector(dir: string, now: () => Date, mode: 'snapshot' | 'simulate' = 'snapshot'): Collector {
  return {
    mode,
    async collect({ logger }) {
      logger.info(`Reading snapshot folder ${dir}`);
      const snapshot = await readSnapshotFolder(dir, { now: now() });
      // The controls of these sources will be `error`; say why once, where the run is watched.
      for (const [id, reason] of snapshot.unreadable) logger.warning(`${id}: ${reason}`);
      return snapshot;
    },
  };
}
