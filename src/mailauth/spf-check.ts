import { normaliseNameFast } from '../model/domain-name.js';
import type { DnsResolver } from '../snapshot/dns-resolver.js';
import { normaliseName } from '../model/domain-name.js';
import { type FailedQuery, lookupAddresses, lookupMx, lookupPtr, lookupTxt } from './dns-lookup.js';
import {
  dottedIp,
  inNetwork,
  ipFromRecord,
  type IpAddress,
  parseIp,
  parseIp4,
  parseIp6,
  readableIp,
  reverseName,
} from '../model/ip-address.js';
import { parseSpfRecordCached } from './spf-parse-cache.js';
import { prefetchSpfLookups } from './spf-prefetch.js';
import {
  isSpfRecord,
  macroStringError,
  type SpfDirective,
  type SpfMechanism,
  type SpfQualifier,
} from './spf-record.js';

/** RFC 7208 §2.6 results. */
export type SpfResult = 'none' | 'neutral' | 'pass' | 'fail' | 'softfail' | 'temperror' | 'permerror';

/** §4.6.4 limits. */
export interface SpfLimits {
  /** Terms that cause DNS queries: include, a, mx, ptr, exists, redirect. */
  readonly maxDnsTerms: number;
  /** Lookups that return NXDOMAIN or no records. */
  readonly maxVoidLookups: number;
  /** MX names looked up per mx term, and PTR names per ptr term or %{p}. */
  readonly maxNames: number;
}

export const SPF_LIMITS: SpfLimits = { maxDnsTerms: 10, maxVoidLookups: 2, maxNames: 10 };

export const SPF_DEFAULT_EXPLANATION = 'DEFAULT';

export interface SpfCheckInput {
  /** The SMTP client address. */
  readonly ip: string;
  /** The domain whose policy is checked (MAIL FROM domain, or the HELO name). */
  readonly domain: string;
  /** MAIL FROM; empty means the HELO identity is checked (postmaster@helo). */
  readonly sender: string;
  readonly helo: string;
  /** The receiving host, for %{r}. */
  readonly receiver?: string;
  /** For %{t}. */
  readonly now?: Date;
}

/** One evaluated record in the include/redirect tree. */
export interface SpfNode {
  readonly domain: string;
  readonly via: 'top' | 'include' | 'redirect';
  record?: string;
  /** DNS-querying terms in this record. */
  lookups: number;
  /** This node's and its descendants' DNS-querying terms. */
  totalLookups: number;
  result?: SpfResult;
  readonly children: SpfNode[];
}

export interface SpfOutcome {
  readonly result: SpfResult;
  /** Why: the matching term, the error, or the limit that was hit. */
  readonly reason: string;
  /** The term that decided, when one matched. */
  readonly mechanism?: string;
  /** For fail: the exp= text, or SPF_DEFAULT_EXPLANATION. */
  readonly explanation?: string;
  readonly lookups: number;
  readonly voidLookups: number;
  readonly tree: SpfNode;
  /** The DNS question whose failure gave temperror. */
  readonly failedQuery?: FailedQuery;
}

class SpfAbort extends Error {
  constructor(
    readonly result: 'temperror' | 'permerror',
    readonly reason: string,
    readonly failed?: FailedQuery,
  ) {
    super(reason);
  }
}

interface State {
  readonly resolver: DnsResolver;
  readonly limits: SpfLimits;
  readonly ip: IpAddress;
  readonly input: SpfCheckInput;
  readonly sender: string;
  terms: number;
  voids: number;
  /** Lookups started ahead of the evaluation (spf-prefetch.ts), at most maxDnsTerms per check. */
  prefetched: number;
  validatedDomain?: string;
}

const QUALIFIER_RESULT: Readonly<Record<SpfQualifier, SpfResult>> = {
  '+': 'pass',
  '-': 'fail',
  '~': 'softfail',
  '?': 'neutral',
};

/** §4.3: a domain that is malformed or not multi-label gives `none`. One pass, no split: it runs per term. */
function validDomain(domain: string): boolean {
  const end = domain.charCodeAt(domain.length - 1) === 0x2e ? domain.length - 1 : domain.length;
  if (end <= 0 || end > 253) return false;
  let labels = 1;
  let label = 0;
  for (let i = 0; i < end; i++) {
    if (domain.charCodeAt(i) === 0x2e) {
      if (label === 0) return false;
      labels++;
      label = 0;
    } else if (++label > 63) {
      return false;
    }
  }
  return label > 0 && labels >= 2;
}

/** Printable ASCII only (%x20-7E), as a record must be to be evaluated. */
function printableAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** §7.3: an expanded name over 253 characters loses labels from the left. */
function truncateName(name: string): string {
  let n = name.endsWith('.') ? name.slice(0, -1) : name;
  while (n.length > 253 && n.includes('.')) n = n.slice(n.indexOf('.') + 1);
  return n;
}

function localPart(sender: string): string {
  const at = sender.lastIndexOf('@');
  const local = at < 0 ? '' : sender.slice(0, at);
  return local === '' ? 'postmaster' : local;
}

function senderDomain(sender: string): string {
  const at = sender.lastIndexOf('@');
  return at < 0 ? sender : sender.slice(at + 1);
}

function bump(state: State): void {
  state.terms++;
  if (state.terms > state.limits.maxDnsTerms) {
    throw new SpfAbort('permerror', `more than ${state.limits.maxDnsTerms} DNS-querying terms (RFC 7208 §4.6.4)`);
  }
}

function voidLookup(state: State, question: string): void {
  state.voids++;
  if (state.voids > state.limits.maxVoidLookups) {
    throw new SpfAbort(
      'permerror',
      `more than ${state.limits.maxVoidLookups} void lookups, the last ${question} (RFC 7208 §4.6.4)`,
    );
  }
}

/** §5.5: the validated domain names of the client address, at most `maxNames` PTR names. */
async function validatedNames(state: State): Promise<string[]> {
  const ptr = await lookupPtr(state.resolver, reverseName(state.ip));
  if (!ptr.ok) return [];
  const names: string[] = [];
  for (const name of ptr.values.slice(0, state.limits.maxNames)) {
    const addresses = await lookupAddresses(state.resolver, name, state.ip.version === 4 ? 'A' : 'AAAA');
    if (!addresses.ok) continue;
    if (addresses.values.some((a) => sameIp(a, state.ip))) names.push(normaliseName(name));
  }
  return names;
}

function sameIp(text: string, ip: IpAddress): boolean {
  const bytes = ipFromRecord(text, ip.version);
  return bytes !== undefined && inNetwork(ip, bytes, ip.version === 4 ? 32 : 128);
}

function isSubdomain(name: string, domain: string): boolean {
  return name === domain || name.endsWith(`.${domain}`);
}

const URI_UNRESERVED = /[A-Za-z0-9\-._~]/;

/** §7.3 macro expansion. `domain` is the current <domain>; `exp` enables c, r and t. */
async function expand(state: State, text: string, domain: string, exp: boolean): Promise<string> {
  const error = macroStringError(text, exp);
  if (error) throw new SpfAbort('permerror', `macro error: ${error}`);
  // Most domain-specs hold no macro at all: nothing to expand.
  if (!text.includes('%')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (ch !== '%') {
      out += ch;
      continue;
    }
    const next = text[i + 1];
    if (next === '%') out += '%';
    else if (next === '_') out += ' ';
    else if (next === '-') out += '%20';
    if (next !== '{') {
      i++;
      continue;
    }
    const close = text.indexOf('}', i);
    const body = text.slice(i + 2, close);
    i = close;
    const m = /^([a-z])(\d*)(r?)(.*)$/i.exec(body);
    if (!m) throw new SpfAbort('permerror', `macro error: %{${body}}`);
    const letter = m[1] ?? '';
    const value = await macroValue(state, letter.toLowerCase(), domain);
    const delimiters = m[4] === '' || m[4] === undefined ? '.' : m[4];
    let parts = value.split(new RegExp(`[${delimiters.replace(/[-\\\]^/]/g, '\\$&')}]`));
    if (m[3] !== '') parts = parts.reverse();
    if (m[2] !== '') parts = parts.slice(-Number(m[2]));
    let expanded = parts.join('.');
    // An upper-case macro letter is URL-escaped (§7.3).
    if (letter !== letter.toLowerCase()) {
      expanded = [...Buffer.from(expanded, 'utf8')]
        .map((b) =>
          URI_UNRESERVED.test(String.fromCharCode(b))
            ? String.fromCharCode(b)
            : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
        )
        .join('');
    }
    out += expanded;
  }
  return out;
}

async function macroValue(state: State, letter: string, domain: string): Promise<string> {
  switch (letter) {
    case 's':
      return state.sender;
    case 'l':
      return localPart(state.sender);
    case 'o':
      return senderDomain(state.sender);
    case 'd':
      return domain;
    case 'i':
      return dottedIp(state.ip);
    case 'c':
      return readableIp(state.ip);
    case 'v':
      return state.ip.version === 4 ? 'in-addr' : 'ip6';
    case 'h':
      return state.input.helo;
    case 'r':
      return state.input.receiver ?? 'unknown';
    case 't':
      return String(Math.floor((state.input.now ?? new Date(0)).getTime() / 1000));
    case 'p': {
      if (state.validatedDomain === undefined) {
        const names = await validatedNames(state);
        const target = normaliseName(domain);
        state.validatedDomain =
          names.find((n) => n === target) ?? names.find((n) => isSubdomain(n, target)) ?? names[0] ?? 'unknown';
      }
      return state.validatedDomain;
    }
    default:
      throw new SpfAbort('permerror', `unknown macro letter ${letter}`);
  }
}

async function targetName(state: State, spec: string | undefined, domain: string): Promise<string> {
  return plainTarget(spec, domain) ?? truncateName(await expand(state, spec ?? '', domain, false));
}

/**
 * The target of a domain-spec with no macro (nearly all of them), without a promise; undefined when it
 * needs expansion.
 */
function plainTarget(spec: string | undefined, domain: string): string | undefined {
  if (spec === undefined) return domain;
  if (spec.includes('%')) return undefined;
  const error = macroStringError(spec, false);
  if (error) throw new SpfAbort('permerror', `macro error: ${error}`);
  return truncateName(spec);
}

/** `all`, `ip4` and `ip6` (§5.1, §5.6): matched without DNS, so without a promise. */
function matchesAddress(state: State, mechanism: SpfMechanism): boolean {
  switch (mechanism.kind) {
    case 'all':
      return true;
    case 'ip4':
    case 'ip6': {
      const version = mechanism.kind === 'ip4' ? 4 : 6;
      if (state.ip.version !== version) return false;
      const network = version === 4 ? parseIp4(mechanism.address) : parseIp6(mechanism.address);
      return network !== undefined && inNetwork(state.ip, network, mechanism.cidr);
    }
    default:
      return false;
  }
}

/** Matches one mechanism; DNS failures that must give temperror throw SpfAbort. */
async function matches(state: State, directive: SpfDirective, domain: string, node: SpfNode): Promise<boolean> {
  const mechanism = directive.mechanism;
  switch (mechanism.kind) {
    case 'all':
    case 'ip4':
    case 'ip6':
      return matchesAddress(state, mechanism);
    case 'include': {
      bump(state);
      node.lookups++;
      const target = plainTarget(mechanism.domain, domain) ?? (await targetName(state, mechanism.domain, domain));
      const child = await checkHostAt(state, target, 'include', node);
      switch (child.result) {
        case 'pass':
          return true;
        case 'fail':
        case 'softfail':
        case 'neutral':
          return false;
        case 'temperror':
          throw new SpfAbort('temperror', `include:${target} gave temperror: ${child.reason}`, child.failed);
        case 'permerror':
          throw new SpfAbort('permerror', `include:${target} gave permerror: ${child.reason}`, child.failed);
        case 'none':
          // §5.2: an include of a domain with no SPF record is a permerror.
          throw new SpfAbort('permerror', `include:${target} has no SPF record`);
      }
      return false;
    }
    case 'a': {
      bump(state);
      node.lookups++;
      const target = plainTarget(mechanism.domain, domain) ?? (await targetName(state, mechanism.domain, domain));
      return addressMatch(state, target, state.ip.version === 4 ? mechanism.cidr4 : mechanism.cidr6);
    }
    case 'mx': {
      bump(state);
      node.lookups++;
      const target = plainTarget(mechanism.domain, domain) ?? (await targetName(state, mechanism.domain, domain));
      if (!validDomain(target)) return false;
      const mx = await lookupMx(state.resolver, target);
      if (!mx.ok) throw new SpfAbort('temperror', `DNS error on ${target}/MX`, mx.failed);
      if (mx.values.length === 0) voidLookup(state, `${target}/MX`);
      // §4.6.4: more than 10 MX names is a permerror.
      if (mx.values.length > state.limits.maxNames) {
        throw new SpfAbort(
          'permerror',
          `mx:${target} has ${mx.values.length} MX records (limit ${state.limits.maxNames})`,
        );
      }
      const cidr = state.ip.version === 4 ? mechanism.cidr4 : mechanism.cidr6;
      for (const host of [...mx.values].sort((a, b) => a.preference - b.preference)) {
        // A null MX (RFC 7505: exchange ".") is no valid domain: addressMatch asks nothing for it.
        if (await addressMatch(state, host.exchange, cidr, false)) return true;
      }
      return false;
    }
    case 'ptr': {
      bump(state);
      node.lookups++;
      const target = normaliseName(await targetName(state, mechanism.domain, domain));
      const ptr = await lookupPtr(state.resolver, reverseName(state.ip));
      // §5.5: a DNS error on the PTR lookup means no match, not temperror.
      if (!ptr.ok) return false;
      if (ptr.values.length === 0) voidLookup(state, `${reverseName(state.ip)}/PTR`);
      for (const name of ptr.values.slice(0, state.limits.maxNames)) {
        const n = normaliseName(name);
        if (!isSubdomain(n, target)) continue;
        const addresses = await lookupAddresses(state.resolver, n, state.ip.version === 4 ? 'A' : 'AAAA');
        if (addresses.ok && addresses.values.some((a) => sameIp(a, state.ip))) return true;
      }
      return false;
    }
    case 'exists': {
      bump(state);
      node.lookups++;
      const target = plainTarget(mechanism.domain, domain) ?? (await targetName(state, mechanism.domain, domain));
      if (!validDomain(target)) return false;
      // §5.7: always an A query, whatever the client's address family.
      const a = await lookupAddresses(state.resolver, target, 'A');
      if (!a.ok) throw new SpfAbort('temperror', `DNS error on ${target}/A`, a.failed);
      if (a.values.length === 0) voidLookup(state, `${target}/A`);
      return a.values.length > 0;
    }
  }
}

async function addressMatch(state: State, target: string, cidr: number, countVoid = true): Promise<boolean> {
  if (!validDomain(target)) return false;
  const type = state.ip.version === 4 ? 'A' : 'AAAA';
  const addresses = await lookupAddresses(state.resolver, target, type);
  if (!addresses.ok) throw new SpfAbort('temperror', `DNS error on ${target}/${type}`, addresses.failed);
  if (addresses.values.length === 0 && countVoid) voidLookup(state, `${target}/${type}`);
  for (const text of addresses.values) {
    const bytes = ipFromRecord(text, state.ip.version);
    if (bytes && inNetwork(state.ip, bytes, cidr)) return true;
  }
  return false;
}

interface HostResult {
  readonly result: SpfResult;
  readonly reason: string;
  readonly mechanism?: string;
  readonly explanation?: string;
  readonly failed?: FailedQuery;
}

/** §6.2: the explanation for a fail; any problem gives the default explanation. */
async function explanation(state: State, spec: string | undefined, domain: string): Promise<string> {
  if (spec === undefined) return SPF_DEFAULT_EXPLANATION;
  try {
    const name = truncateName(await expand(state, spec, domain, false));
    if (!validDomain(name)) return SPF_DEFAULT_EXPLANATION;
    const txt = await lookupTxt(state.resolver, name);
    if (!txt.ok || txt.values.length !== 1) return SPF_DEFAULT_EXPLANATION;
    const text = txt.values[0] ?? '';
    if (!/^[\x20-\x7e]*$/.test(text)) return SPF_DEFAULT_EXPLANATION;
    return await expand(state, text, domain, true);
  } catch {
    return SPF_DEFAULT_EXPLANATION;
  }
}

/** check_host() for one domain (§4), adding a node under `parent`. */
async function checkHostAt(
  state: State,
  domain: string,
  via: SpfNode['via'],
  parent: SpfNode | undefined,
): Promise<HostResult> {
  const node: SpfNode = { domain: normaliseNameFast(domain), via, lookups: 0, totalLookups: 0, children: [] };
  parent?.children.push(node);
  const before = state.terms;
  try {
    const result = await evaluateDomain(state, domain, node);
    node.result = result.result;
    return result;
  } catch (error: unknown) {
    if (!(error instanceof SpfAbort)) throw error;
    node.result = error.result;
    return { result: error.result, reason: error.reason, ...(error.failed ? { failed: error.failed } : {}) };
  } finally {
    node.totalLookups = state.terms - before;
  }
}

async function evaluateDomain(state: State, domain: string, node: SpfNode): Promise<HostResult> {
  if (!validDomain(domain))
    return { result: 'none', reason: `"${domain}" is not a valid multi-label domain name (RFC 7208 §4.3)` };
  const txt = await lookupTxt(state.resolver, domain);
  if (!txt.ok)
    return { result: 'temperror', reason: `DNS error looking up the SPF record of ${domain}`, failed: txt.failed };
  let text: string | undefined;
  let count = 0;
  for (const value of txt.values) {
    if (!isSpfRecord(value)) continue;
    count++;
    text ??= value;
  }
  if (text === undefined) return { result: 'none', reason: `${domain} publishes no SPF record` };
  if (count > 1) return { result: 'permerror', reason: `${domain} publishes ${count} SPF records (RFC 7208 §4.5)` };
  node.record = text;
  if (!printableAscii(text))
    return { result: 'permerror', reason: `the SPF record of ${domain} has non-ASCII characters` };
  const parsed = parseSpfRecordCached(text);
  if (!parsed.ok)
    return { result: 'permerror', reason: `syntax error in the SPF record of ${domain}: ${parsed.error}` };
  const record = parsed.record;
  state.prefetched += prefetchSpfLookups(
    state.resolver,
    record,
    domain,
    state.ip.version,
    state.limits.maxDnsTerms - state.prefetched,
  );
  for (const directive of record.directives) {
    const kind = directive.mechanism.kind;
    const matched =
      kind === 'all' || kind === 'ip4' || kind === 'ip6'
        ? matchesAddress(state, directive.mechanism)
        : await matches(state, directive, domain, node);
    if (matched) {
      const result = QUALIFIER_RESULT[directive.qualifier];
      const reason = `matched "${directive.text}" in the record of ${domain}`;
      if (result !== 'fail') return { result, reason, mechanism: directive.text };
      return { result, reason, mechanism: directive.text, explanation: await explanation(state, record.exp, domain) };
    }
  }
  // §6.1: redirect applies only when no mechanism matched (an "all" always matches).
  if (record.redirect !== undefined) {
    bump(state);
    node.lookups++;
    const target = plainTarget(record.redirect, domain) ?? (await targetName(state, record.redirect, domain));
    const result = await checkHostAt(state, target, 'redirect', node);
    if (result.result === 'none')
      return { result: 'permerror', reason: `redirect=${target} has no SPF record (RFC 7208 §6.1)` };
    return result;
  }
  return {
    result: 'neutral',
    reason: `no mechanism matched in the record of ${domain} (default neutral, RFC 7208 §4.7)`,
  };
}

/** check_host() (RFC 7208 §4): the result for `ip` sending as `sender` with policy of `domain`. */
export async function checkHost(
  resolver: DnsResolver,
  input: SpfCheckInput,
  limits: SpfLimits = SPF_LIMITS,
): Promise<SpfOutcome> {
  const ip = parseIp(input.ip);
  const root: SpfNode = { domain: normaliseName(input.domain), via: 'top', lookups: 0, totalLookups: 0, children: [] };
  if (!ip)
    return {
      result: 'permerror',
      reason: `"${input.ip}" is not an IP address`,
      lookups: 0,
      voidLookups: 0,
      tree: root,
    };
  // §4.3: an empty local part is "postmaster"; an empty MAIL FROM checks the HELO identity.
  const sender =
    input.sender === ''
      ? `postmaster@${input.helo}`
      : input.sender.startsWith('@')
        ? `postmaster${input.sender}`
        : input.sender;
  const state: State = { resolver, limits, ip, input, sender, terms: 0, voids: 0, prefetched: 0 };
  const holder: SpfNode = { domain: '', via: 'top', lookups: 0, totalLookups: 0, children: [] };
  const result = await checkHostAt(state, input.domain, 'top', holder);
  const tree = holder.children[0] ?? root;
  return {
    result: result.result,
    reason: result.reason,
    ...(result.mechanism !== undefined ? { mechanism: result.mechanism } : {}),
    ...(result.explanation !== undefined ? { explanation: result.explanation } : {}),
    ...(result.failed ? { failedQuery: result.failed } : {}),
    lookups: state.terms,
    voidLookups: state.voids,
    tree,
  };
}
