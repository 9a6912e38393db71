import { z } from 'zod';
import { IdentifierInput } from './identifier.js';
export const TOKEN_TTL_DEFAULT_SECONDS = 3600;
export const TOKEN_TTL_MAX_SECONDS = 7 * 24 * 3600;
/** Body of `POST /v1/tokens`: who the browser token is for. */
export const MintTokenBody = z.strictObject({
    uid: IdentifierInput,
    companyID: IdentifierInput,
    ttlSeconds: z.int().min(1).max(TOKEN_TTL_MAX_SECONDS).default(TOKEN_TTL_DEFAULT_SECONDS),
});
export const MintTokenResponse = z.object({ token: z.string(), expiresAt: z.iso.datetime() });
/** Claims of a browser token (JWT, HS256): `sub` = uid, `cid` = companyID. */
export const BrowserTokenClaims = z.object({
    sub: z.string().min(1),
    cid: z.string().min(1),
    exp: z.number(),
});
