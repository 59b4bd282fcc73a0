import { CONTROLS } from '../controls/catalog.js';
import type { ControlDefinition, DnsLookupName, DomainScope } from '../controls/control.js';
import { ControlParams } from '../controls/params.js';
import { isEmailDomain, normaliseDomain } from '../model/domain-name.js';
import type { Cloud } from '../model/cloud.js';
import type { Json } from '../model/json.js';
import type { Policy } from '../policy/policy.js';
import type { DnsResolver } from '../snapshot/dns-resolver.js';
import type { GraphDomain } from '../snapshot/graph-types.js';
import {
  type HttpsGetter,
  lookupDkim,
  lookupDmarc,
  lookupDmarcReporting,
  lookupM365Authorization,
  lookupMtaSts,
  lookupParked,
  lookupSpf,
  lookupTlsRpt,
} from './domain-lookups.js';
import { microsoftDkimQuestions } from './microsoft-dkim.js';
import { hasMicrosoftManagedSuffix, microsoftSpfInclude } from './microsoft-clouds.js';

/*
 * The one table of DNS questions. A control declares in its definition which look-up it makes
 * and for which domains (`ControlDefinition.dns`); this module runs that look-up. The collector
 * runs it through a recording resolver, the check runs the same function over the recorded
 * answers, and the tenant generator runs it over a folder's data, so the three never disagree.
 */

type Lookup = (
  resolver: DnsResolver,
  https: HttpsGetter,
  domain: string,
  params: ControlParams,
  cloud: Cloud,
) => Promise<unknown>;

/** Each look-up by name, with the control's parameters where the questions depend on them. */
export const DNS_LOOKUPS: Readonly<Record<DnsLookupName, Lookup>> = {
  spf: (r, _h, d) => lookupSpf(r, d),
  'm365-authorization': (r, _h, d, p, cloud) =>
    lookupM365Authorization(r, d, microsoftSpfInclude(p.string('microsoftSpfDomain'), cloud).domain),
  'dkim-keys': (r, _h, d, p) => lookupDkim(r, d, p.strings('selectors'), p.number('minBits')),
  dmarc: (r, _h, d) => lookupDmarc(r, d),
  'dmarc-reporting': (r, _h, d) => lookupDmarcReporting(r, d),
  parked: (r, _h, d) => lookupParked(r, d),
  'mta-sts': (r, h, d) => lookupMtaSts(r, h, d),
  'tls-rpt': (r, _h, d) => lookupTlsRpt(r, d),
  'microsoft-dkim-cnames': (r, _h, d) => Promise.all(microsoftDkimQuestions(d).map((q) => r.resolve(q.name, q.type))),
};

/**
 * Why Microsoft, not the tenant, runs a domain's DNS: it is the tenant's initial domain (Graph's
 * `isInitial`), or a name under one of the initial-domain suffixes of the Microsoft 365 clouds;
 * `undefined` when the tenant runs it.
 */
export function microsoftManagement(
  domain: string,
  tenantDomains: readonly GraphDomain[] | undefined,
): 'initial' | 'suffix' | undefined {
  const d = normaliseDomain(domain);
  if ((tenantDomains ?? []).some((t) => t.isInitial === true && normaliseDomain(t.id) === d)) return 'initial';
  return hasMicrosoftManagedSuffix(d) ? 'suffix' : undefined;
}

/** What a scope is chosen from: the audited domains, the policy, and the tenant's own domain list. */
export interface DomainsInScope {
  /** The audited domains: the tenant's email domains, the policy's, and `--domains`. */
  readonly audited: readonly string[];
  readonly policy: Policy;
  /** The tenant's domains as Graph lists them (`graph.domains`): `exchange-signed`, and which is initial. */
  readonly tenantDomains?: readonly GraphDomain[] | undefined;
  /** The tenant's Microsoft 365 cloud: which SPF include authorises Microsoft (default `global`). */
  readonly cloud?: Cloud;
}

/** The domains of a scope, sorted and unique. */
export function scopeDomains(scope: DomainScope, { audited, policy, tenantDomains }: DomainsInScope): string[] {
  if (scope === 'exchange-signed') {
    const excluded = new Set(policy.domains.exclude.map(normaliseDomain));
    const out: string[] = [];
    for (const d of tenantDomains ?? []) {
      const domain = normaliseDomain(d.id);
      if (!isEmailDomain(d) || d.isInitial === true) continue;
      if (!excluded.has(domain)) out.push(domain);
    }
    return out;
  }
  const parked = new Set(policy.domains.parked.map(normaliseDomain));
  const all = [...new Set(audited.map(normaliseDomain))].filter((d) => d !== '').sort();
  switch (scope) {
    case 'all':
      return all;
    case 'not-parked':
      return all.filter((d) => !parked.has(d));
    case 'own-dns':
      return all.filter((d) => !microsoftManagement(d, tenantDomains));
    case 'own-dns-not-parked':
      return all.filter((d) => !microsoftManagement(d, tenantDomains) && !parked.has(d));
    case 'parked':
      return all.filter((d) => parked.has(d));
  }
}

/** The domains a DNS control judges; none for a control that reads no DNS. */
export function controlDomains(control: ControlDefinition, inScope: DomainsInScope): string[] {
  return control.dns ? scopeDomains(control.dns.domains, inScope) : [];
}

/**
 * The audited domains a control leaves out because Microsoft runs their DNS, with why: they get a
 * `pass` "managed by Microsoft" (only for a control that says why the admin cannot act on them).
 */
export function managedDomains(
  control: ControlDefinition,
  { audited, policy, tenantDomains }: DomainsInScope,
): { readonly domain: string; readonly why: 'initial' | 'suffix' }[] {
  const scope = control.dns?.domains;
  if (!control.dns?.microsoftManaged || (scope !== 'own-dns' && scope !== 'own-dns-not-parked')) return [];
  const parked = new Set(policy.domains.parked.map(normaliseDomain));
  const out: { domain: string; why: 'initial' | 'suffix' }[] = [];
  for (const domain of [...new Set(audited.map(normaliseDomain))].filter((d) => d !== '').sort()) {
    const why = microsoftManagement(domain, tenantDomains);
    if (why && !(scope === 'own-dns-not-parked' && parked.has(domain))) out.push({ domain, why });
  }
  return out;
}

/**
 * Asks every question of the given controls, each with its parameters: the collector passes the
 * enabled controls with the policy's parameters, the generator every DNS control of the catalog
 * with its defaults.
 */
export async function askDnsQuestions(
  resolver: DnsResolver,
  https: HttpsGetter,
  controls: readonly { readonly definition: ControlDefinition; readonly params: ControlParams }[],
  inScope: DomainsInScope,
): Promise<void> {
  const work: Promise<unknown>[] = [];
  for (const { definition, params } of controls) {
    if (!definition.dns) continue;
    const lookup = DNS_LOOKUPS[definition.dns.lookup];
    for (const domain of controlDomains(definition, inScope))
      work.push(lookup(resolver, https, domain, params, inScope.cloud ?? 'global'));
  }
  await Promise.all(work);
}

/** A control's parameters at their catalog defaults. */
export function defaultParams(definition: ControlDefinition): ControlParams {
  const values: Record<string, Json> = {};
  for (const [name, parameter] of Object.entries(definition.parameters))
    values[name] = parameter.schema.default as Json;
  return new ControlParams(values);
}

/**
 * Every question of every DNS control of the catalog, with its default parameters, about each
 * of `domains`, whatever its scope: what a folder must answer so that any policy's DNS checks
 * replay it (the tenant generator).
 */
export async function askEveryQuestion(
  resolver: DnsResolver,
  https: HttpsGetter,
  domains: readonly string[],
  cloud: Cloud = 'global',
): Promise<void> {
  for (const domain of domains) {
    for (const definition of CONTROLS) {
      if (definition.dns)
        await DNS_LOOKUPS[definition.dns.lookup](resolver, https, domain, defaultParams(definition), cloud);
    }
  }
}
