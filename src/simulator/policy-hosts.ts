import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DnsAnswer, DnsData, HttpsFetch } from '../snapshot/dns-types.js';
import { questionKey } from '../snapshot/dns-types.js';
import { normaliseName } from '../model/domain-name.js';
import { LOOPBACK_HOST } from './loopback.js';

/**
 * The domains' policy hosts (`mta-sts.<domain>`, RFC 8461 §3.3) of a snapshot folder: the
 * HTTPS fetches recorded in `dns/answers.json` under `https`, served again over TLS on loopback.
 */

/** One more byte than the getter accepts (RFC 8461 §3.3's 64 KB), to replay an oversized body. */
const OVERSIZED_BODY = 64 * 1024 + 1;

function hostOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' ? normaliseName(parsed.hostname) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Hosts with at least one recorded HTTP answer. A host whose fetches all failed before any
 * HTTP answer (status 0) is left out, so it does not resolve and the fetch fails again.
 */
export function policyHosts(dns: DnsData | undefined): string[] {
  const hosts = new Set<string>();
  for (const [url, fetched] of Object.entries(dns?.https ?? {})) {
    const host = hostOf(url);
    if (host !== undefined && fetched.status > 0) hosts.add(host);
  }
  return [...hosts].sort();
}

/** The folder's DNS data with each policy host answering A 127.0.0.1: the simulator only ever points at itself. */
export function withPolicyHostAddresses(dns: DnsData | undefined, hosts: readonly string[]): DnsData | undefined {
  if (hosts.length === 0) return dns;
  const answers: Record<string, DnsAnswer> = { ...dns?.answers };
  for (const host of hosts)
    answers[questionKey(host, 'A')] = {
      rcode: 'NOERROR',
      records: [{ name: host, type: 'A', ttl: 300, data: LOOPBACK_HOST }],
    };
  return { ...dns, answers };
}

/**
 * Serves one request to a policy host: the recorded answer for `https://{Host}{path}`, 404 for a
 * URL never recorded. Redirect statuses are sent as recorded, with no Location to follow.
 */
export function servePolicyHost(
  recorded: Readonly<Record<string, HttpsFetch>>,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  const host = normaliseName((request.headers.host ?? '').replace(/:\d+$/, ''));
  const url = `https://${host}${request.url ?? '/'}`;
  const fetched = request.method === 'GET' && Object.hasOwn(recorded, url) ? recorded[url] : undefined;
  if (fetched === undefined || fetched.status <= 0) {
    const text = `The simulated tenant serves no ${request.method ?? 'GET'} ${url}.\n`;
    response.writeHead(404, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(text) });
    response.end(text);
    return;
  }
  // A recorded error beside an HTTP status is a body the getter refused: send one it refuses too.
  const body = fetched.body ?? (fetched.error !== undefined ? 'x'.repeat(OVERSIZED_BODY) : '');
  response.writeHead(fetched.status, {
    ...(fetched.contentType !== undefined ? { 'content-type': fetched.contentType } : {}),
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}
