import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../store-errors.js';
import { MongoStore } from './mongo-store.js';

// No MongoDB server is needed: these tests only prove that a missing or silent one fails fast.
const TIMEOUT_MS = 300;
const servers: Server[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A TCP port that accepts connections and never answers, like a hung server. */
async function silentPort(): Promise<number> {
  const server = createServer((socket) => sockets.push(socket));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const open = (port: number) =>
  MongoStore.open({
    url: `mongodb://127.0.0.1:${port}/?directConnection=true`,
    dbName: 'notify_unit',
    poolSize: 2,
    timeoutMs: TIMEOUT_MS,
    retention: { kind: 'capped', capBytes: 1024 ** 2 },
  });

describe('MongoStore.open without a reachable server', () => {
  it('rejects with StoreUnavailableError soon after timeoutMs when nothing listens', async () => {
    const started = Date.now();
    await expect(open(await closedPort())).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 2000);
  });

  it('rejects with StoreUnavailableError soon after timeoutMs when the server never answers', async () => {
    const started = Date.now();
    const error = await open(await silentPort()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as StoreUnavailableError).message).toMatch(/^MongoDB open of database notify_unit failed: /);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 2000);
  });
});
