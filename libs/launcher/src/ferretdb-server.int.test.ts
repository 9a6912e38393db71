import { access } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FERRETDB_BIN, startFerretDb } from './ferretdb-server.js';

const built = await access(DEFAULT_FERRETDB_BIN).then(
  () => true,
  () => false,
);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
const NOT_BUILT = ' (skipped: FerretDB is not built; run bash scripts/install-ferretdb.sh)';

describe('startFerretDb', () => {
  it.skipIf(!built)(`accepts connections once it resolves; stop() ends it by pid and removes its directory${built ? '' : NOT_BUILT}`, async () => {
    const server = await startFerretDb();
    try {
      expect(server.url).toBe(`mongodb://127.0.0.1:${server.port}`);
      expect(await accepts(server.port)).toBe(true);
      expect(alive(server.pid)).toBe(true);
    } finally {
      await server.stop();
    }
    expect(alive(server.pid)).toBe(false);
    await expect(access(server.dir)).rejects.toThrow();
    expect(await accepts(server.port)).toBe(false);
  });

  it('rejects, saying how to build it, when the binary is missing', async () => {
    const bin = join(tmpdir(), 'notify-no-such-ferretdb');
    await expect(startFerretDb({ bin })).rejects.toThrow(/cannot run .*notify-no-such-ferretdb: .*ENOENT.*bash scripts\/install-ferretdb\.sh/);
  });
});
