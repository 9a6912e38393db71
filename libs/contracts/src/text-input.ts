import { z } from 'zod';

// With the `u` flag a lone surrogate is a code point of category Cs; paired ones are not.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Text on input, between `min` and `max` characters. Text is stored exactly as sent, so it must be
 * well-formed Unicode: a lone surrogate (valid in JSON, not in UTF-8) could not come back unchanged.
 */
export const TextInput = (max: number, min = 0) =>
  z
    .string()
    .min(min)
    .max(max)
    .refine((text) => !LONE_SURROGATE.test(text), 'must be valid Unicode text (it contains a lone surrogate)');
