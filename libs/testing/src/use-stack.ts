import { afterAll, afterEach, beforeAll } from 'vitest';
import type { ApiClient } from './api-client.js';
import { closeAllPages, type Page } from './page.js';
import { startStack, type Stack, type StackOptions } from './start-stack.js';

/** A stack shared by the tests of one file, with shortcuts for what most tests do. */
export interface StackFixture {
  /** The running stack (available inside tests and hooks, not at collection time). */
  readonly stack: Stack;
  /** An api client holding the stack's API key. */
  readonly api: ApiClient;
  /** Opens a page of `uid` in `companyID` on the first gateway, with a freshly minted token. */
  page(uid: string | number, companyID: string | number): Promise<Page>;
}

/**
 * Registers the hooks of a file that uses one stack: started before all tests, pages closed after
 * each test, stopped after all tests (even when they fail).
 */
export function useStack(options: StackOptions = {}): StackFixture {
  let current: Stack | undefined;
  const running = (): Stack => {
    if (!current) throw new Error('the stack is not running yet: use it inside tests or hooks');
    return current;
  };
  beforeAll(async () => {
    current = await startStack(options);
  });
  afterEach(closeAllPages);
  afterAll(async () => {
    await current?.stop();
  });
  return {
    get stack() {
      return running();
    },
    get api() {
      return running().client;
    },
    page: (uid, companyID) => running().page(uid, companyID),
  };
}
