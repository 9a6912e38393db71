import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseMongoServer, FERRETDB_BUILD_LOG, type MongoServerSituation } from './choose-mongo-server.js';

// Which server the MongoDB store's tests run against, and what they say when they have none.
describe('chooseMongoServer', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A repository without FerretDB built, and a PATH of one directory, with `go` in it or not. */
  const situation = ({ go }: { go: boolean }): MongoServerSituation => {
    const root = mkdtempSync(join(tmpdir(), 'notify-choose-mongo-'));
    dirs.push(root);
    const bin = join(root, 'path-bin');
    mkdirSync(bin);
    if (go) executable(join(bin, 'go'));
    return { mongoUrl: undefined, ferretDbBin: join(root, '.tools', 'bin', 'ferretdb'), repoRoot: root, path: [bin, join(root, 'nowhere')].join(delimiter) };
  };
  const executable = (file: string) => {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '#!/bin/sh\n');
    chmodSync(file, 0o755);
  };

  it('takes MONGO_URL when it is set, even with FerretDB built', async () => {
    const built = situation({ go: true });
    executable(built.ferretDbBin);
    expect(await chooseMongoServer({ ...built, mongoUrl: 'mongodb://db.example:27017' })).toEqual({ kind: 'mongo-url', url: 'mongodb://db.example:27017' });
  });

  it('starts the FerretDB built into the repository when MONGO_URL is not set', async () => {
    const built = situation({ go: false });
    executable(built.ferretDbBin);
    expect(await chooseMongoServer(built)).toEqual({ kind: 'ferretdb', bin: built.ferretDbBin });
  });

  it('without Go, says to install it or set MONGO_URL', async () => {
    const choice = await chooseMongoServer(situation({ go: false }));
    expect(choice).toMatchObject({ kind: 'none', skipReason: expect.stringContaining('Go is not on PATH: install Go >= 1.24 and run bash scripts/setup.sh --test') });
    expect(choice).toMatchObject({ skipReason: expect.stringContaining('or set MONGO_URL=') });
  });

  it('after a failed build, names its log; never built, says how to build it', async () => {
    const neverBuilt = situation({ go: true });
    expect(await chooseMongoServer(neverBuilt)).toMatchObject({ kind: 'none', skipReason: expect.stringContaining('run bash scripts/install-ferretdb.sh') });

    mkdirSync(join(neverBuilt.repoRoot, dirname(FERRETDB_BUILD_LOG)), { recursive: true });
    writeFileSync(join(neverBuilt.repoRoot, FERRETDB_BUILD_LOG), 'go: build failed\n');
    expect(await chooseMongoServer(neverBuilt)).toMatchObject({ kind: 'none', skipReason: expect.stringContaining(`building FerretDB failed (${FERRETDB_BUILD_LOG})`) });
  });
});
