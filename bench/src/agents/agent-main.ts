import type { AgentCommand, AgentReply, AgentRequest } from './agent-protocol.js';
import { drive } from './driver.js';
import { httpSender } from './record-sender.js';
import { PageGroup } from './page-group.js';
import { probeReplay } from './replay-probe.js';
import { probeInbox } from './inbox-probe.js';

// A bench agent: a child process holding simulated browser pages and driving load, told what to do
// by the orchestrator over IPC (see AgentPool). It exits when the orchestrator goes away.
const groups = new Map<string, PageGroup>();

function group(name: string): PageGroup {
  let found = groups.get(name);
  if (!found) {
    found = new PageGroup();
    groups.set(name, found);
  }
  return found;
}

async function execute(command: AgentCommand): Promise<unknown> {
  switch (command.cmd) {
    case 'connect':
      return group(command.group).connect(command.url, command.pages, command);
    case 'disconnect':
      group(command.group).disconnect();
      groups.delete(command.group);
      return null;
    case 'reset':
      group(command.group).reset();
      return null;
    case 'stats':
      return group(command.group).stats();
    case 'drive':
      return drive(command.spec, group(command.group));
    case 'replay':
      return probeReplay(command.url, command.users, command.logins, command.timeoutMs);
    case 'churn':
      return group(command.group).churn(command.everyMs, command.durationMs);
    case 'inbox':
      return probeInbox(command.url, command.users, command.rounds, command.timeoutMs);
    case 'send': {
      if (command.transport.kind !== 'http') throw new Error('send: an http transport only');
      const sender = httpSender(command.transport, 1);
      try {
        return await sender.send({ path: command.path, body: command.body, room: '', event: 'new_msg' });
      } finally {
        sender.close();
      }
    }
  }
}

const debug = process.env.BENCH_DEBUG ? (line: string) => process.stderr.write(`[agent ${process.pid}] ${line}\n`) : () => undefined;

process.on('message', (request: AgentRequest) => {
  debug(`${request.cmd} #${request.seq}`);
  execute(request).then(
    (result) => reply({ seq: request.seq, ok: true, result: result ?? null }),
    (error: unknown) => reply({ seq: request.seq, ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
process.send?.({ seq: 0, ok: true, result: 'ready' } satisfies AgentReply);

function reply(message: AgentReply): void {
  debug(`reply #${message.seq} ${message.ok ? 'ok' : message.error}`);
  process.send?.(message);
}
