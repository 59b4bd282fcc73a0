import type { Json } from '../model/json.js';
import { ConfigurationError } from '../errors.js';
import { isJsonObject } from '../model/json.js';
import type { Licence } from '../snapshot/source-status.js';
import { ENDPOINT_FAMILIES, type EndpointFamily } from './endpoint-family.js';

/** Per-request latency, drawn from a distribution with the simulator's seeded generator. */
export type LatencyConfig =
  | { readonly kind: 'fixed'; readonly ms: number }
  | { readonly kind: 'uniform'; readonly minMs: number; readonly maxMs: number }
  /** Log-normal around `medianMs`: most requests near the median, a long tail like real Graph. */
  | { readonly kind: 'lognormal'; readonly medianMs: number; readonly sigma: number };

export const FAULT_KINDS = [
  'status503',
  'status504',
  'status429',
  'status400',
  'status403',
  'status404',
  'reset',
  'stall',
  'malformedJson',
  'loopingNextLink',
  'replaceValue',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** An injected fault: on which requests (path substring and/or family), how often, how many times. */
export interface FaultRule {
  readonly kind: FaultKind;
  /** Probability per matching request (0..1); default 1. */
  readonly rate?: number;
  /** Matches when the request path (with query) contains this text. */
  readonly path?: string;
  readonly family?: EndpointFamily;
  /** Let this many matching requests through before injecting. */
  readonly after?: number;
  /** Inject at most this many times. */
  readonly limit?: number;
  /**
   * `replaceValue`: the JSON pointer, in a Graph response body, of the value to replace (e.g.
   * `/value/3/conditions/clientAppTypes`), so a test can serve a field of the wrong type from a
   * folder that matches docs/snapshot-format.md.
   */
  readonly pointer?: string;
  /** `replaceValue`: the value served instead. */
  readonly value?: Json;
}

/** Graph's documented limits (learn.microsoft.com/graph/throttling-limits), switchable and tunable. */
export interface ThrottlingConfig {
  /** `enforce` answers 429; `observe` only counts requests over the allowance. */
  readonly mode: 'enforce' | 'observe' | 'off';
  /** Identity and access reports: requests per window per tenant (5 per 10 s). */
  readonly reports?: { readonly limit: number; readonly windowMs: number };
  /** Identity Protection and Conditional Access: requests per window per tenant (1 per 1 s), no Retry-After. */
  readonly identityProtection?: { readonly limit: number; readonly windowMs: number };
  /** Outlook, per mailbox: concurrent requests (4) and requests per window (10,000 per 10 min). */
  readonly outlook?: { readonly concurrency: number; readonly limit: number; readonly windowMs: number };
  /** Global per app: requests per second (2,000). */
  readonly global?: { readonly limit: number; readonly windowMs: number };
  /**
   * Identity and access (directory) resource units per app and tenant in a window: `limit`, or by
   * the tenant's size when absent (3,500 / 5,000 / 8,000 per 10 s below 50 / 50 to 500 / over 500
   * users). Costs in resource-units.ts.
   */
  readonly directory?: { readonly limit?: number; readonly windowMs: number };
}

/** The directory's resource-unit budget, sized by the tenant's users (learn.microsoft.com/graph/throttling-limits). */
export const DIRECTORY_RESOURCE_UNITS = { windowMs: 10_000 } as const;

/** How real the simulated tenant behaves. Everything is off unless set. */
export interface RealismConfig {
  /** Seed of the generator behind latency and fault rates, so a run can be repeated. */
  readonly seed?: number;
  readonly latency?: LatencyConfig;
  /** Latency by endpoint family, over `latency`. */
  readonly latencyByFamily?: Partial<Record<EndpointFamily, LatencyConfig>>;
  readonly throttling?: ThrottlingConfig;
  /** Application permissions the app lacks: requests needing them get 403 Authorization_RequestDenied. */
  readonly missingPermissions?: readonly string[];
  /**
   * Cmdlets the app's Exchange roles leave out (e.g. `Get-MailboxAuditBypassAssociation`): the
   * admin API answers them as commands the session does not have.
   */
  readonly missingCmdlets?: readonly string[];
  /** Licences, over the manifest's (e.g. `{"entra-id-p2": false}`). */
  readonly licences?: Partial<Record<Licence, boolean>>;
  readonly faults?: readonly FaultRule[];
  /** Exchange's default ResultSize for Get-Mailbox / Get-CASMailbox (1000). */
  readonly exchangeDefaultResultSize?: number;
  /** How long a stalled body hangs before the socket is destroyed (default: until close). */
  readonly stallMs?: number;
}

/** The documented limits. */
export const DOCUMENTED_THROTTLING: Required<Omit<ThrottlingConfig, 'directory'>> = {
  mode: 'enforce',
  reports: { limit: 5, windowMs: 10_000 },
  identityProtection: { limit: 1, windowMs: 1_000 },
  outlook: { concurrency: 4, limit: 10_000, windowMs: 600_000 },
  global: { limit: 2_000, windowMs: 1_000 },
};

/** A realistic preset: documented throttling and a log-normal latency around 80 ms. */
export const REALISTIC: RealismConfig = {
  latency: { kind: 'lognormal', medianMs: 80, sigma: 0.5 },
  throttling: { ...DOCUMENTED_THROTTLING, directory: DIRECTORY_RESOURCE_UNITS },
};

function fail(file: string, pointer: string, message: string): never {
  throw new ConfigurationError(`${file}: ${pointer}: ${message}`);
}

function checkNumber(file: string, pointer: string, value: unknown, min = 0): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min)
    fail(file, pointer, `must be a number >= ${min}`);
}

function checkLatency(file: string, pointer: string, value: unknown): void {
  if (!isJsonObject(value)) fail(file, pointer, 'must be an object with "kind"');
  switch (value.kind) {
    case 'fixed':
      checkNumber(file, `${pointer}/ms`, value.ms);
      return;
    case 'uniform':
      checkNumber(file, `${pointer}/minMs`, value.minMs);
      checkNumber(file, `${pointer}/maxMs`, value.maxMs, Number(value.minMs));
      return;
    case 'lognormal':
      checkNumber(file, `${pointer}/medianMs`, value.medianMs);
      checkNumber(file, `${pointer}/sigma`, value.sigma);
      return;
    default:
      fail(file, `${pointer}/kind`, 'must be fixed, uniform or lognormal');
  }
}

const TOP_KEYS = new Set([
  'seed',
  'latency',
  'latencyByFamily',
  'throttling',
  'missingPermissions',
  'missingCmdlets',
  'licences',
  'faults',
  'exchangeDefaultResultSize',
  'stallMs',
]);

/** Validates a realism config read from JSON (`--realism FILE`); errors name the JSON pointer. */
export function parseRealism(value: unknown, file: string): RealismConfig {
  if (!isJsonObject(value)) fail(file, '/', 'must be a JSON object');
  for (const key of Object.keys(value)) if (!TOP_KEYS.has(key)) fail(file, `/${key}`, 'unknown property');
  if (value.seed !== undefined) checkNumber(file, '/seed', value.seed);
  if (value.latency !== undefined) checkLatency(file, '/latency', value.latency);
  if (value.latencyByFamily !== undefined) {
    if (!isJsonObject(value.latencyByFamily)) fail(file, '/latencyByFamily', 'must be an object');
    for (const [family, latency] of Object.entries(value.latencyByFamily)) {
      if (!(ENDPOINT_FAMILIES as readonly string[]).includes(family))
        fail(file, `/latencyByFamily/${family}`, 'unknown endpoint family');
      checkLatency(file, `/latencyByFamily/${family}`, latency);
    }
  }
  if (value.throttling !== undefined) {
    const t = value.throttling;
    if (!isJsonObject(t) || !['enforce', 'observe', 'off'].includes(String(t.mode)))
      fail(file, '/throttling/mode', 'must be enforce, observe or off');
    for (const key of ['reports', 'identityProtection', 'global', 'outlook'] as const) {
      const limit = t[key];
      if (limit === undefined) continue;
      if (!isJsonObject(limit)) fail(file, `/throttling/${key}`, 'must be an object');
      checkNumber(file, `/throttling/${key}/limit`, limit.limit, 1);
      checkNumber(file, `/throttling/${key}/windowMs`, limit.windowMs, 1);
      if (key === 'outlook') checkNumber(file, '/throttling/outlook/concurrency', limit.concurrency, 1);
    }
    if (t.directory !== undefined) {
      if (!isJsonObject(t.directory)) fail(file, '/throttling/directory', 'must be an object');
      if (t.directory.limit !== undefined) checkNumber(file, '/throttling/directory/limit', t.directory.limit, 1);
      checkNumber(file, '/throttling/directory/windowMs', t.directory.windowMs, 1);
    }
  }
  if (
    value.missingPermissions !== undefined &&
    (!Array.isArray(value.missingPermissions) || !value.missingPermissions.every((p) => typeof p === 'string'))
  ) {
    fail(file, '/missingPermissions', 'must be an array of permission names');
  }
  if (
    value.missingCmdlets !== undefined &&
    (!Array.isArray(value.missingCmdlets) || !value.missingCmdlets.every((p) => typeof p === 'string'))
  ) {
    fail(file, '/missingCmdlets', 'must be an array of cmdlet names');
  }
  if (value.licences !== undefined) {
    if (!isJsonObject(value.licences)) fail(file, '/licences', 'must be an object');
    for (const [licence, present] of Object.entries(value.licences)) {
      if (licence !== 'entra-id-p1' && licence !== 'entra-id-p2')
        fail(file, `/licences/${licence}`, 'must be entra-id-p1 or entra-id-p2');
      if (typeof present !== 'boolean') fail(file, `/licences/${licence}`, 'must be true or false');
    }
  }
  if (value.faults !== undefined) {
    if (!Array.isArray(value.faults)) fail(file, '/faults', 'must be an array');
    value.faults.forEach((rule, index) => {
      const pointer = `/faults/${index}`;
      if (!isJsonObject(rule)) fail(file, pointer, 'must be an object');
      if (!(FAULT_KINDS as readonly string[]).includes(String(rule.kind)))
        fail(file, `${pointer}/kind`, `must be one of ${FAULT_KINDS.join(', ')}`);
      if (rule.rate !== undefined && (typeof rule.rate !== 'number' || rule.rate < 0 || rule.rate > 1))
        fail(file, `${pointer}/rate`, 'must be between 0 and 1');
      if (rule.path !== undefined && typeof rule.path !== 'string') fail(file, `${pointer}/path`, 'must be a string');
      if (rule.family !== undefined && !(ENDPOINT_FAMILIES as readonly string[]).includes(String(rule.family)))
        fail(file, `${pointer}/family`, 'unknown endpoint family');
      if (rule.after !== undefined) checkNumber(file, `${pointer}/after`, rule.after);
      if (rule.limit !== undefined) checkNumber(file, `${pointer}/limit`, rule.limit);
      if (rule.kind === 'replaceValue' && (typeof rule.pointer !== 'string' || !rule.pointer.startsWith('/')))
        fail(file, `${pointer}/pointer`, 'replaceValue needs a JSON pointer such as /value/0/accountEnabled');
      if (rule.kind === 'replaceValue' && rule.value === undefined)
        fail(file, `${pointer}/value`, 'replaceValue needs the value to serve');
    });
  }
  if (value.exchangeDefaultResultSize !== undefined)
    checkNumber(file, '/exchangeDefaultResultSize', value.exchangeDefaultResultSize, 1);
  if (value.stallMs !== undefined) checkNumber(file, '/stallMs', value.stallMs);
  return value as unknown as RealismConfig;
}
