import { isIP } from 'node:net';

/** The only address the simulator binds to: it serves a whole tenant's data without auth on DNS. */
export const LOOPBACK_HOST = '127.0.0.1';

/**
 * Refuses any bind address other than IPv4 loopback. Called by every listener, so that a
 * later change cannot expose a simulated tenant (with its test credentials) to the network.
 */
export function assertLoopback(address: string | null | undefined): void {
  if (address !== LOOPBACK_HOST || isIP(address) !== 4) {
    throw new Error(`the simulator binds to ${LOOPBACK_HOST} only, not ${String(address)}`);
  }
}
