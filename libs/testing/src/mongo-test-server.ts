/**
 * The MongoDB-compatible server of a test run, as `mongo-global-setup` provides it
 * (`inject('mongoServer')`): MONGO_URL's server when that is set, else a FerretDB of its own.
 */
export interface MongoTestServer {
  /** `mongodb://…`; absent when there is no server, and then {@link skipReason} says why. */
  url?: string;
  /** Which server answers: FerretDB says so in `buildInfo` (`ferretdbVersion`). */
  kind?: 'mongodb' | 'ferretdb';
  /** For test output, e.g. `FerretDB v1.24.2 (reports MongoDB 7.0.42)` or `MongoDB 7.0.14`. */
  label?: string;
  /** True when the run started this server itself (a FerretDB built into the repository), not MONGO_URL's. */
  startedByTheRun?: boolean;
  /** Why the MongoDB tests are skipped and how to run them; absent when {@link url} is set. */
  skipReason?: string;
}
