import type { RequireFeatureOptions } from './require-feature.js';
import type { TollgateClient } from './tollgate-client.js';
import { TollgateUnavailableError } from './tollgate-errors.js';
import {
  expressGuard,
  fastifyGuard,
  fromRequest,
  refusalForError,
  LastDecisions,
  refusedDecision,
  reportUnavailable,
  unauthenticated,
  unavailable,
  unavailableMessage,
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

/** Counts before the route runs: null lets the request through. `last` holds this guard's last decisions, for `'stale'`. */
async function decide<Request>(
  tollgate: TollgateClient,
  feature: string,
  options: ConsumeFeatureOptions<Request>,
  request: Request,
  last: LastDecisions,
): Promise<Refusal | null> {
  const accountId = await fromRequest(options.accountId, request);
  if (!accountId) return unauthenticated();
  const amount = await fromRequest(options.amount, request);
  const idempotencyKey = (await options.idempotencyKey?.(request)) || undefined;
  try {
    const result = await tollgate.consume(accountId, feature, { amount, idempotencyKey });
    last.remember(accountId, feature, result.entitlement);
    return result.ok ? null : refusedDecision(result.entitlement, amount ?? 1, result.offers);
  } catch (error) {
    if (error instanceof TollgateUnavailableError) return whenUnavailable(feature, accountId, amount ?? 1, options, request, last, error);
    const refusal = refusalForError(error, { feature, accountId, idempotencyKey });
    if (refusal) return refusal;
    throw error;
  }
}

/**
 * A consume Tollgate did not confirm: never counted, so it fails closed unless the host asked
 * otherwise. `'stale'` lets it through only when the last decision this guard got for the
 * account and feature allowed and left room for `amount`, and takes it off that room (it refuses
 * as that decision would when there is none left).
 */
function whenUnavailable<Request>(
  feature: string,
  accountId: string,
  amount: number,
  options: ConsumeFeatureOptions<Request>,
  request: Request,
  last: LastDecisions,
  error: TollgateUnavailableError,
): Refusal | null {
  const policy = options.onUnavailable ?? 'deny';
  const decision = policy === 'stale' ? last.get(accountId, feature) : undefined;
  const answered = policy === 'allow' ? 'allowed' : decision ? 'stale' : 'refused';
  reportUnavailable(options.logUnavailable, request, { feature, accountId, answered, message: unavailableMessage(feature, accountId, answered), error });
  if (answered === 'allowed') return null;
  if (!decision) return unavailable(feature);
  const unlimited = decision.remaining === null || decision.remaining === undefined;
  if (decision.allowed && (unlimited || decision.remaining! >= amount)) {
    // What it lets through uncounted comes off the remembered room: an outage never lets more
    // through than the last decision left.
    if (!unlimited) last.remember(accountId, feature, { ...decision, used: decision.used + amount, remaining: decision.remaining! - amount });
    return null;
  }
  return refusedDecision({ ...decision, allowed: false, reason: decision.allowed ? 'LIMIT_REACHED' : decision.reason }, amount);
}

/**
 * Express-compatible middleware for a route that uses up a limit: it consumes `amount` (default 1)
 * of `feature` before the route runs, and answers instead of the route when refused: 429
 * `LIMIT_EXCEEDED` or 403 `ENTITLEMENT_DENIED` with the contract's fields and the `offers` that
 * would unlock it, 401 without an account, 403 `ACCOUNT_NOT_FOUND`, 422 `IDEMPOTENCY_CONFLICT`,
 * 400 `BAD_USER_INPUT`, 503 `TOLLGATE_UNAVAILABLE` (it fails closed: nothing is let through
 * uncounted unless `onUnavailable` says `'allow'`, or `'stale'` with room left). A retried request with the
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
  const last = new LastDecisions();
  return expressGuard((request: Request) => decide(tollgate, feature, options, request, last));
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
  const last = new LastDecisions();
  return fastifyGuard((request: Request) => decide(tollgate, feature, options, request, last));
}
