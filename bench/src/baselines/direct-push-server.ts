import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { verifyBrowserToken } from '@notify/auth';
import {
  companyRoom,
  NEW_MESSAGE_STATE,
  newRecordId,
  SendDynamicBody,
  SendMessageBody,
  ServerEvent,
  userRoom,
  type Dynamic,
  type Message,
} from '@notify/contracts';

// Baseline "direct push": the architecture of the older phpsocket.io setup. It takes the same HTTP
// requests as the api (same bodies, API key, validation, ids) and emits straight to the rooms: no
// queue, no storage, so nothing survives a crash and offline users get nothing. Pages connect with
// the same browser tokens. Forked by the bench with BENCH_API_KEY and BENCH_JWT_SECRET; reports its
// port over IPC.
const apiKey = process.env.BENCH_API_KEY ?? '';
const jwtSecret = process.env.BENCH_JWT_SECRET ?? '';
const BODY_LIMIT = 256 * 1024;

const http = createServer((req, res) => void handle(req, res));
const io = new Server(http, { serveClient: false });
io.use(async (socket, next) => {
  const identity = await verifyBrowserToken(jwtSecret, socket.handshake.auth?.token);
  if (!identity) return next(new Error('unauthorized'));
  socket.data.identity = identity;
  next();
});
io.on('connection', (socket) => {
  const { uid, companyID } = socket.data.identity as { uid: string; companyID: string };
  void socket.join([userRoom(uid), companyRoom(companyID)]);
});

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.headers.authorization !== `Bearer ${apiKey}`) return answer(res, 401, { error: { code: 'unauthorized', message: 'bad key' } });
  let body: unknown;
  try {
    body = JSON.parse(await readBody(req));
  } catch {
    return answer(res, 400, { error: { code: 'invalid_json', message: 'body is not JSON' } });
  }
  const acceptedAt = new Date().toISOString();
  if (req.method === 'POST' && req.url === '/v1/messages') {
    const parsed = SendMessageBody.safeParse(body);
    if (!parsed.success) return answer(res, 400, { error: { code: 'invalid_input', message: parsed.error.message } });
    const { receiverID, receiverIDs, date, ...fields } = parsed.data;
    const ids = [...new Set(receiverIDs ?? [receiverID as string])].map((receiver) => {
      const message: Message = { id: newRecordId(), ...fields, receiverID: receiver, date: date ?? acceptedAt, ...NEW_MESSAGE_STATE };
      io.to(userRoom(receiver)).emit(ServerEvent.newMessage, message);
      return message.id;
    });
    return answer(res, 202, { ids, status: 'queued' });
  }
  if (req.method === 'POST' && req.url === '/v1/dynamics') {
    const parsed = SendDynamicBody.safeParse(body);
    if (!parsed.success) return answer(res, 400, { error: { code: 'invalid_input', message: parsed.error.message } });
    const dynamic: Dynamic = { id: newRecordId(), ...parsed.data, date: parsed.data.date ?? acceptedAt };
    io.to(companyRoom(dynamic.companyID)).emit(ServerEvent.updateDynamic, dynamic);
    return answer(res, 202, { id: dynamic.id, status: 'queued' });
  }
  answer(res, 404, { error: { code: 'not_found', message: `no route for ${req.method} ${req.url}` } });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) req.destroy(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString()));
    req.on('error', reject);
  });
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

http.listen(0, '127.0.0.1', () => process.send?.({ port: (http.address() as AddressInfo).port }));
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
