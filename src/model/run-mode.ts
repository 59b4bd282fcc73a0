/** How a run got its data: a live tenant, the simulator over loopback, a snapshot folder, or DNS only. */
export type RunMode = 'tenant' | 'simulate' | 'snapshot' | 'dns-only';
