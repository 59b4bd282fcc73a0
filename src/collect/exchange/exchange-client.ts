import { deadlineError, sleepUntilDeadline } from '../deadline.js';
import { randomUUID } from 'node:crypto';
import { errorMessage } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { isJsonObject } from '../../model/json.js';
import { interner, internStrings, projectObject } from './cmdlet-properties.js';
import { type ExchangeApi, ExchangeRequestError } from './exchange-api.js';
import {
  type BackoffOptions,
  backoffDelay,
  DEFAULT_BACKOFF,
  parseRetryAfter,
  RETRYABLE_STATUSES,
} from '../graph/backoff.js';

/**
 * Client for the Exchange Online admin API: `POST {host}/adminapi/beta/{tenant}/InvokeCommand`.
 *
 * Microsoft does NOT document this endpoint as a public API. It is the REST surface the
 * ExchangeOnlineManagement V3 module calls for its "REST-backed" cmdlets; the request and
 * response shapes here come from public tools that depend on it (see
 * ../shared/notes/graph-contract.md §7). It may change without notice, which is why it sits
 * behind the `ExchangeApi` interface and every failure ends as a source status, never a verdict.
 */

/** Cmdlets that accept `-ResultSize`; without `Unlimited` they return a truncated first page. */
const RESULT_SIZE_CMDLETS: ReadonlySet<string> = new Set([
  'Get-Mailbox',
  'Get-CASMailbox',
  'Get-Recipient',
  'Get-MailContact',
  // Each documents -ResultSize with a default of 1000 (learn.microsoft.com/powershell/module/exchangepowershell).
  'Get-TransportRule',
  'Get-OutboundConnector',
  'Get-MailboxPermission',
  'Get-RecipientPermission',
  'Get-MailboxAuditBypassAssociation',
]);

/**
 * The anchor mailbox the ExchangeOnlineManagement module sends for app-only sessions; it
 * routes the request to the tenant's arbitration mailbox. Some tools send the `APP:` form.
 */
export function anchorMailbox(tenant: string): string {
  return `UPN:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${tenant}`;
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface ExchangeClientOptions {
  /** Exchange host for the cloud, e.g. `https://outlook.office365.com` (no trailing slash). */
  readonly baseUrl: string;
  /** Tenant ID (GUID) or initial domain. */
  readonly tenant: string;
  /** An app-only token for `{baseUrl}/.default`. */
  readonly getToken: () => Promise<string>;
  readonly logger: Logger;
  readonly fetch?: FetchLike;
  /** Retries after the first attempt for 429/503/504 and network errors. */
  readonly maxRetries?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Backoff without Retry-After; the same policy as the Graph transport. */
  readonly backoff?: BackoffOptions;
  /** Objects per page asked for with `Prefer: odata.maxpagesize` (the module uses 1000). */
  readonly maxPageSize?: number;
  /** Upper bound on the page count of one cmdlet, against a server that loops its nextLink. */
  readonly maxPages?: number;
  /** The collection deadline (collect/deadline.ts): requests and back-off sleeps stop when it passes. */
  readonly signal?: AbortSignal;
}

interface InvokePage {
  readonly value: readonly Record<string, unknown>[];
  readonly nextLink: string | undefined;
  readonly warnings: readonly string[];
}

/** The cmdlet error text from an InvokeCommand error body (`error.details[0].message`). */
function cmdletDetail(body: unknown): string | undefined {
  if (!isJsonObject(body) || !isJsonObject(body.error)) return undefined;
  const details = body.error.details;
  if (Array.isArray(details)) {
    const first: unknown = details[0];
    if (isJsonObject(first) && typeof first.message === 'string' && first.message !== '') return first.message;
  }
  return undefined;
}

/** A warning that says the output was cut short (no `ResultSize Unlimited`, or a server cap). */
function isTruncationWarning(warning: string): boolean {
  return /more results|truncat|ResultSize/i.test(warning);
}

export function exchangeClient(options: ExchangeClientOptions): ExchangeApi {
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const sleep = sleepUntilDeadline(
    options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    options.signal,
  );
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const maxRetries = options.maxRetries ?? 5;
  // As for Graph: a bound on the pages of one cmdlet, so a server that keeps inventing links
  // cannot hold the run (10,000 pages of up to 1,000 objects: ten million objects).
  const maxPages = options.maxPages ?? 10_000;
  const maxPageSize = options.maxPageSize ?? 1000;
  const base = options.baseUrl.replace(/\/+$/, '');
  const endpoint = `${base}/adminapi/beta/${encodeURIComponent(options.tenant)}/InvokeCommand`;
  const origin = new URL(base).origin;
  const connectionId = randomUUID();

  async function post(url: string, body: string, cmdlet: string): Promise<InvokePage> {
    for (let attempt = 0; ; attempt++) {
      if (options.signal?.aborted) throw deadlineError(options.signal);
      const token = await options.getToken();
      options.logger.secret(token);
      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            accept: 'application/json',
            'x-anchormailbox': anchorMailbox(options.tenant),
            prefer: `odata.maxpagesize=${maxPageSize}`,
            'x-cmdletname': cmdlet,
            'x-responseformat': 'json',
            'x-serializationlevel': 'Partial',
            'connection-id': connectionId,
            'client-request-id': randomUUID(),
          },
          body,
          ...(options.signal ? { signal: options.signal } : {}),
        });
      } catch (error: unknown) {
        if (attempt >= maxRetries)
          throw new Error(`${cmdlet}: network error after ${attempt + 1} attempts: ${errorMessage(error)}`);
        const wait = backoffDelay(attempt, backoff);
        options.logger.debug(`${cmdlet}: network error (${errorMessage(error)}); retrying in ${wait} ms`);
        await sleep(wait);
        continue;
      }
      if (RETRYABLE_STATUSES.has(response.status) && attempt < maxRetries) {
        await response.body?.cancel();
        // The admin API is seen sending 429 without Retry-After; then back off exponentially.
        const wait = Math.min(
          parseRetryAfter(response.headers.get('retry-after'), Date.now()) ?? backoffDelay(attempt, backoff),
          backoff.maxMs * 4,
        );
        options.logger.debug(`${cmdlet}: HTTP ${response.status}; retrying in ${wait} ms`);
        await sleep(wait);
        continue;
      }
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      if (!response.ok) {
        const detail = cmdletDetail(parsed);
        throw new ExchangeRequestError(
          `${cmdlet}: HTTP ${response.status}${detail !== undefined ? `: ${detail}` : ''}`,
          response.status,
          cmdlet,
          detail,
        );
      }
      if (!isJsonObject(parsed) || !Array.isArray(parsed.value)) {
        throw new ExchangeRequestError(
          `${cmdlet}: the response is not an InvokeCommand collection`,
          response.status,
          cmdlet,
        );
      }
      const value = parsed.value.filter(isJsonObject);
      if (value.length !== parsed.value.length) {
        throw new ExchangeRequestError(
          `${cmdlet}: the response holds a value that is not an object`,
          response.status,
          cmdlet,
        );
      }
      const nextLink = parsed['@odata.nextLink'];
      const warningList = parsed['@adminapi.warnings'];
      return {
        value,
        nextLink: typeof nextLink === 'string' ? nextLink : undefined,
        warnings: Array.isArray(warningList) ? warningList.filter((w): w is string => typeof w === 'string') : [],
      };
    }
  }

  return {
    async invoke(cmdlet, parameters = {}, invokeOptions = {}) {
      const { properties } = invokeOptions;
      const withSize = RESULT_SIZE_CMDLETS.has(cmdlet) ? { ...parameters, ResultSize: 'Unlimited' } : parameters;
      // The same body is re-posted to every @odata.nextLink; only the URL changes.
      const body = JSON.stringify({ CmdletInput: { CmdletName: cmdlet, Parameters: withSize } });
      const out: Record<string, unknown>[] = [];
      // Projected output is held for the whole run: its repeated values (audit actions, rights) kept once.
      const intern = interner();
      let url: string | undefined = endpoint;
      // Every URL posted, so a nextLink that loops back is caught at its first repeat.
      const seen = new Set<string>([endpoint]);
      for (let page = 0; url !== undefined; page++) {
        if (page >= maxPages) throw new Error(`${cmdlet}: more than ${maxPages} pages; stopped`);
        const result: InvokePage = await post(url, body, cmdlet);
        if (properties === undefined) out.push(...result.value);
        else for (const object of result.value) out.push(internStrings(projectObject(object, properties), intern));
        for (const warning of result.warnings) options.logger.debug(`${cmdlet}: warning: ${warning}`);
        if (result.nextLink !== undefined) {
          // Never send the token to another host, whatever the server says.
          if (new URL(result.nextLink, endpoint).origin !== origin) {
            throw new Error(`${cmdlet}: @odata.nextLink points outside ${origin}; stopped`);
          }
          url = new URL(result.nextLink, endpoint).href;
          if (seen.has(url))
            throw new Error(`${cmdlet}: @odata.nextLink repeats an earlier link after ${page + 1} pages; stopped`);
          seen.add(url);
        } else {
          // Fail closed: output the server says it cut short is never treated as complete.
          const truncation = result.warnings.find(isTruncationWarning);
          if (truncation !== undefined) throw new Error(`${cmdlet}: output truncated by the server: ${truncation}`);
          url = undefined;
        }
      }
      return out;
    },
  };
}
