import type { RedisTarget } from '@notify/redis';

/** How a child process is told where Redis is: the URL, or `cluster:host:port,…`. */
export const redisArg = (target: RedisTarget): string =>
  typeof target === 'string' ? target : 'url' in target ? target.url : `cluster:${target.clusterNodes.map(({ host, port }) => `${host}:${port}`).join(',')}`;

/** The {@link RedisTarget} of {@link redisArg}'s string. */
export function redisTargetOfArg(arg: string): RedisTarget {
  if (!arg.startsWith('cluster:')) return arg;
  const clusterNodes = arg
    .slice('cluster:'.length)
    .split(',')
    .map((node) => ({ host: node.slice(0, node.lastIndexOf(':')), port: Number(node.slice(node.lastIndexOf(':') + 1)) }));
  return { clusterNodes };
}
