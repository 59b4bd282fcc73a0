import type { DnsResolver } from '../snapshot/dns-resolver.js';
import { normaliseName } from '../model/domain-name.js';
import { type FailedQuery, lookupAddresses, lookupTxt } from './dns-lookup.js';
import { type DmarcPolicy, type DmarcRecordError, type DmarcRecord, selectDmarcRecord } from './dmarc-record.js';

/** RFC 9989 §4.10: the tree walk asks at most this many `_dmarc` names. */
export const MAX_TREE_WALK_QUERIES = 8;

/** What was asked at one `_dmarc` name during the walk. */
export interface WalkStep {
  readonly domain: string;
  readonly outcome: 'record' | DmarcRecordError;
  readonly detail?: string;
}

export type DmarcDiscovery =
  | {
      readonly status: 'found';
      readonly domain: string;
      /** The domain whose record applies (the domain itself or an ancestor found by the walk). */
      readonly policyDomain: string;
      readonly record: DmarcRecord;
      readonly recordText: string;
      readonly steps: readonly WalkStep[];
    }
  | { readonly status: 'none'; readonly domain: string; readonly reason: string; readonly steps: readonly WalkStep[] }
  | {
      readonly status: 'temperror';
      readonly domain: string;
      readonly failed: FailedQuery;
      readonly steps: readonly WalkStep[];
    };

/**
 * The names the tree walk queries (RFC 9989 §4.10.1): the domain itself; then, for a name of
 * more than 8 labels, its last 7 labels; then one label fewer each time, down to the TLD.
 */
export function treeWalkNames(domain: string): string[] {
  const labels = normaliseName(domain).split('.');
  const names = [labels.join('.')];
  let count = labels.length > MAX_TREE_WALK_QUERIES ? MAX_TREE_WALK_QUERIES - 1 : labels.length - 1;
  while (count >= 1 && names.length < MAX_TREE_WALK_QUERIES) {
    names.push(labels.slice(labels.length - count).join('.'));
    count--;
  }
  return names;
}

type Level =
  | { readonly kind: 'record'; readonly record: DmarcRecord; readonly text: string }
  | { readonly kind: 'none'; readonly step: WalkStep }
  | { readonly kind: 'stop'; readonly step: WalkStep }
  | { readonly kind: 'error'; readonly failed: FailedQuery };

async function recordAt(resolver: DnsResolver, domain: string): Promise<Level> {
  const txt = await lookupTxt(resolver, `_dmarc.${domain}`);
  if (!txt.ok) return { kind: 'error', failed: txt.failed };
  const parsed = selectDmarcRecord(txt.values);
  if (parsed.ok)
    return { kind: 'record', record: parsed.record, text: txt.values.find((t) => /^v\s*=\s*dmarc1/i.test(t)) ?? '' };
  const step: WalkStep = { domain, outcome: parsed.error, detail: parsed.detail };
  // RFC 9989 §4.10: several DMARC records at one name end discovery with no policy.
  return parsed.error === 'multiple-records' ? { kind: 'stop', step } : { kind: 'none', step };
}

/** Policy discovery (RFC 9989 §4.10): the first valid record on the walk up from `domain`. */
export async function discoverDmarc(resolver: DnsResolver, domain: string): Promise<DmarcDiscovery> {
  const name = normaliseName(domain);
  const steps: WalkStep[] = [];
  for (const candidate of treeWalkNames(name)) {
    const level = await recordAt(resolver, candidate);
    switch (level.kind) {
      case 'error':
        return { status: 'temperror', domain: name, failed: level.failed, steps };
      case 'record':
        steps.push({ domain: candidate, outcome: 'record' });
        return {
          status: 'found',
          domain: name,
          policyDomain: candidate,
          record: level.record,
          recordText: level.text,
          steps,
        };
      case 'stop':
        steps.push(level.step);
        return { status: 'none', domain: name, reason: `${level.step.detail ?? ''} at _dmarc.${candidate}`, steps };
      case 'none':
        steps.push(level.step);
    }
  }
  return { status: 'none', domain: name, reason: 'no DMARC record on the tree walk', steps };
}

/**
 * Organizational Domain discovery (RFC 9989 §4.10.2): walk up; a record with psd=n makes its
 * domain the organizational domain; psd=y makes the name one label below it the organizational
 * domain; otherwise the record found with the fewest labels wins; no record: the domain itself.
 */
export async function organizationalDomain(
  resolver: DnsResolver,
  domain: string,
): Promise<{ ok: true; domain: string } | { ok: false; failed: FailedQuery }> {
  const names = treeWalkNames(domain);
  let best: string | undefined;
  let previous = normaliseName(domain);
  for (const candidate of names) {
    const level = await recordAt(resolver, candidate);
    if (level.kind === 'error') return { ok: false, failed: level.failed };
    if (level.kind === 'record') {
      if (level.record.psd === 'n') return { ok: true, domain: candidate };
      if (level.record.psd === 'y') return { ok: true, domain: candidate === names[0] ? candidate : previous };
      best = candidate;
    }
    previous = candidate;
  }
  return { ok: true, domain: best ?? normaliseName(domain) };
}

export interface AppliedPolicy {
  readonly policy: DmarcPolicy;
  /** Which tag gave it: p (the domain's own record), sp (a subdomain), np (a non-existent subdomain). */
  readonly tag: 'p' | 'sp' | 'np';
  /** t=y downgraded it (RFC 9989 §4.7: reject → quarantine, quarantine → none). */
  readonly testing: boolean;
}

/**
 * Which policy applies to mail from `domain` (RFC 9989 §5.3.6): p for the domain's own record;
 * for a subdomain sp, or np when the subdomain does not exist (NXDOMAIN).
 */
export async function appliedPolicy(
  resolver: DnsResolver,
  discovery: Extract<DmarcDiscovery, { status: 'found' }>,
): Promise<{ ok: true; applied: AppliedPolicy } | { ok: false; failed: FailedQuery }> {
  const record = discovery.record;
  let tag: AppliedPolicy['tag'] = 'p';
  if (discovery.policyDomain !== discovery.domain) {
    tag = 'sp';
    if (record.npExplicit) {
      const a = await lookupAddresses(resolver, discovery.domain, 'A');
      if (!a.ok) return { ok: false, failed: a.failed };
      if (a.nxdomain) tag = 'np';
    }
  }
  let policy = record[tag];
  if (record.t) policy = policy === 'reject' ? 'quarantine' : 'none';
  return { ok: true, applied: { policy, tag, testing: record.t } };
}
