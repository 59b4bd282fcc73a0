import { errorMessage } from '../../errors.js';
import { isJsonObject } from '../../model/json.js';
import type { GraphUser, MailboxMessageRules, MessageRule } from '../../snapshot/graph-types.js';
import type { PageStream } from '../../snapshot/snapshot.js';
import { inShard, type Shard } from '../../snapshot/shard.js';
import type { Collected, CollectContext } from '../live/source-collector.js';
import { MAILBOX_OWNER_SCHEMA } from '../../snapshot/schemas/graph-schemas.js';
import { checkOf } from '../../snapshot/shape-check.js';
import {
  type BatchItemRequest,
  type BatchItemResponse,
  type GraphApi,
  GraphRequestError,
  GraphShapeError,
} from './graph-api.js';
import { statusFromError } from './graph-source.js';
import { BATCHES_IN_FLIGHT } from './rate-limiter.js';

/**
 * Inbox rules of every mailbox through JSON `$batch`, as a lazily read stream.
 *
 * Outlook limits (learn.microsoft.com/graph/throttling-limits, "Outlook service limits"): 4
 * concurrent requests and 10,000 requests per 10 minutes, per app and mailbox. Each mailbox
 * gets one request at a time (a rare second page follows only after the first returns), so a
 * mailbox never sees more than 1 concurrent request nor more than a handful per run. What binds
 * is Graph's global 2,000 requests/s per app, counted per batch item: the transport paces item
 * starts under it (request-pacer.ts), and enough batches stay in flight to keep that pace
 * (`BATCHES_IN_FLIGHT`, by Little's law: Graph runs at most 4 Outlook sub-requests of one batch
 * in parallel, so a batch of 20 takes about 5 round trips).
 */
export interface MessageRulesOptions {
  /** Requests per `$batch` (Graph's maximum is 20). */
  readonly batchSize?: number;
  /** `$batch` requests in flight at once (default: the transport's `BATCHES_IN_FLIGHT`). */
  readonly concurrency?: number;
  /** Users read per page of `/users`. */
  readonly userPageSize?: number;
  /** Only mailboxes whose user ID falls in this shard (`--shard i/n`). */
  readonly shard?: Shard;
}

const USERS_PATH = (top: number) => `/users?$select=id,userPrincipalName,userType,mail&$top=${top}`;
const RULES_PATH = (id: string) => `/users/${encodeURIComponent(id)}/mailFolders/inbox/messageRules`;

/** Relative form of an absolute Graph nextLink, for `GraphApi.pages`. */
function relativeLink(link: string): string {
  const url = new URL(link);
  return `${url.pathname.replace(/^\/(v1\.0|beta)(?=\/)/, '')}${url.search}`;
}

function bodyOf(item: BatchItemResponse): MailboxMessageRules['body'] {
  const body = item.body;
  if (!isJsonObject(body)) return { error: { code: 'InvalidBody', message: 'the batch item has no JSON body' } };
  if (item.status >= 200 && item.status < 300) {
    if (!Array.isArray(body.value))
      return { error: { code: 'InvalidBody', message: 'the batch item has no value array' } };
    return { value: body.value as unknown as readonly MessageRule[] };
  }
  const error = isJsonObject(body.error) ? body.error : {};
  return {
    error: {
      code: typeof error.code === 'string' ? error.code : `HTTP${item.status}`,
      ...(typeof error.message === 'string' ? { message: error.message } : {}),
    },
  };
}

type Mailbox = Pick<GraphUser, 'id' | 'userPrincipalName'>;

const FOLDER_PATH = (user: string, folder: string) =>
  `/users/${encodeURIComponent(user)}/mailFolders/${encodeURIComponent(folder)}?$select=displayName`;

/** What reading the names of the folders rules move mail to gave, per mailbox. */
interface FolderNames {
  readonly names: Map<string, Record<string, string>>;
  /** Folders whose name could not be read (HTTP status), by mailbox: never a silent gap. */
  readonly unread: Map<string, Record<string, number>>;
}

/**
 * Names the folders rules move or copy mail to. Graph gives `moveToFolder` as a folder ID, and
 * the concealment control judges the folder by name ("RSS Feeds"). Reading a folder needs
 * Mail.ReadBasic.All (source graph.mailFolders); a folder that is gone (404) stays unnamed and
 * the rule is judged by its other signs. Any other answer (403, 5xx) is recorded as unread, so
 * the check says it cannot judge that rule, and after a 403 the other folders are not asked.
 */
async function folderNames(graph: GraphApi, items: readonly MailboxMessageRules[], denied: { status?: number }) {
  const wanted: { user: string; folder: string }[] = [];
  for (const item of items) {
    const seen = new Set<string>();
    for (const rule of item.body.value ?? []) {
      const actions = isJsonObject(rule.actions) ? rule.actions : {};
      for (const key of ['moveToFolder', 'copyToFolder']) {
        const folder = actions[key];
        if (typeof folder === 'string' && folder !== '' && !seen.has(folder)) {
          seen.add(folder);
          wanted.push({ user: item.userId, folder });
        }
      }
    }
  }
  const out: FolderNames = { names: new Map(), unread: new Map() };
  const unread = (user: string, folder: string, status: number): void => {
    const map = out.unread.get(user) ?? {};
    map[folder] = status;
    out.unread.set(user, map);
  };
  for (let i = 0; i < wanted.length; i += 20) {
    const chunk = wanted.slice(i, i + 20);
    if (denied.status !== undefined) {
      for (const w of chunk) unread(w.user, w.folder, denied.status);
      continue;
    }
    const responses = await graph.batch(
      chunk.map((w, j) => ({ id: String(j), method: 'GET', url: FOLDER_PATH(w.user, w.folder) })),
    );
    for (const response of responses) {
      const asked = chunk[Number(response.id)];
      if (!asked) continue;
      const body = response.body;
      if (response.status === 200 && isJsonObject(body) && typeof body.displayName === 'string') {
        const names = out.names.get(asked.user) ?? {};
        names[asked.folder] = body.displayName;
        out.names.set(asked.user, names);
      } else if (response.status !== 404) {
        if (response.status === 401 || response.status === 403) denied.status = response.status;
        unread(asked.user, asked.folder, response.status);
      }
    }
  }
  return out;
}

async function fetchBatch(
  graph: GraphApi,
  users: readonly Mailbox[],
  denied: { status?: number } = {},
): Promise<MailboxMessageRules[]> {
  const requests: BatchItemRequest[] = users.map((u, i) => ({ id: String(i), method: 'GET', url: RULES_PATH(u.id) }));
  const responses = await graph.batch(requests);
  const byId = new Map(responses.map((r) => [r.id, r]));
  const out: MailboxMessageRules[] = [];
  for (const [i, user] of users.entries()) {
    const item = byId.get(String(i));
    if (!item) throw new Error(`$batch response has no item for ${user.userPrincipalName}`);
    let body = bodyOf(item);
    const next = isJsonObject(item.body) ? item.body['@odata.nextLink'] : undefined;
    if (body.value && typeof next === 'string') {
      // Rule collections are small; a second page is rare and read for this mailbox alone.
      const rules: MessageRule[] = [...body.value];
      for await (const page of graph.pages(relativeLink(next))) rules.push(...(page as readonly MessageRule[]));
      body = { value: rules };
    }
    out.push({ userId: user.id, userPrincipalName: user.userPrincipalName, status: item.status, body });
  }
  const folders = await folderNames(graph, out, denied);
  if (folders.names.size === 0 && folders.unread.size === 0) return out;
  return out.map((item) => {
    const names = folders.names.get(item.userId);
    const unread = folders.unread.get(item.userId);
    return names || unread
      ? { ...item, ...(names ? { folders: names } : {}), ...(unread ? { unreadFolders: unread } : {}) }
      : item;
  });
}

/**
 * Mailbox owners: every user except guests (a guest's mailbox is in their home tenant). A user
 * of the wrong shape is a GraphShapeError, never skipped: a skipped mailbox is one whose rules
 * nobody read.
 */
function mailboxOwners(page: readonly unknown[], shard: Shard | undefined): Mailbox[] {
  const check = checkOf(MAILBOX_OWNER_SCHEMA);
  const out: Mailbox[] = [];
  for (const [index, item] of page.entries()) {
    const problem = check(item);
    if (problem) throw new GraphShapeError('/users', `/value/${index}${problem.pointer}`, problem.message);
    const user = item as { id: string; userPrincipalName: string; userType?: string | null };
    if (!inShard(user.id, shard)) continue;
    if (typeof user.userType === 'string' && user.userType.toLowerCase() === 'guest') continue;
    out.push({ id: user.id, userPrincipalName: user.userPrincipalName });
  }
  return out;
}

/**
 * The stream of every mailbox's rules. Batches run `concurrency` at a time; each finished batch
 * is one page, yielded as it completes, so memory holds at most `concurrency` batches and one
 * page of users. It can be read once (a live source).
 */
export function messageRulesStream(
  graph: GraphApi,
  options: MessageRulesOptions = {},
  first?: {
    readonly users: AsyncIterator<readonly unknown[]>;
    readonly pending: readonly Mailbox[];
    /** Mailboxes already read (the collector's probe), yielded first so no mailbox is read twice. */
    readonly done?: readonly MailboxMessageRules[];
  },
): PageStream<MailboxMessageRules> {
  const batchSize = Math.min(20, Math.max(1, options.batchSize ?? 20));
  const concurrency = Math.max(1, options.concurrency ?? BATCHES_IN_FLIGHT);
  const userPageSize = options.userPageSize ?? 999;
  return {
    async *pages() {
      const users = first?.users ?? graph.pages(USERS_PATH(userPageSize))[Symbol.asyncIterator]();
      let pending: Mailbox[] = [...(first?.pending ?? [])];
      let exhausted = false;
      // The next page of users is asked for while the current one still feeds batches, so the
      // batches never wait a directory round trip for work (pages hold 999 users, ~50 batches).
      let nextPage: Promise<IteratorResult<readonly unknown[]>> | undefined;
      const prefetch = (): void => {
        if (!exhausted && nextPage === undefined) {
          nextPage = users.next();
          nextPage.catch(() => undefined);
        }
      };
      // Batches finish in any order; each slot is refilled as soon as its batch returns, so a
      // slow batch (latency has a long tail) never holds the others back.
      const inFlight = new Map<number, Promise<{ key: number; page: MailboxMessageRules[] }>>();
      // After one folder read is refused, the rest of the run's folders are recorded unread unasked.
      const denied: { status?: number } = {};
      let nextKey = 0;
      const fill = async (): Promise<void> => {
        while (inFlight.size < concurrency) {
          while (pending.length < batchSize && !exhausted) {
            prefetch();
            const next = await (nextPage as Promise<IteratorResult<readonly unknown[]>>);
            nextPage = undefined;
            if (next.done === true) exhausted = true;
            else pending.push(...mailboxOwners(next.value, options.shard));
          }
          if (pending.length === 0) return;
          if (pending.length < batchSize * concurrency) prefetch();
          const batch = pending.slice(0, batchSize);
          pending = pending.slice(batchSize);
          const key = nextKey++;
          const started = fetchBatch(graph, batch, denied).then((page) => ({ key, page }));
          // Avoid an unhandled rejection while other batches are being yielded.
          started.catch(() => undefined);
          inFlight.set(key, started);
        }
      };
      if (first?.done && first.done.length > 0) yield [...first.done];
      await fill();
      while (inFlight.size > 0) {
        const { key, page } = await Promise.race(inFlight.values());
        inFlight.delete(key);
        await fill();
        yield page;
      }
    },
  };
}

/**
 * Collector of `graph.messageRules`. It reads the first page of users and sends the first
 * batch before returning, so a refused permission is a source status (`not_permitted`), not a
 * stream error later; the rest is read lazily when the checks fold over the stream.
 */
export function messageRulesCollector(options: MessageRulesOptions = {}) {
  return async (context: CollectContext): Promise<Collected<'graph.messageRules'>> => {
    const graph = context.clients.graph;
    const streamOptions: MessageRulesOptions = { ...options, ...(context.shard ? { shard: context.shard } : {}) };
    if (!graph) return { status: { status: 'failed', reason: 'no Graph client was configured for this run' } };
    const users = graph.pages(USERS_PATH(options.userPageSize ?? 999))[Symbol.asyncIterator]();
    try {
      const firstPage = await users.next();
      const owners = firstPage.done === true ? [] : mailboxOwners(firstPage.value, context.shard);
      const probe = owners.slice(0, 1);
      let done: MailboxMessageRules[] = [];
      if (probe.length > 0) {
        // One probe request tells a refused permission from data; the stream yields its answer.
        done = await fetchBatch(graph, probe);
        const [item] = done;
        if (item && (item.status === 401 || item.status === 403)) {
          return {
            status: {
              status: 'not_permitted',
              permission: 'MailboxSettings.Read',
              reason: `Reading inbox rules was refused (HTTP ${item.status}, ${item.body.error?.code ?? 'no error code'}).`,
            },
          };
        }
      }
      return {
        status: { status: 'ok' },
        data: messageRulesStream(graph, streamOptions, { users, pending: owners.slice(probe.length), done }),
      };
    } catch (error: unknown) {
      if (error instanceof GraphRequestError && (error.status === 401 || error.status === 403)) {
        return {
          status: {
            status: 'not_permitted',
            permission: error.path.startsWith('/users?') ? 'User.Read.All' : 'MailboxSettings.Read',
            reason: errorMessage(error),
          },
        };
      }
      return { status: { status: 'failed', reason: errorMessage(error) } };
    }
  };
}

/** Graph error codes that say a user has no Exchange Online mailbox to probe. */
const NO_MAILBOX = new Set(['MailboxNotEnabledForRESTAPI', 'MailboxNotFound', 'ErrorInvalidUser', 'ResourceNotFound']);

/** Mailboxes tried before the probe gives up on finding one. */
const PROBE_MAILBOXES = 10;

/**
 * Collector of `graph.mailFolders`: whether the app may read folder names (Mail.ReadBasic.All),
 * asked once of one mailbox's Inbox. Without it the concealment control cannot name the folders
 * rules move mail to: that is this source's status (`not_permitted`), never a silent gap. The
 * names themselves are read with the rules (messageRulesStream) and stored in their lines.
 */
export function mailFoldersCollector() {
  return async (context: CollectContext): Promise<Collected<'graph.mailFolders'>> => {
    const graph = context.clients.graph;
    if (!graph) return { status: { status: 'failed', reason: 'no Graph client was configured for this run' } };
    try {
      let tried = 0;
      for await (const page of graph.pages(USERS_PATH(PROBE_MAILBOXES * 2))) {
        for (const owner of mailboxOwners(page, undefined)) {
          if (tried++ >= PROBE_MAILBOXES) break;
          try {
            await graph.get(FOLDER_PATH(owner.id, 'inbox'));
            return { status: { status: 'ok' }, data: null };
          } catch (error: unknown) {
            // A mailbox-less user tells nothing about the permission: ask the next one.
            if (error instanceof GraphRequestError && error.status === 404 && NO_MAILBOX.has(error.code)) continue;
            throw error;
          }
        }
        break;
      }
      // No mailbox among the first users: nothing names a folder, and no rule moves mail to one.
      return { status: { status: 'ok' }, data: null };
    } catch (error: unknown) {
      const status = statusFromError('graph.mailFolders', error);
      context.logger.debug(`graph.mailFolders: ${status.reason}`);
      return { status };
    }
  };
}
