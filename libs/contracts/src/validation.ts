import { ValidationError } from '@tributary/core';
import { z } from 'zod';

/** What failed first: the dotted path of the field (`order.items.0.sku`, `(root)` for the value itself). */
export interface FieldFailure {
  field: string;
  message: string;
}

export const ROOT_FIELD = '(root)';

export function dottedPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? ROOT_FIELD : path.map((part) => String(part)).join('.');
}

/** The first issue of a zod error, descending into union branches when they agree on nothing better. */
export function firstFailure(error: z.ZodError): FieldFailure {
  const issue = error.issues[0];
  if (!issue) return { field: ROOT_FIELD, message: 'invalid value' };
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // Report the deepest failure among the branches: the branch that got furthest names the field best.
    const branches = issue.errors
      .map((issues) => issues[0])
      .filter((i): i is z.core.$ZodIssue => i !== undefined)
      .sort((a, b) => b.path.length - a.path.length);
    const best = branches[0];
    if (best) return { field: dottedPath([...issue.path, ...best.path]), message: best.message };
  }
  return { field: dottedPath(issue.path), message: issue.message };
}

/** Parses `value` with `schema`, or throws a ValidationError naming the first failing field. */
export function parseOrThrow<T>(
  schema: z.ZodType<T>,
  value: unknown,
  what: string,
  details: Record<string, unknown> = {},
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const failure = firstFailure(result.error);
  throw new ValidationError(`${what}: ${failure.field}: ${failure.message}`, {
    cause: result.error,
    details: { ...details, field: failure.field, issues: result.error.issues },
  });
}
