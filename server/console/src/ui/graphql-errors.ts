import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';

/** One problem the server reported, as the console shows it: its own words and its code. */
export interface ServerProblem {
  message: string;
  code: string | null;
  /** BAD_USER_INPUT names each bad field of the input (`fields[].path`, such as "endsAt"). */
  fields: { path: string; message: string }[];
  extensions: Record<string, unknown>;
}

/**
 * The server's problems in an Apollo error (GraphQL errors, or a refused HTTP request such as a
 * signed-out session), in the server's own words. A network failure becomes one problem saying so.
 */
export function serverProblems(error: unknown): ServerProblem[] {
  if (!error) return [];
  if (CombinedGraphQLErrors.is(error)) {
    return error.errors.map((entry) => {
      const extensions = (entry.extensions ?? {}) as Record<string, unknown>;
      const fields = Array.isArray(extensions.fields) ? (extensions.fields as ServerProblem['fields']) : [];
      return { message: entry.message, code: typeof extensions.code === 'string' ? extensions.code : null, fields, extensions };
    });
  }
  if (ServerError.is(error)) {
    try {
      const body = JSON.parse(error.bodyText) as { errors?: { message: string; extensions?: Record<string, unknown> }[] };
      if (body.errors?.length) {
        return body.errors.map((entry) => ({
          message: entry.message,
          code: typeof entry.extensions?.code === 'string' ? entry.extensions.code : null,
          fields: [],
          extensions: entry.extensions ?? {},
        }));
      }
    } catch {
      // Not JSON: fall through to the status line.
    }
    return [{ message: `The server answered ${error.statusCode}.`, code: null, fields: [], extensions: {} }];
  }
  const message = error instanceof Error ? error.message : String(error);
  return [{ message: `Tollgate could not be reached (${message}). Check your connection; nothing was changed.`, code: 'NETWORK', fields: [], extensions: {} }];
}

/**
 * Splits the server's problems between the form's fields and the form as a whole: a BAD_USER_INPUT
 * field goes to the field of that path; a code listed in `codeToField` goes to that field; the
 * rest belong to the form. So every error is shown next to what caused it.
 *
 * @example
 * const { byField, general } = problemsByField(error, { APPROVAL_REQUIRED: 'endsAt', UNKNOWN_FEATURE: 'feature' });
 */
export function problemsByField(
  error: unknown,
  codeToField: Record<string, string> = {},
): { byField: Record<string, string>; general: ServerProblem[] } {
  const byField: Record<string, string> = {};
  const general: ServerProblem[] = [];
  for (const problem of serverProblems(error)) {
    if (problem.fields.length) {
      for (const field of problem.fields) {
        const key = field.path.split('.').pop() || field.path;
        if (key) byField[key] = byField[key] ? `${byField[key]} ${field.message}` : field.message;
        else general.push({ ...problem, message: field.message, fields: [] });
      }
    } else if (problem.code && codeToField[problem.code]) {
      byField[codeToField[problem.code]] = problem.message;
    } else {
      general.push(problem);
    }
  }
  return { byField, general };
}
