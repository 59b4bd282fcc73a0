import { findControl } from '../../controls/catalog.js';
import type { ControlDefinition } from '../../controls/control.js';
import type { ControlParams } from '../../controls/params.js';
import { askDnsQuestions } from '../../mailauth/dns-questions.js';
import type { HttpsGetter } from '../../mailauth/domain-lookups.js';
import type { HttpsFetch } from '../../snapshot/dns-types.js';
import { domainScope } from '../live/domain-scope.js';
import type { CollectContext, Collected, SourceCollectors } from '../live/source-collector.js';
import { RecordingResolver } from '../../snapshot/recording-resolver.js';

/**
 * Collects the DNS answers (and MTA-STS policy fetches) that the enabled email-authentication
 * controls need for every domain in scope. Failed look-ups are recorded as answers, so the
 * source is `ok` and each affected domain becomes `error` in its checks; nothing is judged here.
 */
async function collectDns(context: CollectContext): Promise<Collected<'dns'>> {
  const live = context.clients.dns;
  if (!live) return { status: { status: 'failed', reason: 'no DNS client in this run' } };
  const recorder = new RecordingResolver(live);
  const httpsLive = context.clients.https;
  const https: HttpsGetter = async (url) => {
    const fetched: HttpsFetch = httpsLive ? await httpsLive(url) : { status: 0, error: 'no HTTPS client in this run' };
    recorder.recordHttps(url, fetched);
    return fetched;
  };
  const domains = domainScope(context.earlier('graph.domains'), context.policy, context.extraDomains);
  const enabled: { definition: ControlDefinition; params: ControlParams }[] = [];
  for (const control of context.policy.controls.values()) {
    const definition = findControl(control.id);
    if (control.enabled && definition?.dns) enabled.push({ definition, params: control.params });
  }
  await askDnsQuestions(recorder, https, enabled, {
    audited: domains,
    policy: context.policy,
    tenantDomains: context.earlier('graph.domains'),
    cloud: context.cloud,
  });
  const data = recorder.data();
  context.logger.info(`DNS: ${Object.keys(data.answers).length} questions recorded for ${domains.length} domain(s)`);
  return { status: { status: 'ok', count: Object.keys(data.answers).length }, data };
}

/** Dns source collectors, keyed by source ID. */
export const dnsCollectors: SourceCollectors = { dns: collectDns };
