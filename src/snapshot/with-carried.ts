import type { CarriedSignIns } from './carried-sign-ins.js';
import type { Snapshot } from './snapshot.js';

/**
 * The snapshot with an incremental run's carried sign-ins attached to its sign-in stream: the
 * checks read the pages collected and, from the stream, what earlier runs carried.
 */
export function withCarriedSignIns(snapshot: Snapshot, carried: CarriedSignIns): Snapshot {
  return {
    manifest: snapshot.manifest,
    status: (id) => snapshot.status(id),
    data(id) {
      const value = snapshot.data(id);
      if (id !== 'graph.signIns') return value;
      const stream = snapshot.data('graph.signIns');
      return { pages: () => stream.pages(), carried } as typeof value;
    },
    ...(snapshot.release ? { release: (id) => snapshot.release?.(id) } : {}),
  };
}
