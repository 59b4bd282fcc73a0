import { errorMessage, isConfigurationError } from '../../errors.js';
import type { Cloud } from '../../model/cloud.js';
import type { Manifest } from '../../snapshot/manifest.js';
import { SNAPSHOT_FORMAT_VERSION } from '../../snapshot/manifest.js';
import { memorySnapshot, type Snapshot, type SourceDataMap } from '../../snapshot/snapshot.js';
import { isTenantSource, type SourceId } from '../../snapshot/source-id.js';
import type { Licence, SourceStatus } from '../../snapshot/source-status.js';
import { TOOL } from '../../version.js';
import { EMBEDDED_SOURCES, STREAMED_SOURCES } from '../../snapshot/folder-layout.js';
import { recordCount } from '../../snapshot/write-folder.js';
import type { Collector, CollectRequest } from '../collector.js';
import { dnsCollectors } from '../dns/collectors.js';
import { exchangeCollectors } from '../exchange/collectors.js';
import { graphCollectors } from '../graph/collectors.js';
import type { LiveClients } from './clients.js';
import { domainScope } from './domain-scope.js';
import type { CollectContext, SourceCollector, SourceCollectors } from './source-collector.js';

const COLLECTORS: SourceCollectors = { ...graphCollectors, ...exchangeCollectors, ...dnsCollectors };

/**
 * DNS runs after the tenant's domains are known; hidden inbox rules and mailbox permissions
 * after the mailboxes (and risky users) that decide which mailboxes to read; the groups after the
 * Conditional Access policies that name them.
 */
const LATE_SOURCES: ReadonlySet<SourceId> = new Set(['dns', 'exo.inboxRule', 'exo.mailboxPermission', 'graph.groups']);

export interface LiveCollectorOptions {
  readonly mode: 'tenant' | 'simulate' | 'dns-only';
  readonly tenantId: string | null;
  /** The application (client) ID the clients authenticate with, recorded in the manifest when known. */
  readonly clientId?: string;
  readonly clients: LiveClients;
  readonly extraDomains: readonly string[];
  readonly now: () => Date;
  /** The tenant's Microsoft 365 cloud, recorded in the manifest (default `global`). */
  readonly cloud?: Cloud;
  readonly close?: () => Promise<void>;
  /**
   * Signs in before any tenant source is read (create-clients.ts). When it throws, no tenant
   * source is asked: each is `failed` with its one message, printed once, and DNS still runs.
   */
  readonly authenticate?: () => Promise<void>;
}

function licencesFrom(sources: Partial<Record<SourceId, SourceStatus>>): Record<Licence, boolean | null> {
  const licences: Record<Licence, boolean | null> = { 'entra-id-p1': null, 'entra-id-p2': null };
  for (const status of Object.values(sources)) {
    if (status.status === 'not_licensed') licences[status.licence] = false;
  }
  // A source that needs P1 (or P2) and was read proves the licence is there.
  if (sources['graph.signIns']?.status === 'ok' || sources['graph.userRegistrationDetails']?.status === 'ok') {
    licences['entra-id-p1'] = true;
  }
  if (sources['graph.riskyUsers']?.status === 'ok' || sources['graph.riskDetections']?.status === 'ok') {
    licences['entra-id-p2'] = true;
    licences['entra-id-p1'] = true;
  }
  return licences;
}

/**
 * Collects the requested sources from live clients (a tenant or the simulator) into a
 * snapshot. Every source ends with a status; one failing source never stops the others.
 */
export function liveCollector(options: LiveCollectorOptions): Collector {
  return {
    mode: options.mode,
    close: options.close,
    async collect(request: CollectRequest): Promise<Snapshot> {
      const statuses: Partial<Record<SourceId, SourceStatus>> = {};
      const data: Partial<{ [K in SourceId]: SourceDataMap[K] }> = {};
      const now = options.now();
      const context: CollectContext = {
        logger: request.logger,
        policy: request.policy,
        clients: options.clients,
        sources: request.sources,
        earlier: <K extends SourceId>(id: K) => data[id] as SourceDataMap[K] | undefined,
        extraDomains: options.extraDomains,
        cloud: options.cloud ?? 'global',
        now,
        ...(request.shard ? { shard: request.shard } : {}),
        ...(request.signInsFrom ? { signInsFrom: request.signInsFrom } : {}),
      };
      const collectOne = async <K extends SourceId>(id: K): Promise<void> => {
        const collector = COLLECTORS[id] as SourceCollector<K> | undefined;
        if (!collector) {
          statuses[id] = { status: 'failed', reason: `no live collector for ${id} in this build` };
          return;
        }
        const started = Date.now();
        try {
          const collected = await collector(context);
          // The record count goes in the manifest, so an auditor sees how much each source held.
          const count =
            collected.status.status === 'ok' &&
            'data' in collected &&
            collected.status.count === undefined &&
            !STREAMED_SOURCES.has(id) &&
            !EMBEDDED_SOURCES.has(id)
              ? { count: recordCount(collected.data) }
              : {};
          statuses[id] = { ...collected.status, ...count, capturedAt: new Date().toISOString() };
          if ('data' in collected) (data as Record<K, SourceDataMap[K]>)[id] = collected.data;
          request.logger.info(`Collected ${id}: ${collected.status.status} in ${Date.now() - started} ms`);
        } catch (error: unknown) {
          statuses[id] = { status: 'failed', reason: errorMessage(error), capturedAt: new Date().toISOString() };
          // Shown once with its cause by report/source-problems.ts; the detail is for --debug.
          request.logger.debug(`Collecting ${id} failed: ${errorMessage(error)}`);
        }
      };
      let wanted = [...request.sources];
      if (options.authenticate && wanted.some((id) => isTenantSource(id))) {
        try {
          await options.authenticate();
        } catch (error: unknown) {
          if (isConfigurationError(error)) throw error;
          // Shown once, with the sources it stopped (report/source-problems.ts), not per request.
          const reason = `sign-in failed: ${errorMessage(error)}`;
          request.logger.info('Signing in failed: no tenant source is read');
          const capturedAt = new Date().toISOString();
          for (const id of wanted.filter((w) => isTenantSource(w)))
            statuses[id] = { status: 'failed', reason, capturedAt };
          wanted = wanted.filter((id) => !isTenantSource(id));
        }
      }
      await Promise.all(wanted.filter((id) => !LATE_SOURCES.has(id)).map((id) => collectOne(id)));
      const domains = domainScope(data['graph.domains'], request.policy, options.extraDomains);
      // The capture time is when collection began: the look-back windows end there, and the
      // early snapshot and the final one must judge with the same "now".
      const manifestOf = (sources: Partial<Record<SourceId, SourceStatus>>): Manifest => ({
        formatVersion: SNAPSHOT_FORMAT_VERSION,
        tenantId: options.tenantId,
        ...(options.clientId !== undefined ? { clientId: options.clientId } : {}),
        capturedAt: now.toISOString(),
        tool: { name: TOOL.name, version: TOOL.version },
        licences: licencesFrom(sources),
        sources,
        domains,
        cloud: options.cloud ?? 'global',
        ...(request.shard ? { shard: request.shard } : {}),
      });
      const late = wanted.filter((id) => LATE_SOURCES.has(id));
      // One data store for both snapshots: releasing a source from the final one frees it.
      request.onEarly?.(memorySnapshot(manifestOf({ ...statuses }), data), new Set(late));
      await Promise.all(late.map((id) => collectOne(id)));
      return memorySnapshot(manifestOf(statuses), data);
    },
  };
}
