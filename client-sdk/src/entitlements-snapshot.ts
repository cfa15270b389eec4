import { Kind, print, visit, type ASTNode, type FieldNode } from 'graphql';
import { TollgateEntitlementsDocument } from './generated/graphql.js';
import type { Entitlement } from './tollgate-types.js';

/**
 * Every feature's decision for one account, fetched on the server and handed to
 * `<TollgateProvider initialEntitlements={…}>` so gates render in the first HTML. Plain JSON:
 * it crosses from a server component to a client component as a prop.
 */
export interface EntitlementsSnapshot {
  accountId: string;
  /** The answer of `entitlements(accountId)`, as the React hooks' shared query reads it. */
  entitlements: Entitlement[];
  /** ISO 8601: when Tollgate answered. */
  fetchedAt: string;
}

/** Options of {@link prefetchEntitlements}. */
export interface PrefetchEntitlementsOptions {
  /** Tollgate's GraphQL endpoint as your server reaches it (absolute: `http://tollgate:4000/graphql`). */
  url: string;
  accountId: string;
  /** A client token for the account, or a server key (this runs on your server, never in a browser). */
  token: string;
  /** Another fetch (a framework's, with its caching options); default the global one. */
  fetch?: typeof fetch;
}

/**
 * Tollgate did not answer with the decisions: unreachable, or it refused (see `code`).
 *
 * @example
 * const snapshot = await prefetchEntitlements(options).catch((error) => {
 *   if (error instanceof EntitlementsPrefetchError) console.warn(`Rendering without Tollgate's decisions: ${error.message}`);
 *   return undefined;
 * });
 */
export class EntitlementsPrefetchError extends Error {
  /** Tollgate's `extensions.code` (UNAUTHENTICATED, FORBIDDEN, ACCOUNT_NOT_FOUND...); undefined when it did not answer. */
  readonly code: string | undefined;

  constructor(message: string, code: string | undefined, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EntitlementsPrefetchError';
    this.code = code;
  }
}

/**
 * Fetches every decision for an account on the server (a Next.js server component, a loader),
 * in one request, for `<TollgateProvider initialEntitlements>`. The browser then renders the
 * gates from it without asking Tollgate before hydration. Throws EntitlementsPrefetchError
 * when Tollgate is unreachable or refuses; catch it to render without a snapshot (the hooks
 * then ask from the browser).
 *
 * @example
 * const snapshot = await prefetchEntitlements({ url: process.env.TOLLGATE_URL!, accountId, token: process.env.TOLLGATE_SERVER_KEY! });
 * return <TollgateProvider accountId={accountId} url="/graphql" token={getClientToken} initialEntitlements={snapshot}>{children}</TollgateProvider>;
 */
export async function prefetchEntitlements(options: PrefetchEntitlementsOptions): Promise<EntitlementsSnapshot> {
  const send = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await send(options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json;q=0.9',
        authorization: `Bearer ${options.token}`,
      },
      body: JSON.stringify({ operationName: 'TollgateEntitlements', query: ENTITLEMENTS_QUERY, variables: { accountId: options.accountId } }),
    });
  } catch (cause) {
    throw new EntitlementsPrefetchError(
      `Tollgate could not be reached at ${options.url} (${(cause as Error).message}). Check that it is running and that the url is right.`,
      undefined,
      { cause },
    );
  }
  let body: { data?: { entitlements?: Entitlement[] } | null; errors?: { message: string; extensions?: { code?: unknown } }[] };
  try {
    body = (await response.json()) as typeof body;
  } catch (cause) {
    throw new EntitlementsPrefetchError(`${options.url} answered HTTP ${response.status} without a GraphQL body: is it Tollgate's /graphql?`, undefined, { cause });
  }
  const first = body.errors?.[0];
  if (first || !body.data?.entitlements) {
    const code = typeof first?.extensions?.code === 'string' ? first.extensions.code : undefined;
    throw new EntitlementsPrefetchError(first?.message ?? `Tollgate answered HTTP ${response.status} without entitlements.`, code);
  }
  return { accountId: options.accountId, entitlements: body.data.entitlements, fetchedAt: new Date().toISOString() };
}

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

/**
 * The React hooks' shared query with `__typename` on every object, as Apollo Client's cache
 * writes and reads it, so the snapshot goes into the cache without missing fields.
 */
const ENTITLEMENTS_QUERY = print(
  visit(TollgateEntitlementsDocument, {
    SelectionSet(node, _key, parent) {
      const owner = parent as ASTNode | undefined;
      if (owner && 'kind' in owner && owner.kind === Kind.OPERATION_DEFINITION) return undefined;
      if (node.selections.some((selection) => selection.kind === Kind.FIELD && selection.name.value === '__typename')) return undefined;
      return { ...node, selections: [...node.selections, TYPENAME] };
    },
  }),
);
