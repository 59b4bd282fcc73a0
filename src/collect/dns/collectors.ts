import { CONTROL_LOOKUPS } from '../../mailauth/control-lookups.js';
import type { HttpsGetter } from '../../mailauth/domain-lookups.js';
import { controlTargets, DOMAIN_CONTROLS } from '../../mailauth/domain-targets.js';
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
  const work: Promise<unknown>[] = [];
  for (const control of DOMAIN_CONTROLS) {
    const settings = context.policy.controls.get(control);
    if (!settings?.enabled) continue;
    const lookups = CONTROL_LOOKUPS[control];
    for (const domain of controlTargets(control, domains, context.policy))
      work.push(lookups(recorder, https, domain, settings.params));
  }
  // dkim.signing compares the selector CNAMEs with what Exchange configured: record them as CNAME questions.
  if (context.policy.controls.get('dkim.signing')?.enabled) {
    const excluded = new Set(context.policy.domains.exclude.map((d) => d.toLowerCase()));
    for (const d of context.earlier('graph.domains') ?? []) {
      const domain = d.id.toLowerCase().replace(/\.$/, '');
      if (
        d.isVerified === false ||
        !(d.supportedServices ?? []).includes('Email') ||
        d.isInitial === true ||
        excluded.has(domain)
      )
        continue;
      for (const selector of ['selector1', 'selector2'])
        work.push(recorder.resolve(`${selector}._domainkey.${domain}`, 'CNAME'));
    }
  }
  await Promise.all(work);
  const data = recorder.data();
  context.logger.info(`DNS: ${Object.keys(data.answers).length} questions recorded for ${domains.length} domain(s)`);
  return { status: { status: 'ok', count: Object.keys(data.answers).length }, data };
}

/** Dns source collectors, keyed by source ID. */
export const dnsCollectors: SourceCollectors = { dns: collectDns };
