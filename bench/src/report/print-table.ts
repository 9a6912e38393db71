import { cpuPerRecord, type BenchResults } from './bench-results.js';

/** A plain-text table; columns in `left` are left-aligned, the others (numbers) right-aligned. */
function table(headers: string[], rows: (string | number)[][], left: number[] = [0]): string {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, col) => Math.max(...cells.map((row) => (row[col] ?? '').length)));
  const line = (row: string[]) =>
    row.map((cell, col) => (left.includes(col) ? cell.padEnd(widths[col] ?? 0) : cell.padStart(widths[col] ?? 0))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

const n = (value: number) => value.toLocaleString('en');

/** The run as plain-text tables (what `npm run bench` prints). */
export function formatResults(results: BenchResults): string {
  const out: string[] = [];
  const m = results.machine;
  out.push(
    `notify bench — ${results.startedAt} — ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, node ${m.node}, store ${results.storeServer ?? results.options.store}, ` +
      (results.redis === 'cluster' ? `a Redis Cluster (3 masters, 3 replicas), ${results.queuePartitions ?? 1} queue partitions` : 'one Redis'),
    `load average before: ${m.loadBefore.join(' ')}   after: ${m.loadAfter.join(' ')}   (run took ${Math.round(results.durationS)} s)`,
    '',
  );
  if (results.phases.length > 0) {
    out.push(
      table(
        ['phase', 'system', 'pace', 'records/s', 'deliveries/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'delivered', 'queue max', 'cpu % (of one core)'],
        results.phases.map((p) => [
          p.label,
          p.system,
          p.pace,
          n(p.recordsPerS),
          n(p.deliveriesPerS),
          p.latencyMs.p50,
          p.latencyMs.p95,
          p.latencyMs.p99,
          p.latencyMs.max,
          `${n(p.deliveries)}/${n(p.expectedDeliveries)}`,
          p.queueDepth ? `${n(p.queueDepth.max)}${p.queueDepth.growing ? ' growing' : ''}` : '-',
          Object.entries(p.cpuPercent)
            .map(([name, pct]) => `${name} ${pct}`)
            .join(', '),
        ]),
        [0, 1, 2, 11],
      ),
      '',
    );
  }
  const measured = results.phases.filter((p) => p.label !== 'warm-up' && p.recordsPerS > 0);
  if (measured.length > 0) {
    const perRecord = measured.map((p) => cpuPerRecord(p));
    // Every process as its own column, in the order they first appear; the system's total last.
    const names = [...new Set(perRecord.flatMap((cpu) => Object.keys(cpu)))].filter((name) => name !== 'servers' && name !== 'agents' && name !== 'bench');
    const columns = [...names, 'agents', 'bench', 'servers'];
    out.push(
      table(
        ['cpu per record (µs)', 'system', ...columns],
        measured.map((p, index) => [p.label, p.system, ...columns.map((name) => (perRecord[index]?.[name] === undefined ? '-' : n(perRecord[index]?.[name] as number)))]),
        [0, 1],
      ),
      "(µs of CPU per record delivered, bulk: per record accepted; 'servers' is the system's own processes: api, worker, gateway and Redis, or the baseline's server)",
      '',
    );
  }
  if (results.fanout?.length) {
    out.push(
      table(
        ['one message to many receivers', 'system', 'receivers', 'sends', 'complete', 'every page p50 ms', 'p99 ms', 'max ms', 'each page p50 ms', 'p99 ms'],
        results.fanout.map((f) => [
          'acceptance → every page has it',
          f.system,
          n(f.receivers),
          f.sends,
          f.complete,
          f.allPagesMs.p50,
          f.allPagesMs.p99,
          f.allPagesMs.max,
          f.perPageMs.p50,
          f.perPageMs.p99,
        ]),
        [0, 1],
      ),
      '',
    );
  }
  const staged = results.phases.filter((p) => p.stagesMs);
  if (staged.length > 0) {
    out.push(
      table(
        ['where the pipeline latency goes (ms)', 'accepted → stored p50', 'p99', 'published → emitted p50', 'p99', 'accepted → page p50', 'p99'],
        staged.map((p) => [
          p.label,
          p.stagesMs?.stored.p50 ?? '-',
          p.stagesMs?.stored.p99 ?? '-',
          p.stagesMs?.emitted.p50 ?? '-',
          p.stagesMs?.emitted.p99 ?? '-',
          p.latencyMs.p50,
          p.latencyMs.p99,
        ]),
      ),
      '(stage figures are interpolated from the apps\' Prometheus histogram buckets)',
      '',
    );
  }
  if (results.queueCeiling) {
    const q = results.queueCeiling;
    out.push(
      `queue ceiling (BullMQ, no-op processor, concurrency ${q.concurrency}): ${n(q.jobsPerS)} jobs/s ` +
        `(${n(q.completed)} jobs in ${q.elapsedS} s; cpu % producer ${q.cpuPercent.producer}, worker ${q.cpuPercent.worker}, redis ${q.cpuPercent.redis})`,
      '',
    );
  }
  const floor = results.unicastFloor;
  if (floor) {
    out.push(
      `cost floor of one durable unicast message here, were each its own job: ${floor.httpAndSocketUs} µs HTTP in + socket out (direct push server) + ` +
        `${floor.queueJobUs} µs for one BullMQ job (queue ceiling) + ${floor.agentsUs} µs in the load agents = ` +
        `${floor.httpAndSocketUs + floor.queueJobUs + floor.agentsUs} µs of CPU, so at most ~${n(floor.msgPerS)} msg/s on ${results.machine.cpus} cores ` +
        'with no storage, bus or validation at all (jobs now carry the records accepted together, which lowers this floor)',
      '',
    );
  }
  if (results.browserScript) {
    const b = results.browserScript;
    out.push(`browser script ${b.path}: ${n(b.minifiedBytes)} bytes minified, ${n(b.gzippedBytes)} gzipped (socket.io-client, @notify/browser and <notify-inbox>)`, '');
  }
  if (results.connections) {
    const c = results.connections;
    out.push(
      `connections: ${n(c.connected)}/${n(c.pages)} pages (${n(c.users)} users, ${c.companies} companies) open in ${c.connectS} s ` +
        `(${n(c.pagesPerS)} pages/s); gateway RSS ${c.gatewayRssBeforeMiB} → ${c.gatewayRssAfterMiB} MiB = ${c.gatewayKiBPerPage} KiB per idle page; ` +
        `${n(c.onlineCountEvents)} update_online_count events while connecting`,
      '',
    );
  }
  if (results.replay?.length) {
    out.push(
      table(
        ['replay at login', 'stored', 'logins', 'replayed', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
        results.replay.map((r) => [
          `${results.options.replayUnread} unread`,
          n(r.stored),
          r.logins,
          r.replayedMin === r.replayedMax ? r.replayedMin : `${r.replayedMin}-${r.replayedMax}`,
          r.latencyMs.p50,
          r.latencyMs.p95,
          r.latencyMs.p99,
          r.latencyMs.max,
        ]),
      ),
      '',
      table(
        ['page requests (round trip)', 'stored', 'list p50 ms', 'list p99 ms', 'catch-up p50 ms', 'catch-up p99 ms', 'failed'],
        results.replay.map((r) => [
          'list 20; catch up 1,000 missed',
          n(r.stored),
          r.listMs.p50,
          r.listMs.p99,
          r.catchUpMs.p50,
          r.catchUpMs.p99,
          r.requestsFailed,
        ]),
      ),
      '',
    );
  }
  if (results.contention) {
    const c = results.contention;
    out.push(
      `write contention: ${n(c.pages)} pages marking read every 200 ms for ${c.durationS} s while ${n(c.messages)} messages were stored; ` +
        `${n(c.reads)} reads acked (${c.readsFailed} failed), ack p50 / p99 ${c.readAckMs.p50} / ${c.readAckMs.p99} ms; ` +
        `gateway event-loop delay p99 ${c.gatewayLoopP99Ms} ms, max ${c.gatewayLoopMaxMs} ms ` +
        `(control, ${n(c.control.messages)} messages stored and no reads: p99 ${c.control.gatewayLoopP99Ms} ms, max ${c.control.gatewayLoopMaxMs} ms)`,
      '',
    );
  }
  if (Object.keys(results.ratios).length > 0) {
    out.push(table(['ratio', 'value'], Object.entries(results.ratios).map(([name, value]) => [name, value.toFixed(2)])), '');
  }
  out.push(
    table(
      ['target', 'goal', 'this run', 'met', ''],
      results.targets.map((t) => [t.name, t.target, t.actual, t.met === null ? '-' : t.met ? 'yes' : 'NO', t.note ?? '']),
      [0, 4],
    ),
  );
  for (const [app, profile] of Object.entries(results.profiles ?? {})) {
    out.push(
      '',
      `${app} CPU profile: ${profile.busyMs} ms busy + ${profile.gcMs} ms GC of ${profile.wallMs} ms (${profile.file})`,
      table(['function', 'self ms', '%'], profile.topFunctions.map((f) => [f.fn, f.selfMs, f.selfPercent])),
      `by package: ${profile.byPackage.map((p) => `${p.pkg} ${p.selfPercent}%`).join(', ')}`,
    );
  }
  if (results.warnings.length > 0) out.push('', 'warnings:', ...results.warnings.map((w) => `  - ${w}`));
  return out.join('\n');
}
