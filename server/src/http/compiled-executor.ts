import { setFlagsFromString } from 'node:v8';
import type { GatewayGraphQLRequestContext, GatewayInterface } from '@apollo/server-gateway-interface';
import { GraphQLError, Kind, printSchema, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import type { KnownQueries } from './known-queries.js';
import { CompiledQueryCache } from './query-caches.js';

/**
 * Runs operations through graphql-jit: each operation (Apollo caches its document parsed and
 * validated) is compiled once into a function that resolves and serialises its fields without
 * the generic executor's per-field interpretation. Compiled queries are big (tens of KiB to MiB
 * of generated code), so they live in a {@link CompiledQueryCache} bounded by their estimated
 * size. Plugged into Apollo Server through its gateway interface, the documented way to bring
 * an executor of one's own.
 *
 * It also turns off V8's compilation cache for the process. graphql-jit builds each query with
 * `new Function`, and V8 keeps every such source with its bytecode in that cache, aged out only
 * by several unforced full GCs (rare while the heap grows) or a last-resort one: 16,000 distinct
 * operations left 450 MiB in it after forced GCs and 660 MiB of heap without them, against
 * 117 MiB with the cache off. The cache only saves compiling the same source twice, which our own
 * cache already avoids.
 */
export function compiledExecutor(schema: GraphQLSchema, compiled = new CompiledQueryCache(), known?: KnownQueries): GatewayInterface {
  setFlagsFromString('--no-compilation-cache');
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => {};
    },
    async load() {
      return {
        executor: async (requestContext) => {
          // Apollo resolves the operation before it calls an executor; when it found none, it
          // answers our error as OPERATION_RESOLUTION_FAILURE with HTTP 400.
          const { document, operation, queryHash } = requestContext;
          const operationName = requestContext.request.operationName ?? undefined;
          if (!operation) return { errors: [operationNotFound(requestContext, operationName)] };
          if (operation.operation === 'subscription') return { errors: [subscriptionOverHttp()] };
          const key = queryHash ? `${queryHash}:${operationName ?? ''}` : null;
          let query = key ? await compiled.get(key) : undefined;
          if (!query) {
            const result = compileQuery(schema, document, operationName);
            if (!isCompiledQuery(result)) return result;
            query = result;
            if (key) await compiled.set(key, query, document, operation);
          }
          // Parsed, validated and compiled: the same text may skip Apollo's pipeline next time (queries only).
          if (key && known && operation.operation === 'query' && typeof requestContext.request.query === 'string') {
            known.remember(requestContext.request.query, requestContext.request.operationName ?? null, key);
          }
          return asApolloResult(await query.query(undefined, requestContext.context, requestContext.request.variables ?? {}));
        },
      };
    },
    async stop() {},
  };
}

/** A subscription sent over HTTP: it has a transport of its own. HTTP 400, so it is plainly the caller's to fix. */
function subscriptionOverHttp(): GraphQLError {
  return new GraphQLError(
    'Subscriptions are served over WebSocket (the graphql-ws protocol) on /graphql; send queries and mutations over HTTP.',
    { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
  );
}

/** graphql-js's own words for a request whose operation cannot be chosen, as its execute says them. */
function operationNotFound(requestContext: GatewayGraphQLRequestContext, operationName: string | undefined): GraphQLError {
  if (operationName !== undefined) return new GraphQLError(`Unknown operation named "${operationName}".`);
  const operations = requestContext.document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  return new GraphQLError(
    operations.length > 1 ? 'Must provide operation name if query contains multiple operations.' : 'Must provide an operation.',
  );
}

/**
 * Gives every error a fresh, writable GraphQLError (plugins such as graphql-armor rewrite
 * messages), and marks variable errors, which stop an operation before any field runs and so
 * come back without data, BAD_USER_INPUT as Apollo's own executor does.
 */
function asApolloResult(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  const beforeExecution = result.data === undefined;
  return {
    ...result,
    errors: result.errors.map((error) => {
      // A scalar's own coded refusal (QUANTITY_OUT_OF_RANGE) arrives wrapped in a variable error:
      // keep its code and say its reason.
      const cause = error.originalError instanceof GraphQLError ? error.originalError : null;
      const causeCode = beforeExecution ? cause?.extensions?.code : undefined;
      const code = causeCode ?? error.extensions?.code ?? (beforeExecution ? 'BAD_USER_INPUT' : undefined);
      const message = causeCode && cause ? `${error.message} ${cause.message}` : error.message;
      return new GraphQLError(message, {
        nodes: error.nodes,
        source: error.source,
        positions: error.positions,
        path: error.path,
        originalError: error.originalError,
        extensions: code ? { ...error.extensions, ...(causeCode ? cause?.extensions : {}), code } : error.extensions,
      });
    }),
  };
}
