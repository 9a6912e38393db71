import { z } from 'zod';
import { Identifier } from '@notify/contracts';

/** `GET /v1/companies/:companyID/online`: distinct online users and their uids, sorted. */
export const OnlineUsersResponse = z.object({ count: z.int().nonnegative(), uids: z.array(Identifier) });
export type OnlineUsersResponse = z.infer<typeof OnlineUsersResponse>;
