import { RecordingResolver } from '../../snapshot/recording-resolver.js';
import type { DnsResolver } from '../../snapshot/dns-resolver.js';
import {
  lookupDkim,
  lookupDmarc,
  lookupDmarcReporting,
  lookupM365Authorization,
  lookupMtaSts,
  lookupParked,
  lookupSpf,
  lookupTlsRpt,
} from '../../mailauth/domain-lookups.js';
import type { DnsAnswer, DnsData } from '../../snapshot/dns-types.js';
import { questionKey } from '../../snapshot/dns-types.js';
import { normaliseName } from '../../model/domain-name.js';
import { knownNames } from '../dns-server.js';

/** The selectors and key size of the catalog's defaults (dkim.keys), as the collector asks them. */
const SELECTORS = ['selector1', 'selector2'];

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
 * controls ask about `domains` (with the catalog's default parameters), as the simulator would
 * give them. A generated folder then replays with `--snapshot` as it audits with `--simulate`,
 * instead of answering NOT_COLLECTED (an `error`) to the DMARC tree walk's parent names or the
 * initial domain's DKIM selectors. Answers already present are kept as they are.
 */
export async function completeDnsData(data: DnsData, domains: readonly string[]): Promise<DnsData> {
  const recorder = new RecordingResolver(folderResolver(data));
  const https = (url: string) => Promise.resolve(data.https?.[url] ?? { status: 0, error: 'not recorded' });
  for (const domain of domains.map(normaliseName)) {
    await lookupSpf(recorder, domain);
    await lookupM365Authorization(recorder, domain);
    await lookupDkim(recorder, domain, SELECTORS, 2048);
    await lookupDmarc(recorder, domain);
    await lookupDmarcReporting(recorder, domain);
    await lookupParked(recorder, domain);
    await lookupMtaSts(recorder, https, domain);
    await lookupTlsRpt(recorder, domain);
    // dkim.signing compares the selector CNAMEs with Exchange's configuration.
    for (const selector of SELECTORS) await recorder.resolve(`${selector}._domainkey.${domain}`, 'CNAME');
  }
  const answers: Record<string, DnsAnswer> = { ...data.answers };
  for (const [key, answer] of Object.entries(recorder.data().answers))
    if (!Object.hasOwn(answers, key)) answers[key] = answer;
  return { ...data, answers };
}
