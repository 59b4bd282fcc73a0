/**
 * What Graph collectors need from the transport. The implementation (auth, paging, `$batch`,
 * throttling and retries on @microsoft/microsoft-graph-client) lives beside this file; tests
 * run it against the simulator over loopback.
 */

/** A Graph error, with what is needed to classify it and to report it (never a token). */
export class GraphRequestError extends Error {
  override readonly name = 'GraphRequestError';
  constructor(
    message: string,
    readonly status: number,
    /** Graph's `error.code`, e.g. `Authorization_RequestDenied`. */
    readonly code: string,
    /** The endpoint path, for evidence. */
    readonly path: string,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

/**
 * A Graph response that does not have the documented shape: a missing `value`, `null` where an
 * array belongs, a field of the wrong type. It names the endpoint and the field, so the source
 * is `failed` with a reason an operator can act on, never a crash.
 */
export class GraphShapeError extends Error {
  override readonly name = 'GraphShapeError';
  constructor(
    /** The endpoint path, e.g. `/identity/conditionalAccess/policies`. */
    readonly endpoint: string,
    /** JSON path of the offending field, e.g. `value[3].conditions.users.includeUsers`. */
    readonly field: string,
    readonly problem: string,
  ) {
    super(`unexpected response from ${endpoint}: ${field} ${problem}`);
  }
}

/** One request inside a JSON `$batch`. */
export interface BatchItemRequest {
  readonly id: string;
  readonly method: 'GET';
  /** Relative URL, e.g. `/users/{id}/mailFolders/inbox/messageRules`. */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** One item of a `$batch` response, after 429 items were retried by the transport. */
export interface BatchItemResponse {
  readonly id: string;
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/**
 * The Graph version a path is relative to. Beta is read only where v1.0 lacks what a control
 * needs, and only when the policy asks for it: Microsoft does not support beta in production.
 */
export type GraphVersion = 'v1.0' | 'beta';

export interface GraphApi {
  /** GET a single resource (`/policies/identitySecurityDefaultsEnforcementPolicy`). */
  get(path: string): Promise<unknown>;
  /** GET a collection, following `@odata.nextLink` exactly as given; yields each page's `value`. */
  pages(path: string, version?: GraphVersion): AsyncIterable<readonly unknown[]>;
  /**
   * `pages` with each page's body streamed and its `value` parsed record by record, for large
   * pages (the sign-in log); same results and errors. Optional: a fake may have `pages` only.
   */
  recordPages?(path: string, version?: GraphVersion): AsyncIterable<readonly unknown[]>;
  /** Sends up to 20 requests per `$batch`, retrying 429 items after the longest Retry-After. */
  batch(requests: readonly BatchItemRequest[]): Promise<readonly BatchItemResponse[]>;
}
