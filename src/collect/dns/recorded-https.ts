import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { HttpsGetter } from '../../mailauth/domain-lookups.js';
import type { HttpsFetch } from '../../snapshot/dns-types.js';
import { SOURCE_FILES } from '../../snapshot/folder-layout.js';

/**
 * HTTPS fetches (MTA-STS policies) answered from a snapshot folder's recorded DNS data, for the
 * simulated tenant: a URL that was never recorded answers as no HTTP answer at all.
 */
export async function recordedHttpsFromFolder(dir: string): Promise<HttpsGetter> {
  let recorded: Readonly<Record<string, HttpsFetch>> = {};
  try {
    const data = JSON.parse(await readFile(path.join(dir, SOURCE_FILES.dns), 'utf8')) as { https?: Record<string, HttpsFetch> };
    recorded = data.https ?? {};
  } catch {
    // No DNS data in the folder: every fetch is unanswered.
  }
  return (url) => Promise.resolve((Object.hasOwn(recorded, url) ? recorded[url] : undefined) ?? { status: 0, error: `the simulated tenant has no HTTPS answer for ${url}` });
}
