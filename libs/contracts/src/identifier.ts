import { z } from 'zod';
import { unlessMissing } from './error-messages.js';

/** Characters an identifier (uid, companyID, objectID, record id…) may use. */
export const IDENTIFIER_PATTERN = /^[A-Za-z0-9_.:@-]{1,64}$/;

const IDENTIFIER_RULE = 'must be 1-64 characters of A-Z a-z 0-9 _ . : @ -';

/** A stored identifier: always a string. */
export const Identifier = z.string().regex(IDENTIFIER_PATTERN, IDENTIFIER_RULE);

/** An identifier on input: a string or an integer, stored as a string. */
export const IdentifierInput = z
  .union([z.string(), z.int()], { error: unlessMissing('must be a string or an integer') })
  .transform(String)
  .pipe(Identifier);

export type Identifier = z.infer<typeof Identifier>;
