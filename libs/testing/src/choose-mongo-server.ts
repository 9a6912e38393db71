import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/** What scripts/install-ferretdb.sh leaves behind when the build fails, relative to the repository. */
export const FERRETDB_BUILD_LOG = '.tools/ferretdb-build.log';
const OR_MONGO = 'or set MONGO_URL=mongodb://… to run them against a MongoDB';

/** Where a test run finds its MongoDB-compatible server. */
export type MongoServerChoice =
  | { kind: 'mongo-url'; url: string }
  | { kind: 'ferretdb'; bin: string }
  | { kind: 'none'; skipReason: string };

/** What the choice depends on; the global setup passes the process's own. */
export interface MongoServerSituation {
  /** MONGO_URL, when set: it wins. */
  mongoUrl: string | undefined;
  /** The FerretDB executable scripts/install-ferretdb.sh builds. */
  ferretDbBin: string;
  /** The repository root, where a failed build leaves {@link FERRETDB_BUILD_LOG}. */
  repoRoot: string;
  /** PATH, searched for `go`. */
  path: string;
}

/**
 * MONGO_URL when set; else the FerretDB built into the repository; else none, with the reason the
 * MongoDB tests give when they skip: Go missing, its build failed, or it was never run.
 */
export async function chooseMongoServer({ mongoUrl, ferretDbBin, repoRoot, path }: MongoServerSituation): Promise<MongoServerChoice> {
  if (mongoUrl) return { kind: 'mongo-url', url: mongoUrl };
  if (await canAccess(ferretDbBin, constants.X_OK)) return { kind: 'ferretdb', bin: ferretDbBin };
  if (!(await onPath('go', path))) {
    return { kind: 'none', skipReason: `MONGO_URL is not set, and FerretDB is not built because Go is not on PATH: install Go >= 1.24 and run bash scripts/setup.sh --test, ${OR_MONGO}` };
  }
  if (await canAccess(join(repoRoot, FERRETDB_BUILD_LOG), constants.R_OK)) {
    return { kind: 'none', skipReason: `MONGO_URL is not set, and building FerretDB failed (${FERRETDB_BUILD_LOG}): retry with bash scripts/install-ferretdb.sh, ${OR_MONGO}` };
  }
  return { kind: 'none', skipReason: `MONGO_URL is not set, and FerretDB is not built: run bash scripts/install-ferretdb.sh (npm test does), ${OR_MONGO}` };
}

async function canAccess(path: string, mode: number): Promise<boolean> {
  try {
    await access(path, mode);
    return true;
  } catch {
    return false;
  }
}

async function onPath(command: string, path: string): Promise<boolean> {
  for (const dir of path.split(delimiter).filter(Boolean)) if (await canAccess(join(dir, command), constants.X_OK)) return true;
  return false;
}
