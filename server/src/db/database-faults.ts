import { GraphQLError } from 'graphql';

/** SQLSTATE classes and codes that mean the connection, not the statement, failed. */
const CONNECTION_SQLSTATES = /^(08|57P0[1-3]|53300)/;
/** Socket-level failures node-postgres passes through. */
const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTCONN', 'EHOSTUNREACH']);
/** node-postgres and pool messages for a connection that died or never came. */
const CONNECTION_MESSAGES = /Connection terminated|not queryable|timeout exceeded when trying to connect|Client was closed|connection (is )?closed/i;

/**
 * Whether `error` says the database connection was lost (PostgreSQL terminated it, restarted,
 * or could not be reached), as opposed to the statement itself being wrong. Such a statement
 * may or may not have run: only a request that is safe to run twice may be retried.
 */
export function isConnectionFault(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const candidate = current as { code?: unknown; sqlState?: unknown; message?: unknown; cause?: unknown };
    const code = typeof candidate.code === 'string' ? candidate.code : typeof candidate.sqlState === 'string' ? candidate.sqlState : '';
    if (CONNECTION_SQLSTATES.test(code) || CONNECTION_ERRNOS.has(code)) return true;
    if (typeof candidate.message === 'string' && CONNECTION_MESSAGES.test(candidate.message)) return true;
    current = candidate.cause;
  }
  return false;
}

/** The database could not be reached, even after a retry where one was safe. Nothing is known to be written. */
export function databaseUnavailable(): GraphQLError {
  return new GraphQLError(
    'The database is unavailable. Retry the request (with the same idempotency key, if it had one); it counts at most once.',
    { extensions: { code: 'DATABASE_UNAVAILABLE', http: { status: 503 } } },
  );
}

/**
 * Runs `work`, and once more if the database connection failed under it; a second connection
 * fault becomes DATABASE_UNAVAILABLE. Only for work that is safe to run twice: a read, or a
 * write guarded by an idempotency key, whose second run replays the first if it had counted.
 */
export async function retryOnConnectionFault<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isConnectionFault(error)) throw error;
  }
  try {
    return await work();
  } catch (error) {
    if (isConnectionFault(error)) throw databaseUnavailable();
    throw error;
  }
}
