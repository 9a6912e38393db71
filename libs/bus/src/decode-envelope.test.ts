import { describe, expect, it, vi } from 'vitest';
import { BusType } from '@notify/contracts';
import { decodeEnvelope } from './decode-envelope.js';

const presence = { type: BusType.presenceChanged, origin: 'gw-1', sentAt: 1, payload: { companyID: '7', count: 2 } };
const revoked = (room: string) => JSON.stringify({ room, type: BusType.tokensRevoked, origin: 'api', sentAt: 1, payload: { uid: '42', notBefore: 5 } });

// A gateway reads the room from the envelope's start and drops envelopes for rooms it has no socket
// in before parsing them; everything else is parsed and checked against the contracts.
describe('decodeEnvelope', () => {
  it('drops an envelope for a room the subscriber does not want, unread, even when the rest is not JSON', () => {
    const wants = vi.fn(() => false);
    expect(decodeEnvelope(revoked('uid:42'), wants)).toBeUndefined();
    expect(decodeEnvelope('{"room":"uid:42", not JSON at all', wants)).toBeUndefined();
    expect(wants.mock.calls).toEqual([['uid:42'], ['uid:42']]);
  });

  it('parses and checks an envelope for a room it wants', () => {
    expect(decodeEnvelope(revoked('uid:42'), () => true)).toMatchObject({ room: 'uid:42', type: BusType.tokensRevoked });
    expect(decodeEnvelope('{"room":"uid:42","type":"no.such.event"}', () => true)).toEqual(expect.objectContaining({ message: expect.stringMatching(/^bus: dropped a malformed envelope/) }));
  });

  it('parses the whole envelope when the room holds an escape, or its quote never closes', () => {
    const wants = vi.fn(() => false);
    expect(decodeEnvelope(revoked('uid:a"b'), wants)).toMatchObject({ room: 'uid:a"b' });
    expect(decodeEnvelope('{"room":"uid:42', wants)).toEqual(expect.objectContaining({ message: expect.stringMatching(/^bus: dropped a message that is not JSON/) }));
    expect(wants).not.toHaveBeenCalled();
  });

  it('parses envelopes without a room (events for every gateway), and everything without wants', () => {
    const wants = vi.fn(() => false);
    expect(decodeEnvelope(JSON.stringify(presence), wants)).toEqual(presence);
    expect(wants).not.toHaveBeenCalled();
    expect(decodeEnvelope(revoked('uid:42'))).toMatchObject({ room: 'uid:42' });
  });
});
