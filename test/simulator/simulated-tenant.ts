import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SourceId } from '../../src/snapshot/source-id.js';
import type { SourceStatus } from '../../src/snapshot/source-status.js';
import type { RealismConfig } from '../../src/simulator/realism.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/start-simulator.js';
import { type FixtureData, writeFixtureTenant } from './fixture-tenant.js';

/** Starts a simulator over a fresh fixture tenant; `stop` closes it and removes the folder. */
export async function simulate(
  options: {
    change?: (data: FixtureData) => void;
    statuses?: Partial<Record<SourceId, SourceStatus>>;
    realism?: RealismConfig;
  } = {},
): Promise<{ sim: RunningSimulator; dir: string; stop: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mailwarden-sim-'));
  await writeFixtureTenant(dir, options.change, options.statuses);
  const sim = await startSimulator({ dir, realism: options.realism });
  return {
    sim,
    dir,
    stop: async () => {
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
