import { entitlementErrorExtensions, entitlementErrorMessage, type EntitlementErrorExtensions } from '../entitlement-error.js';
import type { TollgateClient } from './tollgate-client.js';
import { TollgateUnavailableError } from './tollgate-errors.js';

/** Options of {@link requireFeature} and {@link requireFeatureHook}. */
export interface RequireFeatureOptions<Request> {
  /** The account the request acts for, from the host's own session; undefined = not signed in. */
  accountId: (request: Request) => string | undefined | Promise<string | undefined>;
  /** Units the route needs (default: 1). */
  amount?: number;
}

/** The JSON body of a refusal: the same code and fields as the GraphQL contract. */
export interface RefusalBody {
  error: (EntitlementErrorExtensions & { message: string }) | { code: 'UNAUTHENTICATED' | 'TOLLGATE_UNAVAILABLE'; message: string };
}

type Refusal = { status: number; body: RefusalBody } | null;

/**
 * Decides a request: null to let it through, or the status and JSON body to answer with.
 * Tollgate unreachable answers 503: a guarded route fails closed.
 */
async function decide<Request>(tollgate: TollgateClient, feature: string, options: RequireFeatureOptions<Request>, request: Request): Promise<Refusal> {
  const accountId = await options.accountId(request);
  if (!accountId) {
    return { status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'Sign in to use this feature.' } } };
  }
  try {
    const decision = await tollgate.check(accountId, feature, { amount: options.amount });
    if (decision.allowed) return null;
    const extensions = entitlementErrorExtensions(decision, options.amount);
    return { status: 403, body: { error: { ...extensions, message: entitlementErrorMessage(extensions, decision.featureName) } } };
  } catch (error) {
    if (!(error instanceof TollgateUnavailableError)) throw error;
    return { status: 503, body: { error: { code: 'TOLLGATE_UNAVAILABLE', message: error.message } } };
  }
}

/** The part of an Express (or Node http) response the middleware uses. */
interface ResponseLike {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body: string): unknown;
}

/**
 * Express-compatible middleware: lets the request through when the account may use `feature`,
 * else answers 403 with `{ error: { code: 'ENTITLEMENT_DENIED' | 'LIMIT_EXCEEDED', feature,
 * accountId, reason, ... } }`.
 *
 * @example
 * app.get('/notes.csv', requireFeature(tollgate, 'export_csv', { accountId: (req) => req.session.accountId }), exportCsv);
 */
export function requireFeature<Request>(
  tollgate: TollgateClient,
  feature: string,
  options: RequireFeatureOptions<Request>,
): (request: Request, response: ResponseLike, next: (error?: unknown) => void) => Promise<void> {
  return async (request, response, next) => {
    let refusal: Refusal;
    try {
      refusal = await decide(tollgate, feature, options, request);
    } catch (error) {
      next(error);
      return;
    }
    if (!refusal) {
      next();
      return;
    }
    response.statusCode = refusal.status;
    response.setHeader('content-type', 'application/json; charset=utf-8');
    response.end(JSON.stringify(refusal.body));
  };
}

/** The part of a Fastify reply the hook uses. */
interface ReplyLike {
  code(status: number): ReplyLike;
  send(body: unknown): unknown;
}

/**
 * A Fastify `preHandler` hook with the same rule and the same 403 body as {@link requireFeature}.
 *
 * @example
 * app.get('/notes.csv', { preHandler: requireFeatureHook(tollgate, 'export_csv', { accountId: (req) => req.headers['x-account-id'] }) }, handler);
 */
export function requireFeatureHook<Request>(
  tollgate: TollgateClient,
  feature: string,
  options: RequireFeatureOptions<Request>,
): (request: Request, reply: ReplyLike) => Promise<void> {
  return async (request, reply) => {
    const refusal = await decide(tollgate, feature, options, request);
    if (refusal) await reply.code(refusal.status).send(refusal.body);
  };
}
