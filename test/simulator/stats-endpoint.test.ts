import { describe, expect, it } from 'vitest';
import type { SimulatorStats } from '../../src/simulator/stats.js';
import { startSimulator } from '../../src/simulator/start-simulator.js';

describe('GET /_stats', () => {
  it('serves the counters on loopback for a benchmark in another process, without counting itself', async () => {
    const sim = await startSimulator({ dir: 'demo/contoso-health' });
    try {
      const origin = new URL(sim.graphUrl).origin;
      const unauthenticated = await fetch(`${sim.graphUrl}/users`);
      expect(unauthenticated.status).toBe(401);
      const first = (await (await fetch(`${origin}/_stats`)).json()) as SimulatorStats;
      const second = (await (await fetch(`${origin}/_stats`)).json()) as SimulatorStats;
      expect(first.requests.directory).toBe(1);
      expect(second.requests).toEqual(first.requests);
      expect(second.statuses['401']).toBe(1);
    } finally {
      await sim.close();
    }
  });
});
