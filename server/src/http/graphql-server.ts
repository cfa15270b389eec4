import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema, type ValidationRule } from 'graphql';
import type { TollgateConfig } from '../config/index.js';
import { databaseUnavailable, isConnectionFault } from '../db/index.js';
import { compiledExecutor } from './compiled-executor.js';
import { graphqlIdeLandingPage } from './graphiql-plugin.js';
import type { TransportContext } from './transport-context.js';
import type { KnownQueries } from './known-queries.js';
import { boundedDocumentStore, type CompiledQueryCache } from './query-caches.js';

/** Error codes of the public contract: passed through as they are, in every environment. */
const INTERNAL = 'INTERNAL_SERVER_ERROR';

/** The most tokens a document may have in production (enforced by the parser). */
export const MAX_DOCUMENT_TOKENS = 2000;

/**
 * graphql-armor's limits on depth, aliases, cost and directives, as production applies them to
 * every document, whichever transport brings it.
 */
export function productionArmor(): ReturnType<ApolloArmor['protect']> {
  return new ApolloArmor({
    maxDepth: { n: 10 },
    maxAliases: { n: 20 },
    costLimit: { maxCost: 5000 },
    maxDirectives: { n: 20 },
    // Enforced by the parser itself (parseOptions), once per distinct document, instead of
    // armor re-parsing every request.
    maxTokens: { enabled: false },
    // Covers only field suggestions, and leaves "[Suggestion hidden]?" behind: formatError
    // removes every suggestion instead.
    blockFieldSuggestion: { enabled: false },
  }).protect();
}

/**
 * Apollo Server as Tollgate runs it. Browsers get GraphiQL at GET /graphql where the IDE is on
 * (development, or TOLLGATE_GRAPHQL_IDE). In production internal errors are masked (no stack, no
 * SQL), introspection is off unless enabled, "Did you mean …" suggestions are cut from every
 * message (they name fields, arguments, types and enum values of a schema one cannot
 * introspect), and graphql-armor limits depth, aliases and cost.
 */
export function createGraphQLServer(
  schema: GraphQLSchema,
  app: FastifyInstance,
  config: TollgateConfig,
  caches: { compiled?: CompiledQueryCache; known?: KnownQueries } = {},
): ApolloServer<TransportContext> {
  const plugins: ApolloServerPlugin<TransportContext>[] = [
    fastifyApolloDrainPlugin(app),
    // Both wrap every field resolver. Decisions are per account and never HTTP-cached, and
    // there is no Apollo graph to trace to: the hot read path should not pay for either.
    ApolloServerPluginCacheControlDisabled(),
    ApolloServerPluginInlineTraceDisabled(),
  ];
  let validationRules: ValidationRule[] = [];
  if (config.production) {
    const armor = productionArmor();
    plugins.push(...(armor.plugins as ApolloServerPlugin<TransportContext>[]));
    validationRules = armor.validationRules;
  }
  // GraphiQL, built with the project, instead of Apollo's sandbox from its CDN (graphiql-plugin.ts).
  // In production without TOLLGATE_GRAPHQL_IDE it is served to signed-in operators only: graphql-plugin.ts guards it.
  plugins.push(graphqlIdeLandingPage());

  return new ApolloServer<TransportContext>({
    gateway: compiledExecutor(schema, caches.compiled, caches.known),
    // Parsed, validated documents by query hash, bounded by their estimated heap.
    documentStore: boundedDocumentStore(),
    plugins,
    validationRules,
    parseOptions: config.production ? { maxTokens: MAX_DOCUMENT_TOKENS } : undefined,
    introspection: config.introspection,
    // Refusals and bad input are answers, not crashes: no stack on them. Internal errors are
    // logged with theirs (formatError) and, in production, masked.
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => formatGraphQLError(formatted, error, config, app.log),
  });
}

/**
 * One error as a client sees it, over HTTP and WebSocket alike: public codes pass as they are;
 * a lost database is DATABASE_UNAVAILABLE; anything else is logged with its stack and, in
 * production, masked. In production no message suggests a name ("Did you mean …").
 */
export function formatGraphQLError(
  formatted: GraphQLFormattedError,
  error: unknown,
  config: TollgateConfig,
  log: FastifyBaseLogger,
): GraphQLFormattedError {
  if (config.production) formatted = withoutSuggestion(formatted);
  const code = formatted.extensions?.code;
  const cause = error instanceof GraphQLError ? error.originalError : null;
  if (code === 'GRAPHQL_VALIDATION_FAILED' && cause instanceof GraphQLError && typeof cause.extensions.code === 'string') {
    // A scalar's coded refusal of an inline value (QUANTITY_OUT_OF_RANGE) is the same answer as
    // for the value sent in a variable: keep its code.
    return { ...formatted, extensions: { ...formatted.extensions, ...cause.extensions } };
  }
  if (code !== INTERNAL && code !== undefined) return formatted;
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  if (isConnectionFault(original)) {
    // Not a bug: the database went away under a request that was not safe to retry by itself.
    log.warn({ err: original }, 'database connection lost during a GraphQL operation');
    const unavailable = databaseUnavailable();
    return { message: unavailable.message, locations: formatted.locations, path: formatted.path, extensions: { code: unavailable.extensions.code } };
  }
  log.error({ err: original }, 'internal error while executing a GraphQL operation');
  if (!config.production) return formatted;
  return {
    message: 'Internal server error. It has been logged; retry, and report it if it persists.',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: INTERNAL },
  };
}

/**
 * The error without graphql-js's trailing suggestion, which validation (unknown field, argument,
 * type, enum value, input field) and variable coercion append as ` Did you mean …?`.
 */
function withoutSuggestion(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const at = formatted.message.lastIndexOf(' Did you mean ');
  if (at < 0 || !formatted.message.endsWith('?')) return formatted;
  return { ...formatted, message: formatted.message.slice(0, at) };
}
