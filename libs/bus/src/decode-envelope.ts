import { BusEnvelope } from '@notify/contracts';

/**
 * Whether a subscriber has anything to do with events for `room` (a gateway: whether it has a
 * socket there). See {@link decodeEnvelope}.
 */
export type WantsRoom = (room: string) => boolean;

/** How an envelope names its room: its first member (see `BusPublisher`). */
const ROOM_START = '{"room":"';

/**
 * A bus message parsed into its envelope, or the reason it is dropped; undefined when it is for a
 * room that `wants` has no use for. That is read from the envelope's start, `{"room":"…"`, before
 * anything is parsed, as the socket.io Redis adapter checks the room before it decodes; such a
 * message is dropped unread, malformed or not.
 */
export function decodeEnvelope(raw: string, wants?: WantsRoom): BusEnvelope | Error | undefined {
  if (wants && raw.startsWith(ROOM_START)) {
    const end = raw.indexOf('"', ROOM_START.length);
    const room = raw.slice(ROOM_START.length, end);
    // A room with an escape in it is not read here: the whole envelope is parsed instead.
    if (end > 0 && !room.includes('\\') && !wants(room)) return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return new Error(`bus: dropped a message that is not JSON: ${raw.slice(0, 200)}`);
  }
  const result = BusEnvelope.safeParse(parsed);
  if (!result.success) return new Error(`bus: dropped a malformed envelope: ${result.error.message.slice(0, 500)}`);
  return result.data;
}
