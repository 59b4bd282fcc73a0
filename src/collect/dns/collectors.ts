import { findControl } from '../../controls/catalog.js';
import type { ControlDefinition } from '../../controls/control.js';
import type { ControlParams } from '../../controls/params.js';
import { askDnsQuestions } from '../../mailauth/dns-questions.js';
import type { HttpsGetter } from '../../mailauth/domain-lookups.js';
import { type DnsData, type HttpsFetch, isDataAnswer } from '../../snapshot/dns-types.js';
import { domainScope } from '../live/domain-scope.js';
import type { CollectContext, Collected, SourceCollectors } from '../live/source-collector.js';
import { RecordingResolver } from '../../snapshot/recording-resolver.js';

/**
 * Why the DNS source as a whole cannot count as read: no question asked, or not one answered
 * with data (NOERROR or NXDOMAIN). A dead, lying or refusing resolver audits nothing, and a run
 * whose only source it is must not be green.
 */
function unanswered(data: DnsData, domains: readonly string[], tenantDomainsRead: boolean): string | undefined {
  const answers = Object.entries(data.answers);
  if (answers.length === 0) {
    if (domains.length > 0) return `no DNS question asked for ${domains.length} domain(s)`;
    return tenantDomainsRead ? 'no domain to look up' : "no domain to look up (the tenant's domains were not read)";
  }
  if (answers.some(([, answer]) => isDataAnswer(answer))) return undefined;
  const byCode = new Map<string, number>();
  for (const [, answer] of answers) byCode.set(answer.rcode, (byCode.get(answer.rcode) ?? 0) + 1);
  const codes = [...byCode].map(([code, n]) => `${n} ${code}`).join(', ');
  const [question, first] = answers[0] ?? [];
  const example = first ? `; first: ${question} ${first.rcode}${first.detail ? ` (${first.detail})` : ''}` : '';
  const servers = [...new Set(answers.map(([, a]) => a.server).filter((s) => s !== undefined))];
  return `no DNS lookup got an answer: ${answers.length} question(s), ${codes}${example}${
    servers.length > 0 ? `; asked ${servers.join(', ')}` : ''
  }`;
}

/**
 * Collects the DNS answers (and MTA-STS policy fetches) that the enabled email-authentication
 * controls need for every domain in scope. Failed look-ups are recorded as answers, so the
 * source is `ok` and each affected domain becomes `error` in its checks; nothing is judged here.
 * Only when not one look-up got an answer is the source itself `failed`.
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
  const failure = unanswered(data, domains, context.earlier('graph.domains') !== undefined);
  if (failure !== undefined) return { status: { status: 'failed', reason: failure } };
  return { status: { status: 'ok', count: Object.keys(data.answers).length }, data };
}

/** Dns source collectors, keyed by source ID. */
export const dnsCollectors: SourceCollectors = { dns: collectDns };
