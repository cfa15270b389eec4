import type { RequireFeatureOptions } from './require-feature.js';
import type { TollgateClient } from './tollgate-client.js';
import {
  expressGuard,
  fastifyGuard,
  fromRequest,
  refusalForError,
  refusedDecision,
  unauthenticated,
  type ExpressGuard,
  type ExpressLikeRequest,
  type FastifyGuard,
  type FastifyLikeRequest,
  type Refusal,
} from './route-guard.js';

/**
 * Options of {@link consumeFeature} and {@link consumeFeatureHook}.
 *
 * @example
 * const options: ConsumeFeatureOptions<express.Request> = {
 *   accountId: (req) => req.user?.accountId,
 *   amount: (req) => Number(req.query.pages ?? 1),
 *   idempotencyKey: (req) => req.header('idempotency-key'),
 * };
 */
export interface ConsumeFeatureOptions<Request> extends RequireFeatureOptions<Request> {
  /**
   * The key that makes a retried request count once, read from the request (such as its
   * `Idempotency-Key` header). A function only: one fixed key would make every request after the
   * first a replay. Undefined (or no option): a new random key, so every request counts.
   */
  idempotencyKey?: (request: Request) => string | undefined | Promise<string | undefined>;
}

/** Counts before the route runs: null lets the request through. */
async function decide<Request>(tollgate: TollgateClient, feature: string, options: ConsumeFeatureOptions<Request>, request: Request): Promise<Refusal | null> {
  const accountId = await fromRequest(options.accountId, request);
  if (!accountId) return unauthenticated();
  const amount = await fromRequest(options.amount, request);
  const idempotencyKey = (await options.idempotencyKey?.(request)) || undefined;
  try {
    const result = await tollgate.consume(accountId, feature, { amount, idempotencyKey });
    return result.ok ? null : refusedDecision(result.entitlement, amount ?? 1, result.offers);
  } catch (error) {
    const refusal = refusalForError(error, { feature, accountId, idempotencyKey });
    if (refusal) return refusal;
    throw error;
  }
}

/**
 * Express-compatible middleware for a route that uses up a limit: it consumes `amount` (default 1)
 * of `feature` before the route runs, and answers instead of the route when refused: 429
 * `LIMIT_EXCEEDED` or 403 `ENTITLEMENT_DENIED` with the contract's fields and the `offers` that
 * would unlock it, 401 without an account, 403 `ACCOUNT_NOT_FOUND`, 422 `IDEMPOTENCY_CONFLICT`,
 * 400 `BAD_USER_INPUT`, 503 `TOLLGATE_UNAVAILABLE` (it fails closed). A retried request with the
 * same idempotency key counts once. The units stay counted if the route then fails; give them
 * back with `tollgate.release` where that matters. Without a type on the option functions the
 * request is an {@link ExpressLikeRequest}.
 *
 * @example
 * app.post('/reports', consumeFeature(tollgate, 'reports', {
 *   accountId: (req) => req.header('x-account-id'),
 *   idempotencyKey: (req) => req.header('idempotency-key'),
 * }), createReport);
 */
export function consumeFeature<Request = ExpressLikeRequest>(
  tollgate: TollgateClient,
  feature: string,
  options: ConsumeFeatureOptions<Request>,
): ExpressGuard<NoInfer<Request>> {
  return expressGuard((request: Request) => decide(tollgate, feature, options, request));
}

/**
 * A Fastify `preHandler` hook that consumes like {@link consumeFeature}, with the same answers.
 * Without a type on the option functions the request is a {@link FastifyLikeRequest}.
 *
 * @example
 * fastify.post('/reports', {
 *   preHandler: consumeFeatureHook(tollgate, 'reports', {
 *     accountId: (request: FastifyRequest) => request.user?.accountId,
 *     idempotencyKey: (request) => request.headers['idempotency-key']?.toString(),
 *   }),
 * }, createReport);
 */
export function consumeFeatureHook<Request = FastifyLikeRequest>(
  tollgate: TollgateClient,
  feature: string,
  options: ConsumeFeatureOptions<Request>,
): FastifyGuard<NoInfer<Request>> {
  return fastifyGuard((request: Request) => decide(tollgate, feature, options, request));
}
