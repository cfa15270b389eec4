import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ExecutionResult } from 'graphql';
import type { TransportServices } from './transport-context.js';
import type { KnownQueries } from './known-queries.js';
import type { CompiledQueryCache } from './query-caches.js';

/**
 * The entitlement read path without Apollo Server's per-request pipeline, for what that pipeline
 * has already accepted: a POST whose exact query text Apollo parsed and validated (graphql-armor
 * included) and whose operation, a query, was compiled. Profiling showed the pipeline (hashing
 * the text, looking up the document, negotiating, building the gateway's request context,
 * plugin hooks) costing as much as answering the question; a known query skips it and is run by
 * its compiled function with the same context Apollo would build, and answered with the bytes
 * and headers Apollo would answer.
 *
 * Everything else goes to Apollo as before: mutations, subscriptions, GET, batches, persisted
 * queries (`extensions`), texts not seen yet, an Accept header Apollo would answer otherwise, a
 * credential that is not usable (Apollo refuses it), and any result with an error (Apollo runs
 * the query again and formats the error; a query changes nothing, so running it twice is safe).
 * Apollo plugins with per-request hooks would not see these requests: Tollgate has none.
 */
export function knownQueryFastPath(services: TransportServices, known: KnownQueries, compiled: CompiledQueryCache) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (request.method !== 'POST') return undefined;
    const body = request.body as { query?: unknown; operationName?: unknown; variables?: unknown; extensions?: unknown } | null;
    if (!body || typeof body !== 'object' || Array.isArray(body) || typeof body.query !== 'string' || body.extensions != null) return undefined;
    const operationName = body.operationName ?? null;
    if (operationName !== null && typeof operationName !== 'string') return undefined;
    const variables = body.variables ?? {};
    if (typeof variables !== 'object' || Array.isArray(variables) || variables === null) return undefined;
    const contentType = known.contentTypeFor(request.headers.accept);
    if (!contentType) return undefined;
    const key = known.keyOf(body.query, operationName);
    if (!key) return undefined;
    const query = await compiled.get(key);
    if (!query) return undefined;
    const principal = await services.auth.authenticate(request.headers.authorization);
    if (principal.kind === 'anonymous') return undefined;
    const result = (await query.query(undefined, { principal, services }, variables as Record<string, unknown>)) as ExecutionResult;
    if (result.errors?.length) return undefined;
    // Apollo's own serialisation of a single result without errors: `{"data":…}` and a newline.
    return reply.code(200).header('content-type', contentType).send(`${JSON.stringify({ data: result.data })}\n`);
  };
}
