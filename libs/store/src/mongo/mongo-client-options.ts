import type { MongoClientOptions } from 'mongodb';

/**
 * A socket that stays silent this many times longer than an operation may take is treated as
 * dead. Above 1 so the server's own MaxTimeMSExpired answer arrives before the socket is cut.
 */
export const SOCKET_TIMEOUT_FACTOR = 3;

/** Options of the store's MongoClient. */
export interface MongoClientSettings {
  /** Most connections this process opens to each server (MONGO_POOL_SIZE). */
  poolSize: number;
  /** How long an operation may wait for a server, a connection or a reply, in ms (MONGO_TIMEOUT_MS). */
  timeoutMs: number;
}

/**
 * MongoClient options that make an unreachable or stuck server fail within about `timeoutMs`
 * instead of hanging. The driver's `timeoutMS` (CSOT) is a no-op in driver 7, so each stage gets
 * its own limit: server selection, connecting, waiting for a pooled connection, and a silent socket.
 */
export function mongoClientOptions({ poolSize, timeoutMs }: MongoClientSettings): MongoClientOptions {
  return {
    appName: 'notify',
    maxPoolSize: poolSize,
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    waitQueueTimeoutMS: timeoutMs,
    socketTimeoutMS: timeoutMs * SOCKET_TIMEOUT_FACTOR,
  };
}
