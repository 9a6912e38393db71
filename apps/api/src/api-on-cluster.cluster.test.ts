import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queuePartitionOf, queuePartitions } from '@notify/contracts';
import type { Cluster } from '@notify/redis';
import { connectTestRedis, findJobOf, masterOfKey, openPage, PageOpenError, useInProcessStack } from '@notify/testing';

// The api, a worker and a gateway on a Redis Cluster (the cluster project's), with the queue in
// three partitions: what needs Redis answers as on one server, never CROSSSLOT or MOVED.
describe('the api on a Redis Cluster', () => {
  let admin: Cluster;
  beforeAll(() => {
    admin = connectTestRedis() as Cluster;
  });
  afterAll(() => admin.disconnect());

  describe('with QUEUE_PARTITIONS=3', () => {
    const boardPassword = randomUUID();
    const stack = useInProcessStack({ env: { QUEUE_PARTITIONS: '3', BULL_BOARD_PASSWORD: boardPassword } });

    it('is ready, and says it checked the cluster', async () => {
      const ready = await fetch(`${stack().apiUrl}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', checks: { redis: 'ok', store: 'ok' } });
    });

    it("puts each receiver's messages in its partition, one slot each, and the worker takes them from all three", async () => {
      const prefix = stack().env.REDIS_PREFIX as string;
      const partitions = queuePartitions(prefix, 3, true);
      const receivers = Array.from({ length: 30 }, (_, n) => `r${n}`);
      const sent = await stack().client.sendMessage({ companyID: 7, receiverIDs: receivers, typeID: 1, title: 'spread', content: '' });
      expect(sent.status).toBe(202);

      const queues = partitions.map(({ name, prefix: queuePrefix }) => new Queue(name, { connection: admin, prefix: queuePrefix }));
      try {
        // Every message went out in a job of its receiver's partition (one batch job per partition
        // here: the send's records are split by partition), and that job completed.
        const stateOf = async (index: number) => {
          const queue = queues[queuePartitionOf(receivers[index] as string, 3)] as Queue;
          return (await findJobOf(queue, sent.body.ids[index] as string))?.getState();
        };
        for (const [index, receiver] of receivers.entries()) {
          await expect.poll(() => stateOf(index), { timeout: 10_000, message: `${receiver}'s job in partition ${queuePartitionOf(receiver, 3)}` }).toBe('completed');
        }
        expect(new Set(receivers.map((receiver) => queuePartitionOf(receiver, 3))).size).toBe(3);
        // A partition's keys share its hash tag's slot: BullMQ's scripts could not run otherwise.
        for (const { prefix: queuePrefix, name } of partitions) {
          expect(await masterOfKey(admin, `${queuePrefix}:${name}:wait`)).toBe(await masterOfKey(admin, `${queuePrefix}:${name}:completed`));
        }
      } finally {
        await Promise.all(queues.map((queue) => queue.close()));
      }
      for (const receiver of receivers.slice(0, 3)) {
        const listed = await stack().client.request('GET', `/v1/users/${receiver}/messages`);
        expect(listed.body.items.map((m: { title: string }) => m.title)).toEqual(['spread']);
      }
    });

    it("reads every partition's job counts for the worker's queue-depth metric", async () => {
      // The gauge is left empty when the counts cannot be read, so a value per state says they were.
      const metrics = await (await fetch(`http://127.0.0.1:${stack().worker?.port}/metrics`)).text();
      for (const state of ['waiting', 'active', 'delayed']) {
        expect(metrics).toMatch(new RegExp(`^notify_worker_queue_depth\\{state="${state}",app="worker"\\} \\d+$`, 'm'));
      }
      expect(metrics).toMatch(/^notify_worker_queue_depth\{state="failed",app="worker"\} 0$/m);
    });

    it("cuts a user off: the page ends, and the user's older tokens are refused", async () => {
      const token = await stack().token('cut', 7);
      const page = await stack().page('cut', 7);
      const revoked = await stack().client.request('POST', '/v1/users/cut/revoke-tokens');
      expect(revoked.status).toBe(200);
      expect(await page.waitFor('session_ended')).toEqual({ reason: 'revoked' });
      const again = openPage(stack().gatewayUrls[0] as string, { token });
      await expect(again).rejects.toBeInstanceOf(PageOpenError);
      await expect(again).rejects.toThrow('unauthorized');
    });

    it('shows every partition in Bull Board', async () => {
      const auth = `Basic ${Buffer.from(`admin:${boardPassword}`).toString('base64')}`;
      const response = await fetch(`${stack().apiUrl}/admin/queues/api/queues`, { headers: { authorization: auth } });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { queues: { name: string }[] };
      expect(body.queues.map((queue) => queue.name).sort()).toEqual(['notifications', 'notifications-1', 'notifications-2']);
    });

    it('answers a retried Idempotency-Key with the first answer, stores the message once, and refuses another body', async () => {
      const key = `k-${randomUUID()}`;
      const body = { companyID: 7, receiverID: 'idem', typeID: 1, title: 'once', content: '' };
      const first = await stack().client.sendMessage(body, { 'Idempotency-Key': key });
      const again = await stack().client.sendMessage(body, { 'Idempotency-Key': key });
      expect(first.status).toBe(202);
      expect(again.status).toBe(202);
      expect(again.body.ids).toEqual(first.body.ids);
      const other = await stack().client.sendMessage({ ...body, title: 'other' }, { 'Idempotency-Key': key });
      expect(other.status).toBe(409);
      await expect.poll(async () => (await stack().client.request('GET', '/v1/users/idem/messages')).body.items.length).toBe(1);
      // A later message to the same user, stored after: the retried one would have been too.
      const later = await stack().client.sendMessage({ ...body, title: 'later' });
      await expect.poll(async () => (await stack().client.request('GET', '/v1/users/idem/messages')).body.items.map((m: { id: string }) => m.id)).toContain(later.body.ids[0]);
      expect((await stack().client.request('GET', '/v1/users/idem/messages')).body.items.map((m: { title: string }) => m.title).sort()).toEqual(['later', 'once']);
    });
  });

  describe('with API_RATE_LIMIT=5', () => {
    const stack = useInProcessStack({ worker: false, env: { API_RATE_LIMIT: '5' } });

    it('answers requests over the limit 429 with Retry-After, counted in the cluster', async () => {
      const answers = await Promise.all(
        Array.from({ length: 12 }, () => stack().client.sendDynamic({ companyID: 7, operatorID: 'op', operator: 'Op', title: 'burst', content: '' })),
      );
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(1);
      expect(statuses.every((status) => status === 202 || status === 429)).toBe(true);
      // A burst may straddle two one-second windows, so up to twice the limit gets through.
      expect(statuses.filter((status) => status === 202).length).toBeLessThanOrEqual(10);
      expect(answers.find((answer) => answer.status === 429)?.headers.get('retry-after')).toBe('1');
    });
  });
});
