import path from 'node:path';
import { ConfigurationError } from '../errors.js';
import { isJsonObject, type JsonObject } from '../model/json.js';
import type { DnsData } from '../snapshot/dns-types.js';
import { EMBEDDED_SOURCES, SOURCE_FILES } from '../snapshot/folder-layout.js';
import type { Manifest } from '../snapshot/manifest.js';
import { readSnapshotFolder } from '../snapshot/read-folder.js';
import { problemText, recordCheck, type ShapeCheck } from '../snapshot/shape-check.js';
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

function checked(check: ShapeCheck, value: unknown, where: string, prefix: string): void {
  const problem = check(value);
  if (problem) throw new ConfigurationError(`${where}: ${problemText(problem, prefix)}`);
}

/** The reader checks a stream's count as it is read; the simulator scans it whole at start. */
function checkStreamCount(dir: string, id: SourceId, found: number, counted: number | undefined): void {
  if (found !== counted) {
    throw new ConfigurationError(
      `${path.join(dir, SOURCE_FILES[id])}: holds ${found} records, but the manifest counts ${counted ?? 'none'}`,
    );
  }
}

async function openSignIns(dir: string, shift: TimeShift): Promise<SignInLog> {
  const lines: SignInLine[] = [];
  let total = 0;
  const check = recordCheck('graph.signIns');
  const file = await JsonLinesFile.open(path.join(dir, SOURCE_FILES['graph.signIns']), (line, _index, where) => {
    if (!Array.isArray(line.value)) throw new ConfigurationError(`${where}: /value: must be an array of sign-ins`);
    let newest = -Infinity;
    let oldest = Infinity;
    line.value.forEach((item, i) => {
      checked(check, item, where, `/value/${i}`);
      // Served pages are filtered and ordered by time, so the simulator needs a time it can read.
      const time = Date.parse((item as { createdDateTime: string }).createdDateTime);
      if (Number.isNaN(time)) {
        throw new ConfigurationError(`${where}: /value/${i}/createdDateTime: is not an ISO 8601 date-time`);
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
  const check = recordCheck('graph.messageRules');
  const file = await JsonLinesFile.open(path.join(dir, SOURCE_FILES['graph.messageRules']), (line, index, where) => {
    checked(check, line, where, '');
    const mailbox = line as unknown as { userId: string; userPrincipalName: string };
    byUser.set(mailbox.userId.toLowerCase(), index);
    byUser.set(mailbox.userPrincipalName.toLowerCase(), index);
  });
  return { file, byUser };
}

/**
 * Reads a snapshot folder for serving. Every problem is a ConfigurationError that names the
 * file and the JSON pointer (or line), raised before any port is opened.
 */
export async function loadTenant(dir: string, options: LoadOptions = {}): Promise<SimulatedTenant> {
  // Strict: a fixture that does not match docs/snapshot-format.md is refused before any port opens.
  const snapshot = await readSnapshotFolder(dir, { strict: true });
  const { manifest } = snapshot;
  const shift = options.servedAt ? TimeShift.between(manifest.capturedAt, options.servedAt) : TimeShift.NONE;
  const collections = new Map<SourceId, readonly JsonObject[]>();
  let securityDefaults: JsonObject | undefined;
  const singletons = new Map<SourceId, JsonObject>();
  let dns: DnsData | undefined;
  let signIns: SignInLog | undefined;
  let messageRules: MessageRuleLog | undefined;

  for (const [id, status] of Object.entries(manifest.sources) as [SourceId, SourceStatus][]) {
    if (status.status !== 'ok' || EMBEDDED_SOURCES.has(id)) continue;
    if (id === 'graph.signIns') {
      signIns = await openSignIns(dir, shift);
      checkStreamCount(dir, id, signIns.total, status.count);
    } else if (id === 'graph.messageRules') {
      messageRules = await openMessageRules(dir);
      checkStreamCount(dir, id, messageRules.file.lineCount, status.count);
    } else if (id === 'graph.securityDefaults')
      securityDefaults = shift.object(snapshot.data(id) as unknown as JsonObject);
    else if (id === 'graph.authorizationPolicy')
      singletons.set(id, shift.object(snapshot.data(id) as unknown as JsonObject));
    // DNS answers and MTA-STS policies hold no times: served as recorded.
    else if (id === 'dns') dns = snapshot.data(id);
    else {
      const items = snapshot.data(id) as unknown as readonly JsonObject[];
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
