import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SOURCE_FILES } from '../../snapshot/folder-layout.js';
import { type Manifest, SNAPSHOT_FORMAT_VERSION } from '../../snapshot/manifest.js';
import type { SourceId } from '../../snapshot/source-id.js';
import type { SourceStatus } from '../../snapshot/source-status.js';
import { TOOL } from '../../version.js';
import { seededRandom } from '../random.js';
import { completeDnsData } from './complete-dns.js';
import {
  authenticationStrengths,
  conditionalAccessPolicies,
  namedLocations,
  referencedGroups,
  riskDetections,
  riskyUsers,
  roleAssignments,
  roleDefinitions,
  SECURITY_DEFAULTS,
  tenantDomains,
} from './directory.js';
import { exchangeConfig, invokeHeader } from './exchange-config.js';
import { StreamFile } from './json-writer.js';
import { writePerUserSources } from './per-user-sources.js';
import { mailAccessPlan, writeMailAccessSources } from './mail-access.js';
import { scenarios } from './scenarios.js';
import { writeSignIns } from './sign-ins.js';
import { dnsFor } from './tenant-dns.js';
import { guid, mix, type TenantShape } from './tenant-model.js';

export interface GenerateOptions {
  readonly out: string;
  readonly users: number;
  readonly seed: number;
  /** Sign-ins in the 24 hours before capture; default 20 per user. */
  readonly signIns?: number;
  readonly name?: string;
  /** Custom domains (the first is primary); default derived from the name. */
  readonly domains?: readonly string[];
  /** Capture time; default a fixed instant so the same seed gives the same bytes. */
  readonly capturedAt?: Date;
  readonly tenantId?: string;
}

export interface GenerateSummary {
  readonly users: number;
  readonly signIns: number;
  readonly mailboxes: number;
  readonly inboxRules: number;
  readonly domains: readonly string[];
}

/** Default capture instant of generated tenants. */
export const DEFAULT_CAPTURED_AT = new Date('2026-11-27T06:00:00.000Z');

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '') || 'tenant';
}

export function tenantShape(options: GenerateOptions): TenantShape {
  const name = options.name ?? 'Generated Tenant';
  const base = slug(name);
  const domains = options.domains ?? [`${base}.example`, `${base}-clinic.example`, `${base}-labs.example`];
  return {
    seed: options.seed >>> 0,
    users: options.users,
    signIns: options.signIns ?? options.users * 20,
    name,
    domains,
    initialDomain: `${base}.onmicrosoft.com`,
    tenantId: options.tenantId ?? guid(seededRandom(mix(options.seed, 0, 99))),
    capturedAt: options.capturedAt ?? DEFAULT_CAPTURED_AT,
  };
}

async function writeJson(out: string, relative: string, value: unknown): Promise<void> {
  const file = await StreamFile.open(path.join(out, relative));
  await file.write(`${JSON.stringify(value, null, 1)}\n`);
  await file.close();
}

/**
 * Writes a realistic tenant as a snapshot folder, one writer per source: the per-user sources in
 * one streamed pass (per-user-sources.ts), the directory and Identity Protection sources
 * (directory.ts), Exchange's configuration (exchange-config.ts), DNS (tenant-dns.ts, completed by
 * complete-dns.ts) and the sign-in log (sign-ins.ts), then the manifest. Users, mailboxes and
 * sign-ins are derived from (seed, index) and written as streams, so memory stays flat at 100,000
 * users and 2,000,000 sign-ins; the same options give the same bytes.
 */
export async function generateTenant(options: GenerateOptions): Promise<GenerateSummary> {
  const shape = tenantShape(options);
  const s = scenarios(shape);
  const out = options.out;
  const header = invokeHeader(shape);
  const write = async (id: SourceId, value: unknown): Promise<void> => writeJson(out, SOURCE_FILES[id], value);

  const access = mailAccessPlan(shape);
  const perUser = await writePerUserSources(shape, s, out, header, access);
  const counts: Partial<Record<SourceId, number>> = { ...perUser.counts };

  const breakGlass = perUser.admins[0];
  if (breakGlass === undefined) throw new Error('a generated tenant always has its break-glass administrator');
  const assignments = roleAssignments(shape, perUser.admins);
  await write('graph.roleAssignments', { value: assignments });
  counts['graph.roleAssignments'] = assignments.length;
  const policies = conditionalAccessPolicies(shape, breakGlass);
  await write('graph.conditionalAccessPolicies', { value: policies });
  counts['graph.conditionalAccessPolicies'] = policies.length;
  for (const [id, value] of [
    ['graph.roleDefinitions', roleDefinitions()],
    ['graph.groups', referencedGroups()],
    ['graph.namedLocations', namedLocations(shape)],
  ] as const) {
    await write(id, { value });
    counts[id] = value.length;
  }
  await write('graph.securityDefaults', SECURITY_DEFAULTS);
  const strengths = authenticationStrengths(shape);
  await write('graph.authenticationStrengthPolicies', { value: strengths });
  counts['graph.authenticationStrengthPolicies'] = strengths.length;
  const domains = tenantDomains(shape);
  await write('graph.domains', { value: domains });
  counts['graph.domains'] = domains.length;
  const risky = riskyUsers(shape, s);
  await write('graph.riskyUsers', { value: risky });
  counts['graph.riskyUsers'] = risky.length;
  const detections = riskDetections(shape, risky);
  await write('graph.riskDetections', { value: detections });
  counts['graph.riskDetections'] = detections.length;

  const financeSenders = perUser.admins.slice(1, 3).map((u) => u.upn);
  for (const [id, value] of Object.entries(exchangeConfig(shape, header, financeSenders))) {
    await write(id as SourceId, value);
    counts[id as SourceId] = value.value.length;
  }

  Object.assign(counts, await writeMailAccessSources(out, shape, access, header));

  const dns = await completeDnsData(dnsFor(shape), [...shape.domains, shape.initialDomain]);
  await write('dns', dns);
  counts.dns = Object.keys(dns.answers).length;

  counts['graph.signIns'] = await writeSignIns(shape, s, path.join(out, SOURCE_FILES['graph.signIns']));

  const sources: Partial<Record<SourceId, SourceStatus>> = {};
  for (const [id, count] of Object.entries(counts) as [SourceId, number][]) sources[id] = { status: 'ok', count };
  sources['graph.securityDefaults'] = { status: 'ok' };
  sources['graph.authorizationPolicy'] = { status: 'ok' };
  // Folder names travel in messageRules.jsonl (`folders`); the app may read them.
  sources['graph.mailFolders'] = { status: 'ok' };
  const manifest: Manifest = {
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    tenantId: shape.tenantId,
    capturedAt: shape.capturedAt.toISOString(),
    tool: { name: TOOL.name, version: TOOL.version },
    licences: { 'entra-id-p1': true, 'entra-id-p2': true },
    sources,
    domains: [...shape.domains, shape.initialDomain],
  };
  await writeFile(path.join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return {
    users: shape.users,
    signIns: counts['graph.signIns'] ?? 0,
    mailboxes: counts['exo.mailbox'] ?? 0,
    inboxRules: counts['exo.inboxRule'] ?? 0,
    domains: manifest.domains ?? [],
  };
}
