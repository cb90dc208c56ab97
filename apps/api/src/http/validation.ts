import type { z } from 'zod';
import { badRequest, type FieldProblem } from './problem.js';

/** Zod issues as field-level problems: `data.journalNumber: Required`. */
export function fieldProblems(error: z.ZodError, prefix = ''): FieldProblem[] {
  return error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? (issue as { keys?: string[] }).keys : undefined;
    const path = issue.path.map(String).join('.');
    const field = [prefix, path].filter(Boolean).join('.') || prefix || '(root)';
    if (keys?.length) return { field: keys.map((k) => [field === '(root)' ? '' : field, k].filter(Boolean).join('.')).join(', '), message: `unknown field${keys.length > 1 ? 's' : ''}: not accepted here` };
    return { field, message: issue.message };
  });
}

/** Parses input with a schema or throws a 400 problem naming each bad field. */
export function parseOr400<T extends z.ZodType>(schema: T, input: unknown, where: 'body' | 'query' | 'params' | 'headers'): z.infer<T> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const errors = fieldProblems(result.error, where === 'body' ? '' : where);
  throw badRequest(`The ${where === 'body' ? 'request body' : where === 'query' ? 'query string' : where} is not valid: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`, errors);
}
