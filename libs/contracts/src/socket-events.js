import { z } from 'zod';
import { IdentifierInput } from './identifier.js';
import { RecordId } from './record-id.js';
import { ClientEvent, ServerEvent } from './names.js';
/** `login` payload of pages written for the older server; `since` limits the replay. */
export const LoginPayload = z.object({
    uid: IdentifierInput,
    companyID: IdentifierInput,
    token: z.string().max(4096).optional(),
    since: RecordId.optional(),
});
