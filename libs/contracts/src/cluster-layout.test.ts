import { describe, expect, it } from 'vitest';
import { BUS_SHARDS, busShardChannel, busShardChannels, busShardOf, queuePartition, queuePartitionOf, queuePartitions, stableHash } from './cluster-layout.js';

describe('cluster layout', () => {
  it('hashes with 32-bit FNV-1a, so every process and release picks the same shard', () => {
    // Reference values of FNV-1a 32 ("" is its offset basis).
    expect(stableHash('')).toBe(0x811c9dc5);
    expect(stableHash('a')).toBe(0xe40c292c);
    expect(stableHash('foobar')).toBe(0xbf9cf968);
  });

  it('names one sharded channel per bus shard, each with a hash tag of its own', () => {
    const channels = busShardChannels('notify');
    expect(channels).toHaveLength(BUS_SHARDS);
    expect(channels[0]).toBe('notify:events:{0}');
    expect(channels[15]).toBe('notify:events:{15}');
    expect(new Set(channels).size).toBe(BUS_SHARDS);
    expect(busShardChannel('t1', 3)).toBe('t1:events:{3}');
  });

  it('spreads users over every bus shard', () => {
    const shards = new Set(Array.from({ length: 500 }, (_, uid) => busShardOf(String(uid))));
    expect(shards.size).toBe(BUS_SHARDS);
    expect(busShardOf('42')).toBe(busShardOf('42'));
  });

  it('keeps the one queue where it always was on one server, and hash-tags each partition on a cluster', () => {
    expect(queuePartition('notify', 0, false)).toEqual({ name: 'notifications', prefix: 'notify' });
    expect(queuePartition('notify', 2, false)).toEqual({ name: 'notifications-2', prefix: 'notify' });
    expect(queuePartitions('notify', 3, true)).toEqual([
      { name: 'notifications', prefix: '{notify}' },
      { name: 'notifications-1', prefix: '{notify:1}' },
      { name: 'notifications-2', prefix: '{notify:2}' },
    ]);
  });

  it('sends a receiver always to the same partition, and everything to partition 0 when there is one', () => {
    expect(queuePartitionOf('42', 1)).toBe(0);
    expect(queuePartitionOf('42', 4)).toBe(queuePartitionOf('42', 4));
    const used = new Set(Array.from({ length: 200 }, (_, uid) => queuePartitionOf(String(uid), 4)));
    expect([...used].sort()).toEqual([0, 1, 2, 3]);
  });
});
