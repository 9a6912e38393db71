import { describe, expect, it, vi } from 'vitest';
import type { Logger } from '@notify/observability';
import { guardedHandler } from './guarded-handler.js';

const fakeLogger = () => ({ error: vi.fn() }) as unknown as Logger & { error: ReturnType<typeof vi.fn> };
/** Lets pending promise callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('guardedHandler', () => {
  it('turns a synchronous throw into a logged error and an `internal` ack', () => {
    const logger = fakeLogger();
    const ack = vi.fn();
    guardedHandler(logger, 'read', () => {
      throw new Error('boom');
    })({ all: true }, ack);
    expect(ack).toHaveBeenCalledWith({ error: { code: 'internal', message: 'internal error' } });
    expect(logger.error).toHaveBeenCalledWith(expect.objectContaining({ event: 'read' }), 'the read handler failed');
  });

  it('catches a rejected async handler, so no unhandled rejection can end the process', async () => {
    const logger = fakeLogger();
    const ack = vi.fn();
    guardedHandler(logger, 'login', async () => {
      await settle();
      throw new Error('later boom');
    })({}, ack);
    await settle();
    await settle();
    expect(ack).toHaveBeenCalledWith({ error: { code: 'internal', message: 'internal error' } });
    expect(logger.error).toHaveBeenCalledOnce();
  });

  it('finds the ack as the last argument: no payload, or extra arguments before it', () => {
    const logger = fakeLogger();
    const seen: unknown[] = [];
    const handler = guardedHandler<string>(logger, 'read', (payload, reply) => {
      seen.push(payload);
      reply('answered');
    });
    const ack = vi.fn();
    handler(ack);
    handler({ all: true }, 'extra', 123, ack);
    handler({ all: true }, 'no ack here');
    expect(seen).toEqual([undefined, { all: true }, { all: true }]);
    expect(ack).toHaveBeenCalledTimes(2);
  });

  it('passes payload and ack through, and copes with clients that sent no ack', async () => {
    const logger = fakeLogger();
    const ack = vi.fn();
    guardedHandler<{ ok: true }>(logger, 'read', (payload, reply) => reply({ ok: true }))('payload', ack);
    expect(ack).toHaveBeenCalledWith({ ok: true });
    guardedHandler(logger, 'read', async () => Promise.reject(new Error('no ack to answer')))('payload');
    await settle();
    expect(logger.error).toHaveBeenCalledOnce();
  });
});
