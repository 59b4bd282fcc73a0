import { createHash } from 'node:crypto';
import { ConfigurationError } from '../errors.js';
import type { SourceId } from './source-id.js';

/** One slice of a sharded audit: shard `index` of `count`, 1-based (`--shard 2/8`). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Parses `i/n`; anything outside 1..n is a configuration error quoting the value. */
export function parseShard(value: string, what = '--shard'): Shard {
  const match = /^\s*([0-9]+)\s*\/\s*([0-9]+)\s*$/.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (
    !match ||
    !Number.isSafeInteger(index) ||
    !Number.isSafeInteger(count) ||
    count < 1 ||
    index < 1 ||
    index > count
  ) {
    throw new ConfigurationError(`${what}: expected i/n with 1 <= i <= n (e.g. 2/8), got "${value}"`);
  }
  return { index, count };
}

/**
 * Which shard owns a key (a user or mailbox ID). A stable hash, so a mailbox stays in the same
 * shard from night to night and every key lands in exactly one shard.
 */
export function shardOf(key: string, count: number): number {
  const digest = createHash('sha256').update(key.toLowerCase()).digest();
  return (digest.readUInt32BE(0) % count) + 1;
}

export function inShard(key: string, shard: Shard | undefined): boolean {
  return shard === undefined || shard.count === 1 || shardOf(key, shard.count) === shard.index;
}

/**
 * Sources whose work is per mailbox and is split across shards. Everything else is
 * tenant-wide and is fetched and judged by shard 1 only.
 */
export const SHARDED_SOURCES: ReadonlySet<SourceId> = new Set([
  'graph.messageRules',
  'exo.inboxRule',
  // Folder names travel with each mailbox's rules; every shard asks whether it may read them.
  'graph.mailFolders',
  'exo.mailboxPermission',
]);

/** A control is split across shards when it reads a per-mailbox source. */
export function isShardedControl(sources: readonly SourceId[]): boolean {
  return sources.some((s) => SHARDED_SOURCES.has(s));
}

/**
 * Tenant-wide sources that per-mailbox collectors read to choose their mailboxes (hidden inbox
 * rules are read for mailboxes that forward or whose user is at risk: hidden-rule-scope.ts). A
 * shard after the first fetches them whenever the unsharded run would, so every shard picks the
 * mailboxes the unsharded run picks; no control judges them there.
 */
export const SHARD_SCOPE_SOURCES: ReadonlySet<SourceId> = new Set(['graph.riskyUsers', 'exo.mailbox']);
