import { GraphQLError } from 'graphql';
import type { z } from 'zod';

/** One field that failed validation, as a client can show it next to the field. */
export interface InvalidField {
  path: string;
  message: string;
}

/** The input failed validation; nothing was written. Lists every bad field at once. */
export function badUserInput(fields: InvalidField[]): GraphQLError {
  const summary = fields.map((field) => (field.path ? `${field.path}: ${field.message}` : field.message));
  return new GraphQLError(`Invalid input. ${summary.join('; ')}.`, {
    extensions: { code: 'BAD_USER_INPUT', fields },
  });
}

/**
 * Parses `input` with `schema` or throws BAD_USER_INPUT naming every bad field. Services call it
 * before they touch the database, so bad input never half-writes anything.
 */
export function validateInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw badUserInput(
    result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
  );
}
