import { BusEnvelope } from '@notify/contracts';

/** A bus message parsed into its envelope, or the reason it is dropped. */
export function decodeEnvelope(raw: string): BusEnvelope | Error {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return new Error(`bus: dropped a message that is not JSON: ${raw.slice(0, 200)}`);
  }
  const result = BusEnvelope.safeParse(parsed);
  if (!result.success) return new Error(`bus: dropped a malformed envelope: ${result.error.message.slice(0, 500)}`);
  return result.data;
}
