import { Agent, request } from 'node:http';
import { io, type Socket } from 'socket.io-client';
import type { Transport } from './agent-protocol.js';

/** A record to send: the api's JSON body, and for the socket ceiling the room and event it goes to. */
export interface OutgoingRecord {
  path: '/v1/messages' | '/v1/dynamics' | '/v1/bulk';
  body: Record<string, unknown>;
  room: string;
  event: 'new_msg' | 'update_dynamic';
}

/** How a send ended: `status` is the HTTP status (`ack` for a socket ack, `error` for a failure). */
export interface SendOutcome {
  status: string;
  ids: string[];
}

export interface RecordSender {
  send(record: OutgoingRecord): Promise<SendOutcome>;
  close(): void;
}

/** Sends records as the api's producers do: JSON over keep-alive HTTP with the API key. */
export function httpSender(transport: Extract<Transport, { kind: 'http' }>, maxSockets: number): RecordSender {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const { hostname, port } = new URL(transport.url);
  const authorization = `Bearer ${transport.apiKey}`;
  return {
    send(record) {
      const payload = Buffer.from(JSON.stringify(record.body));
      return new Promise((resolve) => {
        const req = request(
          {
            agent,
            hostname,
            port,
            method: 'POST',
            path: record.path,
            headers: { authorization, 'content-type': 'application/json', 'content-length': payload.length },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => resolve({ status: String(res.statusCode), ids: acceptedIds(res.statusCode, chunks) }));
            res.on('error', () => resolve({ status: 'error', ids: [] }));
          },
        );
        req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
        req.on('error', () => resolve({ status: 'error', ids: [] }));
        req.end(payload);
      });
    },
    close: () => agent.destroy(),
  };
}

function acceptedIds(status: number | undefined, chunks: Buffer[]): string[] {
  if (status !== 202) return [];
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString()) as { ids?: string[] | { messages: string[]; dynamics: string[] }; id?: string };
    // A bulk request's ids are by kind, messages first: the order of its body.
    if (body.ids && !Array.isArray(body.ids)) return [...body.ids.messages, ...body.ids.dynamics];
    return body.ids ?? (body.id ? [body.id] : []);
  } catch {
    return [];
  }
}

/** Sends records to the socket-ceiling server as `push` events over one control socket. */
export async function socketSender(transport: Extract<Transport, { kind: 'socket' }>): Promise<RecordSender> {
  const socket: Socket = io(transport.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { control: true } });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return {
    async send(record) {
      try {
        const id = (await socket.timeout(30_000).emitWithAck('push', { room: record.room, event: record.event, record: record.body })) as string;
        return { status: 'ack', ids: [id] };
      } catch {
        return { status: 'error', ids: [] };
      }
    },
    close: () => void socket.disconnect(),
  };
}
