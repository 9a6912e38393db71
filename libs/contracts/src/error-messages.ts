import { z } from 'zod';

/** A schema-level error message that still says "is required" when the field is missing. */
export const unlessMissing = (message: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? 'is required' : message;

// Every schema in the contracts reports a missing field as "is required" rather than zod's
// "expected string, received undefined"; schema-level messages (above) take precedence.
z.config({
  customError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined),
});
