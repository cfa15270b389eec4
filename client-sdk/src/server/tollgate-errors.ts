import { GraphQLError } from 'graphql';

/**
 * Tollgate could not be reached or did not answer within the client's deadline. Metering fails
 * closed on it: a consume that cannot be confirmed is never treated as allowed.
 *
 * It is a `GraphQLError` with `extensions.code: 'TOLLGATE_UNAVAILABLE'`, so when it escapes a
 * host's resolver (from `consumeOrThrow`, `requireEntitlement`...) the host's clients see that code
 * instead of INTERNAL_SERVER_ERROR.
 *
 * @example
 * try {
 *   await tollgate.consume(accountId, 'api_calls');
 * } catch (error) {
 *   if (error instanceof TollgateUnavailableError) return reply.code(503).send({ error: { code: error.code, message: error.message } });
 *   throw error;
 * }
 */
export class TollgateUnavailableError extends GraphQLError {
  readonly code = 'TOLLGATE_UNAVAILABLE';

  constructor(message: string, options?: { cause?: unknown }) {
    const cause = options?.cause;
    super(`${message} Check that Tollgate is running and reachable at the configured url.`, {
      extensions: { code: 'TOLLGATE_UNAVAILABLE' },
      originalError: cause instanceof Error ? cause : undefined,
    });
    this.name = 'TollgateUnavailableError';
    if (cause !== undefined) this.cause = cause;
  }
}

/**
 * One GraphQL error as Tollgate sends it, kept whole in {@link TollgateRequestError.errors}.
 *
 * @example
 * const fields = (error.errors[0] satisfies TollgateErrorPayload | undefined)?.extensions?.fields;
 */
export interface TollgateErrorPayload {
  message: string;
  extensions?: Record<string, unknown>;
}

/**
 * Tollgate answered with GraphQL errors: bad input, an unknown feature or account, a reused
 * idempotency key, or a server key it refuses (`code: 'UNAUTHENTICATED'`, HTTP 401 or 400).
 * `code` is the first error's `extensions.code`. It is a plain `Error`, not a `GraphQLError`, on
 * purpose: Tollgate's codes describe the backend's call to Tollgate, not the host's own client,
 * so they must not travel to that client as if they were its own.
 *
 * @example
 * try {
 *   await tollgate.upsertAccount('acme', 'Acme');
 * } catch (error) {
 *   if (error instanceof TollgateRequestError && error.code === 'UNAUTHENTICATED') console.error('Fix TOLLGATE_SERVER_KEY:', error.message);
 *   throw error;
 * }
 */
export class TollgateRequestError extends Error {
  readonly code: string;
  readonly errors: TollgateErrorPayload[];
  /** The HTTP status of Tollgate's answer. */
  readonly status: number;

  constructor(errors: TollgateErrorPayload[], status = 200) {
    super(describe(errors, status));
    this.name = 'TollgateRequestError';
    this.errors = errors;
    this.status = status;
    this.code = String(errors[0]?.extensions?.code ?? 'UNKNOWN');
  }
}

function describe(errors: TollgateErrorPayload[], status: number): string {
  const text = errors.map((error) => error.message).join('; ');
  if (errors[0]?.extensions?.code !== 'UNAUTHENTICATED') return text;
  return (
    `Tollgate refused this backend's credential (HTTP ${status} UNAUTHENTICATED): ${text} ` +
    'Give createTollgate a server API key (tg_server_…) that Tollgate knows and has not revoked.'
  );
}
