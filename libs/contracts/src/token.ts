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
export type MintTokenBody = z.infer<typeof MintTokenBody>;

export const MintTokenResponse = z.object({ token: z.string(), expiresAt: z.iso.datetime() });
export type MintTokenResponse = z.infer<typeof MintTokenResponse>;

/**
 * Claims of a browser token (JWT, HS256): `sub` = uid, `cid` = companyID. `iat_ms` is when it was
 * minted in epoch milliseconds (tokens minted by notify carry it; `iat` has whole seconds only),
 * so a cut-off can tell a token minted just after it from one minted just before, in the same second.
 */
export const BrowserTokenClaims = z.object({
  sub: z.string().min(1),
  cid: z.string().min(1),
  exp: z.number(),
  iat: z.number().optional(),
  iat_ms: z.number().optional(),
});
export type BrowserTokenClaims = z.infer<typeof BrowserTokenClaims>;

/** Body of `POST /v1/users/:uid/revoke-tokens` and `POST /v1/companies/:companyID/revoke-tokens`: empty, or `{}`. */
export const RevokeTokensBody = z.strictObject({});
export type RevokeTokensBody = z.infer<typeof RevokeTokensBody>;

/** Answer of a cut-off: tokens minted at or before this instant are refused from now on. */
export const RevokeTokensResponse = z.object({ revokedBefore: z.iso.datetime() });
export type RevokeTokensResponse = z.infer<typeof RevokeTokensResponse>;
