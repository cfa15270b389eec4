import { GraphQLError } from 'graphql';
import type { z } from 'zod';
import { unstorableText } from './storable-text.js';

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
 * before they touch the database, so bad input never half-writes anything. Every string in the
 * input, however deep, must also be text PostgreSQL can store (no NUL, no lone surrogate).
 */
export function validateInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const { problems: textProblems, tooDeep } = unstorableText(input);
  // Too deep to look into further: schema checks such as a size limit would recurse through it.
  if (tooDeep) throw badUserInput(textProblems);
  const result = schema.safeParse(input);
  if (result.success && !textProblems.length) return result.data;
  const schemaProblems = result.success
    ? []
    : result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
  const reported = new Set(textProblems.map((problem) => problem.path));
  throw badUserInput([...textProblems, ...schemaProblems.filter((problem) => !reported.has(problem.path))]);
}
