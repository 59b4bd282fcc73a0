import type { SourceId } from '../snapshot/source-id.js';

/**
 * Resource units one identity-and-access (directory) read costs, as learn.microsoft.com/graph/
 * throttling-limits ("Identity and access service limits") prices them: a base of 2 for users
 * and 1 for the other resources we read; `$select` takes 1 off, `$expand` adds 1, `$top` below
 * 20 takes 1 off; never below 1.
 */
export function resourceUnits(source: SourceId, params: URLSearchParams): number {
  let cost = source === 'graph.users' ? 2 : 1;
  if (params.has('$select')) cost -= 1;
  if (params.has('$expand')) cost += 1;
  const top = Number(params.get('$top') ?? Number.NaN);
  if (Number.isFinite(top) && top < 20) cost -= 1;
  return Math.max(1, cost);
}

/** The directory budget per app and tenant in 10 s, by the tenant's users (same page). */
export function directoryBudget(users: number): number {
  if (users < 50) return 3_500;
  if (users <= 500) return 5_000;
  return 8_000;
}
