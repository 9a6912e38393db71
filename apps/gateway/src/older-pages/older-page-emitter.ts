import { olderPageRoom, ServerEvent, companyRoom, userRoom, type Dynamic, type NewMessageEvent } from '@notify/contracts';
import { countedEmit } from '../counted-emit.js';
import type { GatewayMetrics } from '../gateway-metrics.js';
import type { GatewayServer } from '../gateway-types.js';
import { toOlderPageDynamic, toOlderPageMessage } from './older-page-payloads.js';

/**
 * Sends the bus's records to the older pages on this gateway, which sit in rooms of their own
 * (`legacy:uid:…`, `legacy:company:…`) so that nothing meant for notify's pages reaches them
 * unconverted. A record is converted only when such a room has a page here.
 */
export class OlderPageEmitter {
  constructor(
    private readonly io: GatewayServer,
    private readonly metrics: GatewayMetrics,
    /** `TZ`: the zone of the older dates. */
    private readonly timeZone: string,
  ) {}

  /** `new_msg` with escaped text and the older date, to the receiver's older pages. */
  newMessage(message: NewMessageEvent): void {
    const room = olderPageRoom(userRoom(message.receiverID));
    if (!this.hasPages(room)) return;
    countedEmit(this.metrics, this.io.to(room), ServerEvent.newMessage, toOlderPageMessage(message, this.timeZone));
  }

  /** `update_dynamic` with escaped text and the older date, to the company's older pages. */
  dynamic(dynamic: Dynamic): void {
    const room = olderPageRoom(companyRoom(dynamic.companyID));
    if (!this.hasPages(room)) return;
    countedEmit(this.metrics, this.io.to(room), ServerEvent.updateDynamic, toOlderPageDynamic(dynamic, this.timeZone));
  }

  /** `room` and its older pages' twin: for events both kinds of page get as they are. */
  static withOlderPages<R extends string>(room: R): [R, `legacy:${R}`] {
    return [room, olderPageRoom(room)];
  }

  private hasPages(room: string): boolean {
    return this.io.of('/').adapter.rooms.has(room);
  }
}
