import type { DnsAnswer } from './dns-types.js';

/**
 * A DNS resolver: one question in, one answer out. NXDOMAIN and NODATA are answers (data);
 * a timeout, SERVFAIL, REFUSED or a malformed reply is an answer whose `rcode` says so, which
 * the checks turn into `error`. Every DNS-using function takes a resolver as a parameter.
 */
export interface DnsResolver {
  resolve(name: string, type: string): Promise<DnsAnswer>;
  /**
   * Optional: starts a lookup that a later resolve() will probably ask for, and returns
   * nothing (so it allocates nothing when the answer is cached). Without it, callers that
   * prefetch call resolve() and drop the promise.
   */
  prefetch?(name: string, type: string): void;
}
