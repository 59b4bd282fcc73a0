import { existsSync } from 'node:fs';
import path from 'node:path';
import * as cache from '@actions/cache';
import { errorMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import { STATE_FORMAT_VERSION } from '../run/incremental/state-codec.js';

/*
 * The incremental sign-in state kept in the Actions cache (@actions/cache). Cache entries cannot
 * be overwritten ("You cannot change the contents of an existing cache. Instead, you can create a
 * new cache with a new key", GitHub docs: dependency caching), so each run saves under a key of its
 * own and restores the newest entry under a fixed prefix ("If there are multiple partial matches
 * for a restore key, the action returns the most recently created cache"). The library reports
 * most failures as a miss (restore) or -1 (save) rather than throwing: both are logged, and a miss
 * only makes the run read its full look-back window.
 */

/** The tenant's restore prefix, with the state format: another format's entries are never restored. */
export function stateCachePrefix(tenant: string): string {
  // Keys may not hold commas and are at most 512 characters (@actions/cache checkKey).
  const safe = tenant
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, '_')
    .slice(0, 200);
  return `mailwarden-sign-ins-v${STATE_FORMAT_VERSION}-${safe}-`;
}

export interface StateCacheRun {
  /** The state file (`incremental-state`); the same absolute path on restore and save, as the cache's version stamp needs. */
  readonly file: string;
  readonly tenant: string;
  /** GITHUB_RUN_ID and GITHUB_RUN_ATTEMPT: a key per run, and per re-run. */
  readonly runId: string;
  readonly runAttempt: string;
  readonly logger: Logger;
}

/** Restores the newest state of the tenant into `file`; a miss (or a cache that cannot be reached) leaves it absent. */
export async function restoreState(run: StateCacheRun): Promise<void> {
  const file = path.resolve(run.file);
  if (!cache.isFeatureAvailable()) {
    run.logger.warning(
      `Incremental state: the Actions cache is not available to this step; using ${run.file} as it is on the runner`,
    );
    return;
  }
  const prefix = stateCachePrefix(run.tenant);
  try {
    const matched = await cache.restoreCache([file], `${prefix}${run.runId}-${run.runAttempt}`, [prefix]);
    run.logger.info(
      matched === undefined
        ? `Incremental state: no entry under ${prefix} in the Actions cache`
        : `Incremental state: restored ${matched} from the Actions cache`,
    );
  } catch (error: unknown) {
    run.logger.warning(`Incremental state: the Actions cache could not be read (${errorMessage(error)})`);
  }
}

/** Saves `file` under this run's key, when the run left one; says so when the cache did not keep it. */
export async function saveState(run: StateCacheRun): Promise<void> {
  const file = path.resolve(run.file);
  if (!existsSync(file) || !cache.isFeatureAvailable()) return;
  const key = `${stateCachePrefix(run.tenant)}${run.runId}-${run.runAttempt}`;
  try {
    const id = await cache.saveCache([file], key);
    if (id === -1) {
      run.logger.warning(
        `Incremental state: the Actions cache did not keep ${key}; the next run continues from the last state it kept, reading a longer window`,
      );
    } else run.logger.info(`Incremental state: saved to the Actions cache as ${key}`);
  } catch (error: unknown) {
    run.logger.warning(`Incremental state: the Actions cache could not be written (${errorMessage(error)})`);
  }
}
