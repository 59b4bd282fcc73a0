import { RecordingResolver } from '../../snapshot/recording-resolver.js';
import type { DnsResolver } from '../../snapshot/dns-resolver.js';
import { askEveryQuestion } from '../../mailauth/dns-questions.js';
import type { DnsAnswer, DnsData } from '../../snapshot/dns-types.js';
import { questionKey } from '../../snapshot/dns-types.js';
import { normaliseName } from '../../model/domain-name.js';
import { knownNames } from '../dns-server.js';

/**
 * Answers exactly as the simulator's DNS server does for this data: the recorded answer, else
 * NODATA for a known name, else NXDOMAIN.
 */
function folderResolver(data: DnsData): DnsResolver {
  const names = knownNames(data);
  return {
    resolve: (name, type) =>
      Promise.resolve(
        data.answers[questionKey(name, type)] ?? {
          rcode: names.has(normaliseName(name)) ? 'NOERROR' : 'NXDOMAIN',
          records: [],
        },
      ),
  };
}

/**
 * Adds to a written tenant's DNS data the answers to every question the email-authentication
 * controls of the catalog ask about `domains` (with their default parameters), as the simulator would
 * give them. A generated folder then replays with `--snapshot` as it audits with `--simulate`,
 * instead of answering NOT_COLLECTED (an `error`) to the DMARC tree walk's parent names or the
 * initial domain's DKIM selectors. Answers already present are kept as they are.
 */
export async function completeDnsData(data: DnsData, domains: readonly string[]): Promise<DnsData> {
  const recorder = new RecordingResolver(folderResolver(data));
  const https = (url: string) => Promise.resolve(data.https?.[url] ?? { status: 0, error: 'not recorded' });
  await askEveryQuestion(recorder, https, domains.map(normaliseName));
  const answers: Record<string, DnsAnswer> = { ...data.answers };
  for (const [key, answer] of Object.entries(recorder.data().answers))
    if (!Object.hasOwn(answers, key)) answers[key] = answer;
  return { ...data, answers };
}
