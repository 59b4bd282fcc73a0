import type { DnsAnswer, DnsData } from './dns-types.js';
import { questionKey } from './dns-types.js';
import type { DnsResolver } from './dns-resolver.js';

/**
 * Answers from a snapshot's recorded DNS data. A question that was never recorded is
 * `NOT_COLLECTED`, which the checks turn into `error`: replay never invents an answer.
 */
export class ReplayResolver implements DnsResolver {
  constructor(private readonly data: DnsData) {}

  resolve(name: string, type: string): Promise<DnsAnswer> {
    const key = questionKey(name, type);
    const answer = Object.hasOwn(this.data.answers, key) ? this.data.answers[key] : undefined;
    return Promise.resolve(
      answer ?? { rcode: 'NOT_COLLECTED', records: [], detail: `the snapshot holds no answer for ${key}` },
    );
  }
}
