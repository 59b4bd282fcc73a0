import type { HttpsGetter } from '../../mailauth/domain-lookups.js';
import type { DnsResolver } from '../../snapshot/dns-resolver.js';
import type { ExchangeApi } from '../exchange/exchange-api.js';
import type { GraphApi } from '../graph/graph-api.js';

/** The live clients a run was given. A missing client makes its sources `failed`, never skipped silently. */
export interface LiveClients {
  readonly graph?: GraphApi;
  readonly exchange?: ExchangeApi;
  readonly dns?: DnsResolver;
  /** HTTPS GET for MTA-STS policies (RFC 8461), recorded with the DNS data. */
  readonly https?: HttpsGetter;
}
