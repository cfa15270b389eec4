/**
 * Tollgate could not be reached or did not answer in time. Metering fails closed on it: a
 * consume that cannot be confirmed is never treated as allowed.
 */
export class TollgateUnavailableError extends Error {
  readonly code = 'TOLLGATE_UNAVAILABLE';

  constructor(message: string, options?: { cause?: unknown }) {
    super(`${message} Check that Tollgate is running and reachable at the configured url.`, options);
    this.name = 'TollgateUnavailableError';
  }
}

/** Tollgate answered with GraphQL errors (bad input, unknown feature or account, a refused key). */
export class TollgateRequestError extends Error {
  readonly code: string;
  readonly errors: { message: string; extensions?: Record<string, unknown> }[];

  constructor(errors: { message: string; extensions?: Record<string, unknown> }[]) {
    super(errors.map((error) => error.message).join('; '));
    this.name = 'TollgateRequestError';
    this.errors = errors;
    this.code = String(errors[0]?.extensions?.code ?? 'UNKNOWN');
  }
}
