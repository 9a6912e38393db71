import { openPage } from './page.js';

/**
 * Whether the gateway at `url` answers `refresh_token` (the issue "Tokens on live sockets") within
 * `timeoutMs` (default 2 s): any ack, even a refusal, says it knows the event. For tests of token
 * refresh to skip, saying why, on a gateway without it.
 */
export async function answersRefreshToken(url: string, token: string, timeoutMs = 2000): Promise<boolean> {
  const page = await openPage(url, { token });
  try {
    await page.emitWithAck('refresh_token', { token }, timeoutMs);
    return true;
  } catch {
    return false;
  } finally {
    page.close();
  }
}
