import { ENDPOINT_FAMILIES, type EndpointFamily } from './endpoint-family.js';
import { FAULT_KINDS, type FaultKind } from './realism.js';

/** What the simulator saw and did; read by tests and benchmarks through `stats()`. */
export interface SimulatorStats {
  /** Requests received, by endpoint family (`$batch` items count in their own family too). */
  readonly requests: Readonly<Record<EndpointFamily, number>>;
  /** 429 responses sent (whole requests and `$batch` items), by family. */
  readonly throttled: Readonly<Record<EndpointFamily, number>>;
  /**
   * Latency the simulator added, summed by family (ms): the time a client working N requests at
   * once cannot beat is this sum divided by N (the benchmarks' pacing bound).
   */
  readonly latencyMs: Readonly<Record<EndpointFamily, number>>;
  /** Requests that arrived when the family's allowance was used up (counted in `observe` mode too). */
  readonly overAllowance: Readonly<Record<EndpointFamily, number>>;
  /** Responses by HTTP status. */
  readonly statuses: Readonly<Record<string, number>>;
  readonly faults: Readonly<Record<FaultKind, number>>;
  readonly batches: number;
  readonly batchItems: number;
  /** Highest number of Outlook requests in flight for one mailbox. */
  readonly peakMailboxConcurrency: number;
  readonly tokens: { readonly issued: number; readonly refused: number };
  readonly dns: { readonly udp: number; readonly tcp: number; readonly truncated: number };
  /** HTTPS requests to the domains' policy hosts (MTA-STS). */
  readonly policyHostRequests: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? { -readonly [J in keyof T[K]]: T[K][J] } : T[K] };

function byFamily(): Record<EndpointFamily, number> {
  return Object.fromEntries(ENDPOINT_FAMILIES.map((f) => [f, 0])) as Record<EndpointFamily, number>;
}

/** The live counters behind `stats()`. */
export class StatsRecorder {
  readonly value: Mutable<SimulatorStats> = {
    requests: byFamily(),
    throttled: byFamily(),
    latencyMs: byFamily(),
    overAllowance: byFamily(),
    statuses: {},
    faults: Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>,
    batches: 0,
    batchItems: 0,
    peakMailboxConcurrency: 0,
    tokens: { issued: 0, refused: 0 },
    dns: { udp: 0, tcp: 0, truncated: 0 },
    policyHostRequests: 0,
  };

  status(status: number): void {
    const key = String(status);
    this.value.statuses[key] = (this.value.statuses[key] ?? 0) + 1;
  }

  /** A deep copy, so callers can diff two readings. */
  snapshot(): SimulatorStats {
    return structuredClone(this.value);
  }
}
