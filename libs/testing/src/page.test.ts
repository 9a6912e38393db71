import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeAllPages, openPage, PageOpenError, type Page } from './page.js';

// A stand-in gateway with the Socket API's handshake and login rules: token "good" is valid.
const http = createServer();
const io = new Server(http);
io.use((socket, next) => {
  const token: unknown = socket.handshake.auth.token;
  next(token === undefined || token === 'good' ? undefined : new Error('unauthorized'));
});
io.on('connection', (socket) => {
  // Sent at once, so a page that started recording late would miss it.
  if (socket.handshake.auth.token) socket.emit('update_online_count', 1);
  socket.on('login', (payload: { token?: string; uid: string; companyID: string }, ack?: (result: unknown) => void) => {
    if (payload.token !== 'good') {
      ack?.({ error: { code: 'unauthorized', message: 'bad token' } });
      socket.disconnect(true);
      return;
    }
    ack?.({ uid: payload.uid, companyID: payload.companyID });
    socket.emit('unread_count', { total: 0, byType: { 1: 0, 2: 0, 3: 0 } });
  });
  socket.on('read', (_payload: unknown, ack: (result: unknown) => void) => ack({ updated: 2 }));
  socket.on('kick me', () => socket.disconnect(true));
  socket.on('send 3', () => [1, 2, 3].forEach((n) => socket.emit('update_online_count', n)));
});
let url: string;
/** Emits a test-only event the contract's map does not know. */
const emitRaw = (page: Page, event: string) => (page.socket as unknown as Socket).emit(event);

beforeAll(async () => {
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterEach(() => closeAllPages());
afterAll(() => new Promise((resolve) => io.close(resolve)));

describe('openPage', () => {
  it('connects with a token and has recorded what the server sent on connection', async () => {
    const page = await openPage(url, { token: 'good' });
    expect(await page.waitFor('update_online_count')).toBe(1);
    expect(page.connections).toBe(1);
  });

  it('rejects with the connect_error message of a refused token', async () => {
    await expect(openPage(url, { token: 'bad' })).rejects.toThrow(new PageOpenError('unauthorized', 'connect_error'));
  });

  it('logs in with the older pages login event and keeps the ack', async () => {
    const page = await openPage(url, { login: { uid: '1', companyID: '7', token: 'good' } });
    expect(page.loginAck).toEqual({ uid: '1', companyID: '7' });
  });

  it('counts a login without ack as done at the first event after it', async () => {
    const page = await openPage(url, { login: { uid: '1', companyID: '7', token: 'good' } }, { loginAck: false });
    expect(page.events('unread_count')).toHaveLength(1);
  });

  it('rejects a refused login with its error code', async () => {
    const refused = openPage(url, { login: { uid: '1', companyID: '7', token: 'bad' } });
    await expect(refused).rejects.toMatchObject({ reason: 'login_refused', code: 'unauthorized' });
  });

  it('waits for counts, acks and disconnections, and says what came on a timeout', async () => {
    const page = await openPage(url, { token: 'good' });
    emitRaw(page, 'send 3');
    expect(await page.waitForCount('update_online_count', 4, 2000)).toEqual([1, 1, 2, 3]);
    expect(await page.waitFor('update_online_count', (count) => count === 3)).toBe(3);
    expect(await page.emitWithAck('read', { all: true })).toEqual({ updated: 2 });
    await expect(page.waitFor('new_msg', undefined, 20)).rejects.toThrow(/update_online_count ×4; connected/);
    emitRaw(page, 'kick me');
    expect(await page.waitForDisconnect()).toBe('io server disconnect');
  });

  it('closes every open page', async () => {
    const pages = await Promise.all([openPage(url, { token: 'good' }), openPage(url, { raw: true })]);
    closeAllPages();
    expect(pages.map((page) => page.socket.connected)).toEqual([false, false]);
    pages[0]?.close(); // twice is fine
  });
});
