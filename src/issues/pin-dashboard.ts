import { errorMessage } from '../errors.js';
import type { IssuesApi } from './github-api.js';

/** GitHub allows three pinned issues per repository (docs: "Pinning an issue to your repository"). */
export const PIN_LIMIT = 3;

export interface PinOutcome {
  /**
   * `pinned` by this run; `already-pinned` (no write); `would-pin` in a dry run; `limit`: three
   * others are pinned; `forbidden`: the token may not pin; `unsupported`: the GraphQL schema has
   * no pinning (older GHES); `failed`: anything else. Only the first three write nothing and warn nothing.
   */
  readonly status: 'pinned' | 'already-pinned' | 'would-pin' | 'limit' | 'forbidden' | 'unsupported' | 'failed';
  /** Why it was not pinned, for the warning and the job summary. */
  readonly problem?: string;
}

interface GraphQLErrorLike {
  readonly type?: unknown;
  readonly message?: unknown;
  readonly extensions?: { readonly code?: unknown };
}

/** Sorts a failed GraphQL call by what the user can do about it. */
function classify(error: unknown): PinOutcome {
  const problem = errorMessage(error);
  const listed: readonly GraphQLErrorLike[] =
    typeof error === 'object' && error !== null && 'errors' in error && Array.isArray(error.errors)
      ? (error.errors as GraphQLErrorLike[])
      : [];
  const status = typeof error === 'object' && error !== null && 'status' in error ? error.status : undefined;
  const types = listed.map((e) => String(e.type ?? ''));
  const text = [problem, ...listed.map((e) => String(e.message ?? ''))].join('\n');
  if (types.includes('FORBIDDEN') || status === 403 || /not accessible by integration|permission/i.test(text))
    return { status: 'forbidden', problem };
  // A GraphQL validation error: this server's schema has no such field or no mutations (GHES).
  if (
    listed.some((e) => e.extensions?.code === 'undefinedField') ||
    /doesn't exist on type|Cannot query field|not configured to execute mutation|Unknown (type|argument)/i.test(text) ||
    status === 404
  ) {
    return { status: 'unsupported', problem };
  }
  if (/pinned/i.test(text) && (types.includes('UNPROCESSABLE') || /maximum|more than|limit/i.test(text)))
    return { status: 'limit', problem };
  return { status: 'failed', problem };
}

/**
 * Pins the dashboard issue with GraphQL `pinIssue`, only when it is not pinned already, so a
 * rerun writes nothing. Three issues pinned already, a token that may not pin, or a server
 * without pinning give an outcome to warn about, never a failed run.
 */
export async function pinDashboard(api: IssuesApi, number: number | undefined, dryRun: boolean): Promise<PinOutcome> {
  // A dry run before the dashboard exists: it would be created, then pinned.
  if (number === undefined) return { status: 'would-pin' };
  let state: Awaited<ReturnType<IssuesApi['getPinState']>>;
  try {
    state = await api.getPinState(number);
  } catch (error: unknown) {
    return classify(error);
  }
  if (state.isPinned) return { status: 'already-pinned' };
  if (state.pinnedCount >= PIN_LIMIT) {
    return {
      status: 'limit',
      problem: `${state.pinnedCount} issues are pinned already; GitHub allows ${PIN_LIMIT}. Unpin one to pin the dashboard.`,
    };
  }
  if (dryRun) return { status: 'would-pin' };
  try {
    await api.pinIssue(state.nodeId);
    return { status: 'pinned' };
  } catch (error: unknown) {
    return classify(error);
  }
}

/** Whether an outcome deserves a warning (the run still succeeds). */
export function pinWarning(outcome: PinOutcome): string | undefined {
  switch (outcome.status) {
    case 'limit':
      return `dashboard not pinned: ${outcome.problem ?? 'three issues are pinned already'}`;
    case 'forbidden':
      return `dashboard not pinned: the token may not pin issues (${outcome.problem ?? 'forbidden'}); pin it by hand once, or give the job a token that can`;
    case 'unsupported':
      return `dashboard not pinned: this GitHub's GraphQL API has no issue pinning (${outcome.problem ?? 'unsupported'}); pin it by hand once`;
    case 'failed':
      return `dashboard not pinned: ${outcome.problem ?? 'failed'}`;
    default:
      return undefined;
  }
}
