import type { DnsAnswer, DnsData, HttpsFetch } from './dns-types.js';
import { questionKey } from './dns-types.js';
import type { DnsResolver } from './dns-resolver.js';

/**
 * Wraps a live resolver and keeps every answer it gives, keyed `name/TYPE`, so the snapshot
 * holds exactly what the checks will ask again on replay. The first answer to a question wins,
 * so a question asked twice in one run replays the answer the run used first.
 */
export class RecordingResolver implements DnsResolver {
  private readonly answers = new Map<string, DnsAnswer>();
  private readonly https = new Map<string, HttpsFetch>();

  constructor(private readonly live: DnsResolver) {}

  async resolve(name: string, type: string): Promise<DnsAnswer> {
    const key = questionKey(name, type);
    const known = this.answers.get(key);
    if (known) return known;
    const answer = await this.live.resolve(name, type);
    const first = this.answers.get(key);
    if (first) return first;
    this.answers.set(key, answer);
    return answer;
  }

  recordHttps(url: string, fetched: HttpsFetch): void {
    if (!this.https.has(url)) this.https.set(url, fetched);
  }

  /** The recorded data, with questions in sorted order so snapshots diff cleanly. */
  data(): DnsData {
    const answers: Record<string, DnsAnswer> = {};
    for (const key of [...this.answers.keys()].sort()) answers[key] = this.answers.get(key) as DnsAnswer;
    const https: Record<string, HttpsFetch> = {};
    for (const key of [...this.https.keys()].sort()) https[key] = this.https.get(key) as HttpsFetch;
    return this.https.size > 0 ? { answers, https } : { answers };
  }
}
