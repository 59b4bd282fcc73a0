import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError, errorMessage } from '../../errors.js';
import { isJsonObject, type JsonObject } from '../../model/json.js';
import {
  MANIFEST_FILE,
  SINGLETON_SOURCES,
  SOURCE_FILES,
  STREAMED_SOURCES,
  EMBEDDED_SOURCES,
} from '../../snapshot/folder-layout.js';
import type { DnsData } from '../../snapshot/dns-types.js';
import type { Manifest } from '../../snapshot/manifest.js';
import { readSnapshotFolder } from '../../snapshot/read-folder.js';
import type { SourceId } from '../../snapshot/source-id.js';
import type { SourceStatus } from '../../snapshot/source-status.js';
import { completeDnsData } from './complete-dns.js';

/**
 * Sources that describe the tenant's configuration as a whole (policies, org settings): a
 * hand-written overlay replaces the generated ones, so its intended verdicts hold. Every other
 * source lists people or events, and the overlay's records are added in front of the generated.
 */
const REPLACED: ReadonlySet<SourceId> = new Set([
  'graph.conditionalAccessPolicies',
  'graph.securityDefaults',
  'graph.authenticationStrengthPolicies',
  'graph.domains',
  'graph.groups',
  'graph.roleDefinitions',
  'graph.namedLocations',
  'exo.hostedOutboundSpamFilterPolicy',
  'exo.hostedOutboundSpamFilterRule',
  'exo.remoteDomain',
  'exo.dkimSigningConfig',
  'exo.transportConfig',
  'graph.resourceServicePrincipals',
  'exo.transportRule',
  'exo.outboundConnector',
  'exo.organizationConfig',
  'exo.adminAuditLogConfig',
  'exo.applicationAccessPolicy',
]);

function keyOf(item: JsonObject): string[] {
  return ['id', 'userPrincipalName', 'Identity', 'userId']
    .map((k) => item[k])
    .filter((v): v is string => typeof v === 'string')
    .map((v) => v.toLowerCase());
}

async function readLines(file: string): Promise<JsonObject[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as JsonObject);
}

async function readCollection(file: string): Promise<{ header: JsonObject; value: JsonObject[] } | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as unknown;
    if (!isJsonObject(parsed)) return undefined;
    const { value, ...header } = parsed;
    return { header: header as JsonObject, value: Array.isArray(value) ? value.filter(isJsonObject) : [] };
  } catch {
    return undefined;
  }
}

/**
 * The tenant ID an overlay's manifest names, if any: a tenant generated to receive the overlay
 * takes it from the start, so what the generator writes about the tenant itself (which apps it
 * owns) agrees with the manifest the overlay leaves.
 */
export async function overlayTenantId(overlayDir: string): Promise<string | undefined> {
  const file = path.join(overlayDir, MANIFEST_FILE);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error: unknown) {
    throw new ConfigurationError(`${file}: cannot read the overlay manifest (${errorMessage(error)})`);
  }
  return isJsonObject(parsed) && typeof parsed.tenantId === 'string' ? parsed.tenantId : undefined;
}

/**
 * Merges a small hand-written snapshot folder (the demo's curated cases) into a generated one
 * in `out`. Meant for demo-sized tenants: merged sources are read into memory.
 */
export async function applyOverlay(out: string, overlayDir: string): Promise<void> {
  // Strict: a broken curated case must stop the build, not be merged as a failed source.
  const overlay = await readSnapshotFolder(overlayDir, { strict: true });
  const manifestFile = path.join(out, MANIFEST_FILE);
  let generated: Manifest;
  try {
    generated = JSON.parse(await readFile(manifestFile, 'utf8')) as Manifest;
  } catch (error: unknown) {
    throw new ConfigurationError(`${manifestFile}: cannot read the generated manifest (${errorMessage(error)})`);
  }
  const sources: Partial<Record<SourceId, SourceStatus>> = { ...generated.sources };
  for (const [id, status] of Object.entries(overlay.manifest.sources) as [SourceId, SourceStatus][]) {
    if (status.status !== 'ok' || EMBEDDED_SOURCES.has(id)) {
      sources[id] = status;
      continue;
    }
    const from = path.join(overlayDir, SOURCE_FILES[id]);
    const to = path.join(out, SOURCE_FILES[id]);
    await mkdir(path.dirname(to), { recursive: true });
    if (STREAMED_SOURCES.has(id)) {
      const mine = await readLines(from);
      const keys = new Set(mine.flatMap(keyOf));
      const theirs = (await readLines(to)).filter((line) => !keyOf(line).some((k) => keys.has(k)));
      const lines = id === 'graph.signIns' ? [...theirs, ...mine] : [...mine, ...theirs];
      await writeFile(to, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
      const count =
        id === 'graph.signIns'
          ? lines.reduce((n, l) => n + (Array.isArray(l.value) ? l.value.length : 0), 0)
          : lines.length;
      sources[id] = { status: 'ok', count };
      continue;
    }
    if (id === 'dns') {
      const mine = JSON.parse(await readFile(from, 'utf8')) as { answers: JsonObject; https?: JsonObject };
      const theirs = (await readCollection(to)) as unknown as
        | { header: { answers?: JsonObject; https?: JsonObject } }
        | undefined;
      const answers = { ...(theirs?.header.answers ?? {}), ...mine.answers };
      // Recorded HTTPS fetches (MTA-STS policies) merge by URL, the overlay's winning.
      const https = { ...(theirs?.header.https ?? {}), ...(mine.https ?? {}) };
      const merged = { ...mine, answers, ...(Object.keys(https).length > 0 ? { https } : {}) } as unknown as DnsData;
      // The overlay's domains and records change what the controls ask: answer every new question.
      const completed = await completeDnsData(merged, [
        ...(generated.domains ?? []),
        ...(overlay.manifest.domains ?? []),
      ]);
      await writeFile(to, `${JSON.stringify(completed, null, 1)}\n`);
      sources[id] = { status: 'ok', count: Object.keys(completed.answers).length };
      continue;
    }
    if (SINGLETON_SOURCES.has(id) || REPLACED.has(id)) {
      await writeFile(to, await readFile(from, 'utf8'));
      const replaced = await readCollection(to);
      sources[id] = { status: 'ok', ...(SINGLETON_SOURCES.has(id) ? {} : { count: replaced?.value.length ?? 0 }) };
      continue;
    }
    const mine = (await readCollection(from)) ?? { header: {}, value: [] };
    const keys = new Set(mine.value.flatMap(keyOf));
    const theirs = (await readCollection(to)) ?? { header: {}, value: [] };
    const value = [...mine.value, ...theirs.value.filter((item) => !keyOf(item).some((k) => keys.has(k)))];
    await writeFile(to, `${JSON.stringify({ ...theirs.header, ...mine.header, value }, null, 1)}\n`);
    sources[id] = { status: 'ok', count: value.length };
  }
  const manifest: Manifest = {
    ...generated,
    tenantId: overlay.manifest.tenantId ?? generated.tenantId,
    licences: overlay.manifest.licences,
    sources,
    domains: [...new Set([...(generated.domains ?? []), ...(overlay.manifest.domains ?? [])])],
  };
  await writeFile(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
}
