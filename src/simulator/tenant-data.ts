import path from 'node:path';
import { ConfigurationError } from '../errors.js';
import { isJsonObject, type JsonObject } from '../model/json.js';
import type { DnsData } from '../snapshot/dns-types.js';
import { SOURCE_FILES } from '../snapshot/folder-layout.js';
import type { Manifest } from '../snapshot/manifest.js';
import { readSnapshotFolder } from '../snapshot/read-folder.js';
import type { SourceId } from '../snapshot/source-id.js';
import type { SourceStatus } from '../snapshot/source-status.js';
import { JsonLinesFile } from './json-lines-file.js';
import { TimeShift } from './time-shift.js';

/** Used when a DNS-only snapshot has no tenant: the Graph side then serves nothing useful. */
export const PLACEHOLDER_TENANT_ID = '00000000-0000-0000-0000-000000000000';

/** Per line of signIns.jsonl: how many sign-ins it holds and the span of their times. */
export interface SignInLine {
  readonly count: number;
  readonly newest: number;
  readonly oldest: number;
}

/** The sign-in log: one Graph page per line, newest first, as the collector saved it. */
export interface SignInLog {
  readonly file: JsonLinesFile;
  readonly lines: readonly SignInLine[];
  readonly total: number;
}

/** Inbox rules: one mailbox per line, found by user ID or UPN (lower-case). */
export interface MessageRuleLog {
  readonly file: JsonLinesFile;
  readonly byUser: ReadonlyMap<string, number>;
}

/** A snapshot folder made ready to serve: collections in memory, large logs indexed on disk. */
export interface SimulatedTenant {
  readonly dir: string;
  readonly manifest: Manifest;
  readonly tenantId: string;
  status(id: SourceId): SourceStatus | undefined;
  /** A Graph or Exchange collection whose status is `ok`. */
  collection(id: SourceId): readonly JsonObject[] | undefined;
  readonly securityDefaults: JsonObject | undefined;
  /** A Graph source stored as one object (the authorization policy), whose status is `ok`. */
  singleton(id: SourceId): JsonObject | undefined;
  readonly signIns: SignInLog | undefined;
  readonly messageRules: MessageRuleLog | undefined;
  readonly dns: DnsData | undefined;
  /** Users by lower-case ID and UPN. */
  readonly users: ReadonlyMap<string, JsonObject>;
  /** Transitive members of groups that hold roles, from the expanded principals. */
  readonly groupMembers: ReadonlyMap<string, readonly JsonObject[]>;
  /**
   * How far the folder's times are moved when served (now − capturedAt, or none): applied to
   * the collections at load and to each sign-in and inbox-rule line as it is served.
   */
  readonly shift: TimeShift;
  close(): Promise<void>;
}

export interface LoadOptions {
  /** Serve the folder as of this time: every timestamp moves by it − capturedAt. Absent: as captured. */
  readonly servedAt?: Date;
}

/** Fields without which a resource cannot be served (paged, linked, filtered). */
const REQUIRED: Partial<Record<SourceId, readonly string[]>> = {
  'graph.users': ['id', 'userPrincipalName'],
  'graph.userRegistrationDetails': ['id', 'userPrincipalName'],
  'graph.conditionalAccessPolicies': ['id', 'state'],
  'graph.authenticationStrengthPolicies': ['id', 'allowedCombinations'],
  'graph.roleAssignments': ['id', 'principalId', 'roleDefinitionId'],
  'graph.domains': ['id'],
  'graph.riskyUsers': ['id'],
  'graph.riskDetections': ['id'],
  'graph.resourceServicePrincipals': ['id', 'appId'],
  'graph.appRoleAssignedTo': ['id', 'resourceId', 'principalId', 'appRoleId'],
  'graph.servicePrincipals': ['id', 'appId'],
  'graph.oauth2PermissionGrants': ['id', 'clientId', 'resourceId', 'consentType'],
};

function shapeError(file: string, pointer: string, message: string): ConfigurationError {
  return new ConfigurationError(`${file}: ${pointer}: ${message}`);
}

function checkRequired(dir: string, id: SourceId, items: readonly JsonObject[]): void {
  const required = REQUIRED[id];
  if (required === undefined) return;
  const file = path.join(dir, SOURCE_FILES[id]);
  items.forEach((item, index) => {
    for (const key of required) {
      if (item[key] === undefined || item[key] === null) {
        throw shapeError(file, `/value/${index}/${key}`, `missing required property "${key}"`);
      }
    }
  });
}

function checkDns(file: string, value: unknown): DnsData {
  if (!isJsonObject(value) || !isJsonObject(value.answers))
    throw shapeError(file, '/answers', 'must be an object keyed "name/TYPE"');
  for (const [question, answer] of Object.entries(value.answers)) {
    const pointer = `/answers/${question.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    if (!/^[^/A-Z]*\/[A-Z0-9]+$/.test(question) || question.includes('./')) {
      throw shapeError(file, pointer, 'the key must be "name/TYPE" with a lower-case name without the trailing dot');
    }
    if (!isJsonObject(answer) || typeof answer.rcode !== 'string' || !Array.isArray(answer.records)) {
      throw shapeError(file, pointer, 'must be {"rcode": string, "records": [...]}');
    }
    answer.records.forEach((record, index) => {
      if (
        !isJsonObject(record) ||
        typeof record.name !== 'string' ||
        typeof record.type !== 'string' ||
        record.data === undefined
      ) {
        throw shapeError(file, `${pointer}/records/${index}`, 'must be {"name", "type", "ttl", "data"}');
      }
    });
  }
  // HTTPS fetches (MTA-STS policies), served again by the policy hosts.
  if (value.https !== undefined) {
    if (!isJsonObject(value.https)) throw shapeError(file, '/https', 'must be an object keyed by https URL');
    for (const [url, fetched] of Object.entries(value.https)) {
      const pointer = `/https/${url.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      if (!url.startsWith('https://')) throw shapeError(file, pointer, 'the key must be an https URL');
      const optionalText = (key: string): boolean =>
        !isJsonObject(fetched) || fetched[key] === undefined || typeof fetched[key] === 'string';
      if (
        !isJsonObject(fetched) ||
        typeof fetched.status !== 'number' ||
        !optionalText('contentType') ||
        !optionalText('body') ||
        !optionalText('error')
      ) {
        throw shapeError(file, pointer, 'must be {"status": number, "contentType"?, "body"?, "error"?}');
      }
    }
  }
  return value as unknown as DnsData;
}

async function openSignIns(dir: string, shift: TimeShift): Promise<SignInLog> {
  const lines: SignInLine[] = [];
  let total = 0;
  const file = await JsonLinesFile.open(path.join(dir, SOURCE_FILES['graph.signIns']), (line, _index, where) => {
    if (!Array.isArray(line.value)) throw new ConfigurationError(`${where}: /value: must be an array of sign-ins`);
    let newest = -Infinity;
    let oldest = Infinity;
    line.value.forEach((item, i) => {
      const time =
        isJsonObject(item) && typeof item.createdDateTime === 'string' ? Date.parse(item.createdDateTime) : Number.NaN;
      if (!isJsonObject(item) || typeof item.id !== 'string' || Number.isNaN(time)) {
        throw new ConfigurationError(`${where}: /value/${i}: a sign-in needs an id and an ISO 8601 createdDateTime`);
      }
      newest = Math.max(newest, time);
      oldest = Math.min(oldest, time);
    });
    lines.push({ count: line.value.length, newest: shift.epoch(newest), oldest: shift.epoch(oldest) });
    total += line.value.length;
  });
  return { file, lines, total };
}

async function openMessageRules(dir: string): Promise<MessageRuleLog> {
  const byUser = new Map<string, number>();
  const file = await JsonLinesFile.open(path.join(dir, SOURCE_FILES['graph.messageRules']), (line, index, where) => {
    if (typeof line.userId !== 'string') throw new ConfigurationError(`${where}: /userId: must be a string`);
    if (typeof line.status !== 'number')
      throw new ConfigurationError(`${where}: /status: must be an HTTP status number`);
    if (!isJsonObject(line.body)) throw new ConfigurationError(`${where}: /body: must be an object`);
    byUser.set(line.userId.toLowerCase(), index);
    if (typeof line.userPrincipalName === 'string') byUser.set(line.userPrincipalName.toLowerCase(), index);
  });
  return { file, byUser };
}

/**
 * Reads a snapshot folder for serving. Every problem is a ConfigurationError that names the
 * file and the JSON pointer (or line), raised before any port is opened.
 */
export async function loadTenant(dir: string, options: LoadOptions = {}): Promise<SimulatedTenant> {
  const snapshot = await readSnapshotFolder(dir);
  const { manifest } = snapshot;
  const shift = options.servedAt ? TimeShift.between(manifest.capturedAt, options.servedAt) : TimeShift.NONE;
  const collections = new Map<SourceId, readonly JsonObject[]>();
  let securityDefaults: JsonObject | undefined;
  const singletons = new Map<SourceId, JsonObject>();
  let dns: DnsData | undefined;
  let signIns: SignInLog | undefined;
  let messageRules: MessageRuleLog | undefined;

  for (const [id, status] of Object.entries(manifest.sources) as [SourceId, SourceStatus][]) {
    if (status.status !== 'ok') continue;
    if (id === 'graph.signIns') signIns = await openSignIns(dir, shift);
    else if (id === 'graph.messageRules') messageRules = await openMessageRules(dir);
    else if (id === 'graph.securityDefaults')
      securityDefaults = shift.object(snapshot.data(id) as unknown as JsonObject);
    else if (id === 'graph.authorizationPolicy')
      singletons.set(id, shift.object(snapshot.data(id) as unknown as JsonObject));
    // DNS answers and MTA-STS policies hold no times: served as recorded.
    else if (id === 'dns') dns = checkDns(path.join(dir, SOURCE_FILES.dns), snapshot.data(id));
    else {
      const items = snapshot.data(id) as unknown as readonly JsonObject[];
      checkRequired(dir, id, items);
      collections.set(id, shift.active ? items.map((item) => shift.object(item)) : items);
    }
  }

  const users = new Map<string, JsonObject>();
  for (const user of collections.get('graph.users') ?? []) {
    users.set(String(user.id).toLowerCase(), user);
    users.set(String(user.userPrincipalName).toLowerCase(), user);
  }
  const groupMembers = new Map<string, readonly JsonObject[]>();
  for (const assignment of collections.get('graph.roleAssignments') ?? []) {
    const principal = assignment.principal;
    if (isJsonObject(principal) && Array.isArray(principal.members) && typeof principal.id === 'string') {
      groupMembers.set(principal.id.toLowerCase(), principal.members.filter(isJsonObject));
    }
  }

  return {
    dir,
    manifest,
    tenantId: manifest.tenantId ?? PLACEHOLDER_TENANT_ID,
    status: (id) => manifest.sources[id],
    collection: (id) => collections.get(id),
    securityDefaults,
    singleton: (id) => singletons.get(id),
    signIns,
    messageRules,
    dns,
    users,
    groupMembers,
    shift,
    async close() {
      await signIns?.file.close();
      await messageRules?.file.close();
    },
  };
}
