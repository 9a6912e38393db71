import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { DEFAULT_FERRETDB_BIN, repoRoot, startFerretDb } from '@notify/launcher';
import { chooseMongoServer } from './choose-mongo-server.js';
import { describeMongoServer } from './describe-mongo-server.js';
import type { MongoTestServer } from './mongo-test-server.js';

/**
 * vitest globalSetup: the MongoDB-compatible server for the whole run, as `inject('mongoServer')`.
 * MONGO_URL wins when set (left running, never started or stopped here); otherwise a FerretDB of
 * its own (built by `scripts/install-ferretdb.sh`) on a free port with a temporary SQLite
 * directory, stopped by pid after the run, failed tests or not. Without either, tests that need it
 * skip and `skipReason` says how to run them. Tests isolate themselves by database name.
 */
export default async function setup(project: TestProject) {
  const choice = await chooseMongoServer({
    // The test run's entry point, like an app's main: the one place the tests read MONGO_URL.
    mongoUrl: process.env['MONGO_URL'],
    ferretDbBin: DEFAULT_FERRETDB_BIN,
    repoRoot,
    path: process.env['PATH'] ?? '',
  });
  if (choice.kind === 'mongo-url') {
    project.provide('mongoServer', await describeServer(choice.url));
    return;
  }
  if (choice.kind === 'none') {
    project.provide('mongoServer', { skipReason: choice.skipReason });
    return;
  }
  const ferretdb = await startFerretDb({ bin: choice.bin });
  try {
    project.provide('mongoServer', { ...(await describeServer(ferretdb.url)), startedByTheRun: true });
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

declare module 'vitest' {
  export interface ProvidedContext {
    mongoServer: MongoTestServer;
  }
}
