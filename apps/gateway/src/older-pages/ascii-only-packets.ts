import type { GatewayServer } from '../gateway-types.js';

const NON_ASCII = /[\u0080-\uffff]/g;
const escape = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** What engine.io's `packetCreate` event hands over: the packet it is about to send. */
interface OutgoingPacket {
  type: string;
  data?: unknown;
}

/**
 * Makes every text packet to an Engine.IO 3 client pure ASCII, so socket.io-client 1.x can read it.
 *
 * Since socket.io 2.0 the server writes an HTTP long-polling payload as `<length>:<packet>…` with
 * lengths in UTF-16 code units; socket.io-client 1.x (engine.io-client 1.x) reads them as UTF-8
 * byte counts, so one non-ASCII character in a packet sent over polling (always used before the
 * upgrade to WebSocket, and for good behind proxies that refuse WebSocket) breaks its parser: the
 * page logs a parse error and reconnects forever. Outside the packet header non-ASCII can only occur
 * inside JSON strings, where `\uXXXX` is the same text to every JSON parser: a packet that is pure
 * ASCII measures the same either way, and 2.x clients read it as before.
 *
 * engine.io emits `packetCreate` with the packet object just before it queues it, so the data is
 * rewritten in place; broadcasts hand each connection its own packet object.
 */
export function asciiOnlyPacketsForEio3(io: GatewayServer): void {
  io.engine.on('connection', (connection: { protocol: number; on(event: 'packetCreate', listener: (packet: OutgoingPacket) => void): void }) => {
    if (connection.protocol !== 3) return;
    connection.on('packetCreate', (packet) => {
      if (packet.type === 'message' && typeof packet.data === 'string') packet.data = packet.data.replace(NON_ASCII, escape);
    });
  });
}
