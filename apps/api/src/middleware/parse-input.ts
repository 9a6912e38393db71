import type { z } from 'zod';
import { toIssues } from '@notify/contracts';
import { InvalidInputError } from '../errors/http-errors.js';

/**
 * Parses one part of a request (`body`, `query`, a path parameter) and throws a 400 listing every
 * problem. Issues of path parameters and of a body that is not an object are named after the part.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, part: string): z.infer<S> {
  if (value === undefined && part === 'body') {
    throw new InvalidInputError([{ path: '(body)', message: 'a JSON body is required (Content-Type: application/json)' }]);
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new InvalidInputError(toIssues(result.error).map((issue) => ({ ...issue, path: issue.path || `(${part})` })));
}
