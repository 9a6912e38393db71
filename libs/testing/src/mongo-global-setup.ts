import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { DEFAULT_FERRETDB_BIN, repoRoot, startFerretDb } from '@notify/launcher';
import { describeMongoServer } from './describe-mongo-server.js';
import type { MongoTestServer } from './mongo-test-server.js';

/** What scripts/install-ferretdb.sh leaves behind when the build fails. */
const BUILD_LOG = '.tools/ferretdb-build.log';
const OR_MONGO = 'or set MONGO_URL=mongodb://… to run them against a MongoDB';

/**
 * vitest globalSetup: the MongoDB-compatible server for the whole run, as `inject('mongoServer')`.
 * MONGO_URL wins when set (left running, never started or stopped here); otherwise a FerretDB of
 * its own (built by `scripts/install-ferretdb.sh`) on a free port with a temporary SQLite
 * directory, stopped by pid after the run, failed tests or not. Without either, tests that need it
 * skip and `skipReason` says how to run them. Tests isolate themselves by database name.
 */
export default async function setup(project: TestProject) {
  // The test run's entry point, like an app's main: the one place the tests read MONGO_URL.
  const mongoUrl = process.env['MONGO_URL'];
  if (mongoUrl) {
    project.provide('mongoServer', await describeServer(mongoUrl));
    return;
  }
  if (!(await canAccess(DEFAULT_FERRETDB_BIN, constants.X_OK))) {
    project.provide('mongoServer', { skipReason: await whyNoFerretDb() });
    return;
  }
  const ferretdb = await startFerretDb();
  try {
    project.provide('mongoServer', await describeServer(ferretdb.url));
  } catch (error) {
    await ferretdb.stop();
    throw error;
  }
  return () => ferretdb.stop();
}

/** The server at `url` as the tests see it; a MONGO_URL that does not answer fails the run. */
async function describeServer(url: string): Promise<MongoTestServer> {
  try {
    return { url, ...(await describeMongoServer(url)) };
  } catch (error) {
    throw new Error(`the MongoDB server at ${url} does not answer buildInfo: ${(error as Error).message}`, { cause: error });
  }
}

async function whyNoFerretDb(): Promise<string> {
  if (!(await onPath('go'))) {
    return `MONGO_URL is not set, and FerretDB is not built because Go is not on PATH: install Go >= 1.24 and run bash scripts/setup.sh --test, ${OR_MONGO}`;
  }
  if (await canAccess(join(repoRoot, BUILD_LOG), constants.R_OK)) {
    return `MONGO_URL is not set, and building FerretDB failed (${BUILD_LOG}): retry with bash scripts/install-ferretdb.sh, ${OR_MONGO}`;
  }
  return `MONGO_URL is not set, and FerretDB is not built: run bash scripts/install-ferretdb.sh (npm test does), ${OR_MONGO}`;
}

async function canAccess(path: string, mode: number): Promise<boolean> {
  try {
    await access(path, mode);
    return true;
  } catch {
    return false;
  }
}

async function onPath(command: string): Promise<boolean> {
  const dirs = (process.env['PATH'] ?? '').split(delimiter).filter(Boolean);
  for (const dir of dirs) if (await canAccess(join(dir, command), constants.X_OK)) return true;
  return false;
}

declare module 'vitest' {
  export interface ProvidedContext {
    mongoServer: MongoTestServer;
  }
}
