import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { companyRoom, newRecordId, userRoom } from '@notify/contracts';

// Baseline "socket ceiling": raw socket.io fan-out, the most any design can deliver to these pages
// on this machine. No HTTP, no validation, no auth check, no queue, no storage: a page names its
// rooms in its handshake (`auth: {uid, companyID}`); a driver's control socket (`auth: {control}`)
// sends `push {room, event, record}`, which is stamped with an id and a date and emitted to the
// room as it is, acked with the id. Forked by the bench; reports its port over IPC.
const http = createServer((_req, res) => res.writeHead(404).end());
const io = new Server(http, { serveClient: false });

io.on('connection', (socket) => {
  const auth = (socket.handshake.auth ?? {}) as { uid?: string; companyID?: string; control?: boolean };
  if (auth.control) {
    socket.on('push', (push: { room: string; event: string; record: Record<string, unknown> }, ack: (id: string) => void) => {
      const id = newRecordId();
      const isMessage = push.event === 'new_msg';
      const record = { id, ...push.record, date: new Date().toISOString(), ...(isMessage ? { isRead: false } : {}) };
      io.to(push.room).emit(push.event, record);
      ack(id);
    });
    return;
  }
  if (auth.uid && auth.companyID) void socket.join([userRoom(auth.uid), companyRoom(auth.companyID)]);
});

http.listen(0, '127.0.0.1', () => process.send?.({ port: (http.address() as AddressInfo).port }));
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
