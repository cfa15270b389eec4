import type { TollgateClient } from './tollgate-client.js';
import { TollgateUnavailableError } from './tollgate-errors.js';
import {
  expressGuard,
  fastifyGuard,
  fromRequest,
  refusalForError,
  refusedDecision,
  reportUnavailable,
  unauthenticated,
  unavailable,
  unavailableMessage,
  type ExpressGuard,
  type ExpressLikeRequest,
  type FastifyGuard,
  type FastifyLikeRequest,
  type FromRequest,
  type Refusal,
  type UnavailableLog,
  type UnavailablePolicy,
} from './route-guard.js';

/**
 * Options of {@link requireFeature} and {@link requireFeatureHook}.
 *
 * @example
 * const options: RequireFeatureOptions<express.Request> = { accountId: (req) => req.user?.accountId, amount: 1 };
 */
export interface RequireFeatureOptions<Request> {
  /** The account the request acts for, from the host's own session; undefined = not signed in (401). */
  accountId: FromRequest<Request, string | undefined>;
  /** Units the route needs (default: 1 for limits), or how to read them from the request. */
  amount?: FromRequest<Request, number | undefined>;
  /**
   * When Tollgate cannot be reached: `'deny'` (default, 503), `'allow'` (the route runs), or
   * `'stale'` (the last decision this process got for the same question; 503 without one).
   * See {@link UnavailablePolicy}.
   */
  onUnavailable?: UnavailablePolicy;
  /** Where the cause goes when Tollgate cannot be reached (default: Fastify's `request.log`, else `console.warn`); never to the user. */
  logUnavailable?: UnavailableLog;
}

/** Checks without counting: null lets the request through. */
async function decide<Request>(tollgate: TollgateClient, feature: string, options: RequireFeatureOptions<Request>, request: Request): Promise<Refusal | null> {
  const accountId = await fromRequest(options.accountId, request);
  if (!accountId) return unauthenticated();
  const amount = await fromRequest(options.amount, request);
  const policy = options.onUnavailable ?? 'deny';
  try {
    const decision = await tollgate.check(accountId, feature, { amount, allowStale: policy === 'stale' });
    if (decision.stale) {
      reportUnavailable(options.logUnavailable, request, { feature, accountId, answered: 'stale', message: unavailableMessage(feature, accountId, 'stale') });
    }
    return decision.allowed ? null : refusedDecision(decision, amount);
  } catch (error) {
    if (error instanceof TollgateUnavailableError) {
      const answered = policy === 'allow' ? 'allowed' : 'refused';
      reportUnavailable(options.logUnavailable, request, { feature, accountId, answered, message: unavailableMessage(feature, accountId, answered), error });
      return answered === 'allowed' ? null : unavailable(feature);
    }
    const refusal = refusalForError(error, { feature, accountId });
    if (refusal) return refusal;
    throw error;
  }
}

/**
 * Express-compatible middleware: lets the request through when the account may use `feature`,
 * else answers JSON: 403 `ENTITLEMENT_DENIED` or 429 `LIMIT_EXCEEDED` with the contract's fields,
 * 401 without an account, 403 `ACCOUNT_NOT_FOUND` for an account Tollgate does not know, 503
 * `TOLLGATE_UNAVAILABLE` when Tollgate is down (it fails closed unless `onUnavailable` says
 * `'allow'` or `'stale'`; the cause goes to the host's log, never to the user). It counts nothing; see
 * {@link consumeFeature} for routes that use up a limit. Without a type on the option functions
 * the request is an {@link ExpressLikeRequest}.
 *
 * @example
 * app.get('/export', requireFeature(tollgate, 'export_csv', { accountId: (req: Request) => req.user?.accountId }), exportCsv);
 */
export function requireFeature<Request = ExpressLikeRequest>(
  tollgate: TollgateClient,
  feature: string,
  options: RequireFeatureOptions<Request>,
): ExpressGuard<NoInfer<Request>> {
  return expressGuard((request: Request) => decide(tollgate, feature, options, request));
}

/**
 * A Fastify `preHandler` hook with the same rule and the same answers as {@link requireFeature}.
 * Without a type on the option functions the request is a {@link FastifyLikeRequest}.
 *
 * @example
 * fastify.get('/notes.csv', { preHandler: requireFeatureHook(tollgate, 'export_csv', { accountId: (request: FastifyRequest) => request.user?.accountId }) }, handler);
 */
export function requireFeatureHook<Request = FastifyLikeRequest>(
  tollgate: TollgateClient,
  feature: string,
  options: RequireFeatureOptions<Request>,
): FastifyGuard<NoInfer<Request>> {
  return fastifyGuard((request: Request) => decide(tollgate, feature, options, request));
}
