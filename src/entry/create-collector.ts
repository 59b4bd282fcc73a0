import type { Collector } from '../collect/collector.js';
import { dnsOnlyCollector } from '../collect/dns/dns-only.js';
import { liveDnsClients } from '../collect/dns/live-dns-clients.js';
import { collectionDeadline, DEFAULT_DEADLINE_MINUTES } from '../collect/deadline.js';
import { folderCollector } from '../collect/folder-collector.js';
import { createLiveClients } from '../collect/live/create-clients.js';
import { liveCollector } from '../collect/live/live-collector.js';
import type { Logger } from '../logger.js';
import { DEMO_TENANT_DIR } from '../paths.js';
import type { DnsSettings, TargetSettings } from '../run/settings.js';
import { simulatorCollector } from './simulator-collector.js';

export interface CollectorDeps {
  readonly logger: Logger;
  readonly now: () => Date;
  /** `core.getIDToken` in the Action, for GitHub OIDC federation; absent on the command line. */
  readonly getIdToken?: (audience: string) => Promise<string>;
  /** The collection deadline in minutes (default collect/deadline.ts). */
  readonly deadlineMinutes?: number;
}

/** The one collector factory of both entry points: a target from settings in, its collector out. */
export function createCollector(target: TargetSettings, dns: DnsSettings | undefined, deps: CollectorDeps): Collector {
  const { logger, now } = deps;
  const dnsSettings = dns ?? { servers: [], domains: [] };
  const deadlineMinutes = deps.deadlineMinutes ?? DEFAULT_DEADLINE_MINUTES;
  switch (target.kind) {
    case 'dns-only':
      return dnsOnlyCollector(target, dnsSettings, { logger, now });
    case 'tenant': {
      const created = createLiveClients(target, {
        logger,
        ...(deps.getIdToken ? { getIdToken: deps.getIdToken } : {}),
        signal: collectionDeadline(deadlineMinutes * 60_000),
      });
      return liveCollector({
        mode: 'tenant',
        tenantId: target.tenantId,
        ...(target.clientId !== undefined ? { clientId: target.clientId } : {}),
        clients: { ...created.clients, ...liveDnsClients(dnsSettings, { logger }) },
        extraDomains: dnsSettings.domains,
        now,
        cloud: target.cloud,
        authenticate: () => created.authenticate(),
        close: () => created.close(),
      });
    }
    case 'snapshot':
      return folderCollector(target.dir, now);
    case 'simulate':
      return simulatorCollector({
        dir: target.dir,
        logger,
        now,
        asCaptured: target.asCaptured === true,
        ...(target.cloud ? { cloud: target.cloud } : {}),
        deadlineMs: deadlineMinutes * 60_000,
      });
    case 'demo':
      // The demo runs the whole live path (auth, paging, batching, DNS) against the simulator.
      return simulatorCollector({
        dir: DEMO_TENANT_DIR,
        logger,
        now,
        asCaptured: target.asCaptured === true,
        deadlineMs: deadlineMinutes * 60_000,
      });
  }
}
