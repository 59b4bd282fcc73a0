import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertLoopback } from '../../src/simulator/loopback.js';
import type { RunningSimulator } from '../../src/simulator/start-simulator.js';
import { simulate } from './simulated-tenant.js';

let sim: RunningSimulator;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ sim, stop } = await simulate());
});
afterAll(async () => stop());

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 });
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

describe('the simulator binds to loopback only', () => {
  it('refuses any other bind address in code', () => {
    for (const address of ['0.0.0.0', '::', '::1', '192.168.1.10', 'localhost', undefined]) {
      expect(() => assertLoopback(address), String(address)).toThrow(/127\.0\.0\.1 only/);
    }
    expect(() => assertLoopback('127.0.0.1')).not.toThrow();
  });

  it('advertises 127.0.0.1 URLs for every service', () => {
    for (const url of [sim.graphUrl, sim.exchangeUrl, sim.authorityUrl])
      expect(new URL(url).hostname).toBe('127.0.0.1');
    expect(sim.dns.host).toBe('127.0.0.1');
  });

  it("is not reachable on the machine's other addresses", async () => {
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a !== undefined && !a.internal)
      .map((a) => a!.address);
    const ports = [sim.graphUrl, sim.exchangeUrl, sim.authorityUrl].map((u) => Number(new URL(u).port));
    for (const port of [...ports, sim.dns.port]) expect(await reachable('127.0.0.1', port)).toBe(true);
    for (const address of others) {
      for (const port of [...ports, sim.dns.port])
        expect(await reachable(address, port), `${address}:${port}`).toBe(false);
    }
    // IPv6 loopback is another address too: nothing listens there.
    expect(await reachable('::1', ports[0]!)).toBe(false);
  });
});
