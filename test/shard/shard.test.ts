import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors.js';
import { inShard, parseShard, shardOf } from '../../src/snapshot/shard.js';

describe('shards', () => {
  it('parses i/n and refuses anything outside 1..n', () => {
    expect(parseShard('2/8')).toEqual({ index: 2, count: 8 });
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '2', '-1/3', '1.5/3']) {
      expect(() => parseShard(bad)).toThrow(ConfigurationError);
    }
  });

  it('puts every key in exactly one shard, stably and roughly evenly', () => {
    const keys = Array.from({ length: 3000 }, (_, i) => `user-${i}@contoso.example`);
    const counts = new Map<number, number>();
    for (const key of keys) {
      const owners = [1, 2, 3].filter((index) => inShard(key, { index, count: 3 }));
      expect(owners).toHaveLength(1);
      expect(shardOf(key, 3)).toBe(owners[0]);
      counts.set(owners[0]!, (counts.get(owners[0]!) ?? 0) + 1);
    }
    for (const n of counts.values()) expect(n).toBeGreaterThan(800);
    expect(shardOf('User-1@Contoso.example', 8)).toBe(shardOf('user-1@contoso.example', 8));
  });
});
