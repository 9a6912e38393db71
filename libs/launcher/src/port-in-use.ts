import { createServer } from 'node:net';

/**
 * Whether something already listens on `port` (probed by binding it on `host`, default all
 * interfaces — where the apps bind by default, and a clash with any specific address shows).
 */
export function portInUse(port: number, host = '0.0.0.0'): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolve(true);
      else reject(error);
    });
    server.listen(port, host, () => server.close(() => resolve(false)));
  });
}
