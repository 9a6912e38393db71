import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeAllPages, openPage, startStack, waitUntil, type Stack } from '@notify/testing';

/** One sample line of the Prometheus text format: `name{label="value",…} number`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: \d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/g;

/** A sample value as Prometheus reads it (Go's ParseFloat: `NaN`, `+Inf`, `-Inf` in any letter case). */
function parseValue(text: string, line: string): number {
  const special: Record<string, number> = { nan: Number.NaN, inf: Infinity, '+inf': Infinity, '-inf': -Infinity };
  const value = special[text.toLowerCase()] ?? Number(text);
  if (Number.isNaN(value) && text.toLowerCase() !== 'nan') throw new Error(`not a number in: ${line}`);
  return value;
}

/** Parses a whole exposition; throws on the first line that is neither a comment nor a sample. */
function parseExposition(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = SAMPLE_LINE.exec(line);
      if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
      const [, name = '', labelText = '', value = ''] = match;
      const labels = Object.fromEntries([...labelText.matchAll(LABEL)].map(([, key = '', val = '']) => [key, val]));
      return { name, labels, value: parseValue(value, line) };
    });
}

/** The gateway's `/metrics`, parsed; `get(name, labels)` is the sample's value, 0 when absent (a counter not yet incremented). */
async function scrape(gatewayUrl: string) {
  const response = await fetch(`${gatewayUrl}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  const text = await response.text();
  const samples = parseExposition(text);
  return {
    text,
    samples,
    get(name: string, labels: Record<string, string> = {}): number {
      const found = samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
      return found?.value ?? 0;
    },
  };
}

// Issue 5, metrics: the gateway's /metrics parses, and its counters move when a message flows.
describe('gateway metrics', () => {
  let stack: Stack;
  let gateway: string;

  beforeAll(async () => {
    stack = await startStack();
    gateway = stack.gatewayUrls[0] as string;
  });
  afterEach(closeAllPages);
  afterAll(() => stack?.stop());

  it('serves every gateway metric with HELP and TYPE, in a format Prometheus parses', async () => {
    const { text, samples } = await scrape(gateway);
    for (const [name, type] of [
      ['notify_gateway_connected_sockets', 'gauge'],
      ['notify_gateway_logged_in_sockets', 'gauge'],
      ['notify_gateway_online_users', 'gauge'],
      ['notify_gateway_events_emitted_total', 'counter'],
      ['notify_gateway_replayed_messages_total', 'counter'],
      ['notify_gateway_bus_lag_seconds', 'histogram'],
    ]) {
      expect(text).toContain(`# HELP ${name} `);
      expect(text).toContain(`# TYPE ${name} ${type}\n`);
    }
    // The default process metrics are there too, labelled with the app.
    expect(samples.find((s) => s.name === 'process_resident_memory_bytes')?.labels).toMatchObject({ app: 'gateway' });
  });

  it('counts sockets, a room emit once per message, and the store-to-emit lag', async () => {
    const before = await scrape(gateway);
    const tabA = await openPage(gateway, { token: await stack.client.mintToken(1, 7) });
    const tabB = await openPage(gateway, { token: await stack.client.mintToken(1, 7) });
    const anonymous = await openPage(gateway, { raw: true });
    await tabA.waitFor('update_online_count');
    await tabB.waitFor('update_online_count');

    const open = await scrape(gateway);
    expect(open.get('notify_gateway_connected_sockets')).toBe(3);
    expect(open.get('notify_gateway_logged_in_sockets')).toBe(2);
    expect(open.get('notify_gateway_online_users')).toBe(1);

    const sent = await stack.client.sendMessage({ companyID: 7, receiverID: 1, typeID: 1, title: 'metrics', content: 'counted' });
    expect(sent.status).toBe(202);
    const id = sent.body.ids[0];
    await tabA.waitFor('new_msg', (message) => message.id === id);
    await tabB.waitFor('new_msg', (message) => message.id === id);

    // Both tabs got it from one emit to the user's room: counted once, and one lag observation.
    const after = await scrape(gateway);
    const delta = (name: string, labels: Record<string, string> = {}) => after.get(name, labels) - before.get(name, labels);
    expect(delta('notify_gateway_events_emitted_total', { event: 'new_msg' })).toBe(1);
    // One per tab at login, and one with the message.
    expect(delta('notify_gateway_events_emitted_total', { event: 'unread_count' })).toBe(3);
    expect(delta('notify_gateway_bus_lag_seconds_count', { type: 'message.stored' })).toBe(1);
    const lag = delta('notify_gateway_bus_lag_seconds_sum', { type: 'message.stored' });
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(5);
    expect(after.get('notify_gateway_bus_lag_seconds_bucket', { type: 'message.stored', le: '+Inf' })).toBe(
      after.get('notify_gateway_bus_lag_seconds_count', { type: 'message.stored' }),
    );
    expect(anonymous.events('new_msg')).toEqual([]);

    tabA.close();
    tabB.close();
    anonymous.close();
    await waitUntil(async () => (await scrape(gateway)).get('notify_gateway_connected_sockets') === 0, {
      timeoutMs: 5000,
      message: 'the connected sockets gauge is back to 0 after every page closed',
    });
    const closed = await scrape(gateway);
    expect(closed.get('notify_gateway_logged_in_sockets')).toBe(0);
    expect(closed.get('notify_gateway_online_users')).toBe(0);
  });

  it('counts the unread messages replayed at login', async () => {
    const sent = await stack.client.sendMessage({ companyID: 7, receiverIDs: [30], typeID: 2, title: 'while away', content: '' });
    const sent2 = await stack.client.sendMessage({ companyID: 7, receiverIDs: [30], typeID: 2, title: 'also while away', content: '' });
    const ids = [...sent.body.ids, ...sent2.body.ids];
    await waitUntil(
      async () => (await stack.client.request('GET', '/v1/users/30/messages?companyID=7')).body.items?.length === 2,
      { timeoutMs: 10_000, message: 'both messages for the offline user are stored' },
    );
    const before = await scrape(gateway);

    const page = await openPage(gateway, { token: await stack.client.mintToken(30, 7) });
    const replayed = await page.waitForCount('new_msg', 2);
    expect(replayed.map((message) => message.id)).toEqual(ids);

    const after = await scrape(gateway);
    expect(after.get('notify_gateway_replayed_messages_total') - before.get('notify_gateway_replayed_messages_total')).toBe(2);
    const emitted = (s: typeof after) => s.get('notify_gateway_events_emitted_total', { event: 'new_msg' });
    expect(emitted(after) - emitted(before)).toBe(2);
  });
});
