import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

// Loaded into an app with NODE_OPTIONS=--import=<this file> (node 20 refuses --cpu-prof in
// NODE_OPTIONS, and the launcher takes no node arguments): the same V8 sampling profile as
// `node --cpu-prof` (1 ms interval), but only between two SIGUSR2 — so the bench profiles one
// phase, not start-up — written as <BENCH_CPU_PROF_DIR>/<BENCH_CPU_PROF_NAME>-<pid>-<n>.cpuprofile
// at the second SIGUSR2 (n counts the profiles, from 1), or at exit if the profile is still running.
const dir = process.env.BENCH_CPU_PROF_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  let running = false;
  let profiles = 0;
  const stop = () => {
    running = false;
    // Synchronous on the main thread, so it also completes inside an 'exit' handler.
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      mkdirSync(dir, { recursive: true });
      const name = `${process.env.BENCH_CPU_PROF_NAME ?? 'node'}-${process.pid}-${profiles}.cpuprofile`;
      writeFileSync(join(dir, name), JSON.stringify(result.profile));
    });
  };
  process.on('SIGUSR2', () => {
    if (running) stop();
    else {
      running = true;
      profiles += 1;
      session.post('Profiler.start');
    }
  });
  process.on('exit', () => {
    if (running) stop();
  });
}
