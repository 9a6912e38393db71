import type { Express } from 'express';
import type { Queue } from 'bullmq';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { basicAuth } from '../../middleware/basic-auth.js';

/** Where the board lives (docs/api.md). */
export const BULL_BOARD_PATH = '/admin/queues';

export interface BullBoardOptions {
  /** The notification queue's partitions (`notifications`, `notifications-1`, …). */
  queues: readonly Queue[];
  user: string;
  password: string;
}

/**
 * Bull Board for the notification queue (each partition shown as a queue of its own) at `/admin/queues`, every part of it (page, static
 * assets, its JSON API) behind HTTP basic auth. Browsers resend the credentials for the assets
 * and the API by themselves, as they are below the same path.
 */
export function mountBullBoard(app: Express, options: BullBoardOptions): void {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({ queues: options.queues.map((queue) => new BullMQAdapter(queue)), serverAdapter });
  const board = serverAdapter.getRouter() as Express;
  // The board is an Express app of its own, with Express's defaults.
  board.disable('x-powered-by');
  app.use(BULL_BOARD_PATH, basicAuth({ user: options.user, password: options.password, realm: 'Bull Board' }), board);
}
