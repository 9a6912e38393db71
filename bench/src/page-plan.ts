import type { ApiClient } from '@notify/testing';
import type { PageSpec } from './agents/agent-protocol.js';
import { seededRandom } from '@notify/testing';

/** A user and how many tabs (pages) they have open; `agent` is the agent process holding all of them. */
export interface PlannedUser {
  uid: string;
  companyID: string;
  tabs: number;
  agent: number;
}

/** `users` users with 1–3 tabs each, spread over `companies`, dealt round-robin to the agents. */
export function usersWithTabs(prefix: string, users: number, companies: (index: number) => string, agents: number, seed = 1): PlannedUser[] {
  const random = seededRandom(seed);
  return Array.from({ length: users }, (_, index) => ({
    uid: `${prefix}${index}`,
    companyID: companies(index),
    tabs: 1 + Math.floor(random() * 3),
    agent: index % agents,
  }));
}

/** Users with 1–3 tabs until exactly `pages` pages, `companyUsers` users per company. */
export function usersForPages(prefix: string, pages: number, companyUsers: number, agents: number): PlannedUser[] {
  const random = seededRandom(2);
  const planned: PlannedUser[] = [];
  for (let total = 0, index = 0; total < pages; index += 1) {
    const tabs = Math.min(pages - total, 1 + Math.floor(random() * 3));
    planned.push({ uid: `${prefix}${index}`, companyID: `${prefix}c${Math.floor(index / companyUsers)}`, tabs, agent: index % agents });
    total += tabs;
  }
  return planned;
}

/** Mints one browser token per user with `POST /v1/tokens`, `concurrency` requests at a time. */
export async function mintTokens(client: ApiClient, users: readonly { uid: string; companyID: string }[], concurrency = 16): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  let next = 0;
  const worker = async () => {
    while (next < users.length) {
      const user = users[next++] as { uid: string; companyID: string };
      tokens.set(user.uid, await client.mintToken(user.uid, user.companyID, 24 * 3600));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return tokens;
}

/** Each agent's pages: every tab of each of its users. */
export function pagesByAgent(users: readonly PlannedUser[], tokens: ReadonlyMap<string, string>, agents: number): PageSpec[][] {
  const byAgent: PageSpec[][] = Array.from({ length: agents }, () => []);
  for (const user of users) {
    const page = { uid: user.uid, companyID: user.companyID, token: tokens.get(user.uid) ?? '' };
    for (let tab = 0; tab < user.tabs; tab += 1) byAgent[user.agent]?.push(page);
  }
  return byAgent;
}
