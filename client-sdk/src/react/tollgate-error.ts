import type { ErrorLike } from '@apollo/client';
import { CombinedGraphQLErrors, ServerError, ServerParseError } from '@apollo/client/errors';

interface GraphQLErrorShape {
  message: string;
  extensions?: Record<string, unknown> | null;
}

/**
 * The first GraphQL error inside whatever Apollo Client surfaced: the errors of a GraphQL
 * answer, or the body of an HTTP error answer that a link read as plain JSON.
 */
function graphQLErrorOf(error: unknown): GraphQLErrorShape | undefined {
  if (CombinedGraphQLErrors.is(error)) return error.errors[0];
  if (ServerError.is(error)) {
    try {
      return (JSON.parse(error.bodyText) as { errors?: GraphQLErrorShape[] }).errors?.[0];
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * The code Tollgate gave an error (`extensions.code`: UNAUTHENTICATED, FORBIDDEN,
 * UNKNOWN_FEATURE, ACCOUNT_NOT_FOUND...), or undefined when no answer came (Tollgate is down or
 * unreachable) or it carried no code.
 *
 * @example
 * const { status, error } = useEntitlement('export_csv');
 * if (status === 'error' && tollgateErrorCode(error) === 'UNAUTHENTICATED') signIn();
 */
export function tollgateErrorCode(error: unknown): string | undefined {
  const code = graphQLErrorOf(error)?.extensions?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Why a Tollgate request failed and what fixes it, for one console warning. */
export interface ErrorCause {
  /** The same for every error with the same cause: one warning per cause. */
  key: string;
  cause: string;
  fix: string;
}

/** Names the cause of a failed Tollgate request and its fix, for developers. */
export function errorCause(error: ErrorLike, feature: string, accountId: string): ErrorCause {
  const graphQLError = graphQLErrorOf(error);
  const code = tollgateErrorCode(error);
  const problem = graphQLError?.extensions?.problem;
  switch (code) {
    case 'UNAUTHENTICATED':
      return problem === 'expired'
        ? {
            key: 'UNAUTHENTICATED:expired',
            cause: 'the client token has expired.',
            fix: 'Give TollgateProvider a token function (token={() => …}) that asks your backend for a fresh token; it is called again before each token expires.',
          }
        : {
            key: `UNAUTHENTICATED:${String(problem)}`,
            cause: `Tollgate refused the credential: ${graphQLError!.message}`,
            fix: `Give TollgateProvider a client token your backend minted with createClientToken for account "${accountId}".`,
          };
    case 'FORBIDDEN':
      return {
        key: 'FORBIDDEN',
        cause: `the client token may not read account "${accountId}" (it was minted for another account).`,
        fix: "Mint the token for the account TollgateProvider's accountId names.",
      };
    case 'UNKNOWN_FEATURE':
      return {
        key: `UNKNOWN_FEATURE:${feature}`,
        cause: `Tollgate's catalog has no feature "${feature}".`,
        fix: "Check the key's spelling, or create the feature with createFeature.",
      };
    case 'ACCOUNT_NOT_FOUND':
      return {
        key: 'ACCOUNT_NOT_FOUND',
        cause: `Tollgate has no account "${accountId}".`,
        fix: "Create it from your backend with upsertAccount, or check TollgateProvider's accountId.",
      };
    case undefined:
      if (ServerError.is(error) || ServerParseError.is(error)) {
        return {
          key: 'HTTP',
          cause: `the answer was not Tollgate's (${error.message}).`,
          fix: "Check that TollgateProvider's url points at Tollgate's /graphql endpoint (or at a proxy to it).",
        };
      }
      if (!graphQLError) {
        return {
          key: 'UNREACHABLE',
          cause: `Tollgate could not be reached (${error.message}).`,
          fix: "Check that Tollgate is running and that TollgateProvider's url (or your proxy) points at it.",
        };
      }
  }
  return { key: `${code}:${graphQLError?.message ?? error.message}`, cause: graphQLError?.message ?? error.message, fix: '' };
}

const warned = new WeakMap<object, Set<string>>();

/**
 * Logs `message` once per `scope` (a provider's Apollo Client) and `key`: a page of gates that
 * all fail for the same reason says so once.
 */
export function warnOnce(scope: object, key: string, message: string): void {
  let keys = warned.get(scope);
  if (!keys) warned.set(scope, (keys = new Set()));
  if (keys.has(key)) return;
  keys.add(key);
  console.warn(message);
}

/**
 * The one warning for a decision that failed for `cause`. An unknown key reads the same from
 * the hook and from a gate, so a page logs it once whichever reports first.
 */
export function warningText(feature: string, cause: ErrorCause): string {
  const text = cause.key.startsWith('UNKNOWN_FEATURE:')
    ? `Tollgate: no decision for "${feature}" because ${cause.cause} ${cause.fix}`
    : `Tollgate: the gate for "${feature}" shows nothing because ${cause.cause} ${cause.fix} Pass errorFallback to <Feature> or <Paywall> to show something instead.`;
  return text.replace(/\s+/g, ' ').trim();
}

/** Whether this is a production build (bundlers replace `process.env.NODE_ENV`). */
export function isProduction(): boolean {
  try {
    return process.env.NODE_ENV === 'production';
  } catch {
    return false;
  }
}
