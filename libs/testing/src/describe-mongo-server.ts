import { MongoClient } from 'mongodb';

/** Which MongoDB-compatible server answers at a URL. */
export interface MongoServerDescription {
  /** FerretDB says so in `buildInfo` (`ferretdbVersion`); anything else counts as MongoDB. */
  kind: 'mongodb' | 'ferretdb';
  /** e.g. `FerretDB v1.24.2 (reports MongoDB 7.0.42)` or `MongoDB 7.0.14`. */
  label: string;
}

/** Asks the server at `url` what it is (`buildInfo`); rejects when it does not answer within 5 s. */
export async function describeMongoServer(url: string): Promise<MongoServerDescription> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000 });
  try {
    const info = await client.db('admin').command({ buildInfo: 1 });
    const ferretdbVersion: unknown = info['ferretdbVersion'];
    if (typeof ferretdbVersion === 'string') {
      return { kind: 'ferretdb', label: `FerretDB ${ferretdbVersion} (reports MongoDB ${String(info['version'])})` };
    }
    return { kind: 'mongodb', label: `MongoDB ${String(info['version'])}` };
  } finally {
    await client.close();
  }
}
