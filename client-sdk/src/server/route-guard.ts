import { entitlementErrorExtensions, entitlementErrorMessage, type EntitlementErrorExtensions } from '../entitlement-error.js';
import type { Entitlement, UpgradeOffer } from '../tollgate-types.js';
import { TollgateRequestError, TollgateUnavailableError } from './tollgate-errors.js';

/**
 * What every route guard shares: the request and response shapes it needs from a framework, the
 * refusal bodies of the contract and their HTTP statuses, and how Tollgate's errors become them.
 */

/**
 * A value, or how to read it from the request (sync or async). Options of the route guards take
 * either, so the guards need nothing from a framework beyond the request itself.
 *
 * @example
 * const accountId: FromRequest<express.Request, string | undefined> = (req) => req.header('x-account-id');
 */
export type FromRequest<Request, T> = T | ((request: Request) => T | Promise<T>);

/**
 * What {@link requireFeature} and {@link consumeFeature} read from a request when the option
 * functions do not name a type: Express's `req.header()`. Annotate the parameter
 * (`(req: express.Request) => req.user?.accountId`) to use anything else of the request.
 *
 * @example
 * requireFeature(tollgate, 'export_csv', { accountId: (req) => req.header('x-account-id') }); // req: ExpressLikeRequest
 */
export interface ExpressLikeRequest {
  header(name: string): string | undefined;
}

/**
 * What {@link requireFeatureHook} and {@link consumeFeatureHook} read from a request when the option
 * functions do not name a type: Fastify's `request.headers`. Annotate the parameter
 * (`(request: FastifyRequest) => request.user?.accountId`) to use anything else of the request.
 *
 * @example
 * requireFeatureHook(tollgate, 'export_csv', { accountId: (request) => String(request.headers['x-account-id'] ?? '') || undefined });
 */
export interface FastifyLikeRequest {
  headers: Record<string, string | string[] | undefined>;
}

/**
 * The JSON body of every answer a route guard gives instead of the route: `{ error: { code, message, ... } }`.
 *
 * | `code` | HTTP | when |
 * | --- | --- | --- |
 * | `UNAUTHENTICATED` | 401 | the request names no account (`accountId` gave undefined) |
 * | `ENTITLEMENT_DENIED` | 403 | refused for any reason but a limit; the contract's fields |
 * | `ACCOUNT_NOT_FOUND` | 403 | Tollgate does not know the account (create it with `upsertAccount`) |
 * | `LIMIT_EXCEEDED` | 429 | a limit is in the way; the contract's fields with `limit`, `used`, `requested` |
 * | `IDEMPOTENCY_CONFLICT` | 422 | the idempotency key was used before for a different request |
 * | `BAD_USER_INPUT` | 400 | Tollgate refused a value read from the request (an amount, a key too long) |
 * | `TOLLGATE_UNAVAILABLE` | 503 | Tollgate could not be reached within the deadline and `onUnavailable` denies (the default); with `Retry-After` |
 *
 * Refusals of {@link consumeFeature} also carry `offers`, what would unlock the request, cheapest first.
 *
 * @example
 * const body = (await response.json()) as RefusalBody;
 * if (body.error.code === 'LIMIT_EXCEEDED') showUpgrade(body.error.offers);
 */
export interface RefusalBody {
  error:
    | (EntitlementErrorExtensions & { message: string; offers?: UpgradeOffer[] })
    | { code: 'UNAUTHENTICATED'; message: string }
    | { code: 'TOLLGATE_UNAVAILABLE'; feature: string; message: string }
    | { code: 'ACCOUNT_NOT_FOUND' | 'BAD_USER_INPUT'; feature: string; accountId: string; message: string }
    | { code: 'IDEMPOTENCY_CONFLICT'; feature: string; accountId: string; idempotencyKey: string; message: string };
}

/**
 * An answer a guard gives instead of the route (internal: the guards' shared decision).
 *
 * @example
 * const refusal: Refusal = unauthenticated(); // { status: 401, body: { error: { code: 'UNAUTHENTICATED', ... } } }
 */
export interface Refusal {
  status: number;
  body: RefusalBody;
  /** Response headers to send with it (`Retry-After` on 503). */
  headers?: Record<string, string>;
}

/**
 * What a guard does when Tollgate cannot be reached within the client's deadline:
 *
 * - `'deny'` (the default): answer 503 `TOLLGATE_UNAVAILABLE`; the route does not run.
 * - `'allow'`: let the route run as if allowed. A consuming guard counts nothing then: choose it
 *   only where an outage must never stop users and uncounted usage is acceptable.
 * - `'stale'`: decide with the last decision this process got for the same question, and deny
 *   (503) when there is none. A checking guard uses the client's last answers (`check` with
 *   `allowStale`); a consuming guard the last decision of its own consumes for that account and
 *   feature, letting the request run uncounted only while that decision leaves room for
 *   `amount`, and taking each such request's amount off that room.
 *
 * Whatever the mode, the user's body never holds the cause (addresses, stack text): the host's
 * log does (`logUnavailable`).
 *
 * @example
 * requireFeature(tollgate, 'export_csv', { accountId, onUnavailable: 'stale' });
 */
export type UnavailablePolicy = 'deny' | 'allow' | 'stale';

/**
 * What a guard tells the host's log when Tollgate could not be reached: which question, what the
 * guard answered instead, and the client's error with its cause (for the operator, never the user).
 *
 * @example
 * const log = (report: UnavailableReport) => logger.warn({ err: report.error, feature: report.feature }, report.message);
 */
export interface UnavailableReport {
  feature: string;
  accountId: string;
  /** What the user got: a 503 refusal, the route run without Tollgate, or an answer from the last known decision. */
  answered: 'refused' | 'allowed' | 'stale';
  /** One sentence for the log. */
  message: string;
  error?: unknown;
}

/** How a guard reports to the host's log; by default Fastify's `request.log` when there is one, else `console.warn`. */
export type UnavailableLog = (report: UnavailableReport) => void;

/** The answer a user gets when Tollgate cannot be reached and the guard denies: the feature, a retry hint, and nothing about the cause. */
export function unavailable(feature: string): Refusal {
  return {
    status: 503,
    headers: { 'retry-after': '5' },
    body: { error: { code: 'TOLLGATE_UNAVAILABLE', feature, message: `"${feature}" cannot be checked right now. Try again in a moment.` } },
  };
}

/**
 * Reports an unreachable Tollgate to the host's log: through `log` when given, else the request's
 * own logger (Fastify's `request.log`), else `console.warn`.
 *
 * @example
 * reportUnavailable(options.logUnavailable, request, { feature, accountId, answered: 'refused', message, error });
 */
export function reportUnavailable(log: UnavailableLog | undefined, request: unknown, report: UnavailableReport): void {
  if (log) return log(report);
  const logger = (request as { log?: { warn?: (details: object, message: string) => void } } | null)?.log;
  if (typeof logger?.warn === 'function') return logger.warn({ err: report.error, feature: report.feature, accountId: report.accountId, answered: report.answered }, report.message);
  console.warn(`${report.message}${report.error instanceof Error ? ` Cause: ${report.error.message}` : ''}`);
}

/** The sentence the log gets, by what the guard answered. */
export function unavailableMessage(feature: string, accountId: string, answered: UnavailableReport['answered']): string {
  const what = answered === 'refused' ? 'answered 503 TOLLGATE_UNAVAILABLE'
    : answered === 'allowed' ? 'let the request through (onUnavailable: \'allow\'; nothing was counted)'
    : 'answered from the last known decision (onUnavailable: \'stale\')';
  return `Tollgate could not be reached for "${feature}" (account "${accountId}"): the guard ${what}.`;
}

/** The most decisions a consuming guard remembers for `'stale'`, the least recently used forgotten first. */
const MAX_REMEMBERED = 10_000;

/**
 * The last decision a consuming guard got per account and feature, for `onUnavailable: 'stale'`:
 * bounded, least recently used first out.
 *
 * @example
 * const last = new LastDecisions();
 * last.remember('acme', 'reports', result.entitlement);
 */
export class LastDecisions {
  private readonly decisions = new Map<string, Entitlement>();

  remember(accountId: string, feature: string, decision: Entitlement): void {
    const key = JSON.stringify([accountId, feature]);
    this.decisions.delete(key);
    this.decisions.set(key, decision);
    if (this.decisions.size > MAX_REMEMBERED) this.decisions.delete(this.decisions.keys().next().value!);
  }

  get(accountId: string, feature: string): Entitlement | undefined {
    return this.decisions.get(JSON.stringify([accountId, feature]));
  }
}

/**
 * Reads an option that may be a function of the request.
 *
 * @example
 * const amount = await fromRequest(options.amount, request); // a number, what the function gave, or undefined
 */
export async function fromRequest<Request, T>(option: FromRequest<Request, T>, request: Request): Promise<T> {
  return typeof option === 'function' ? (option as (request: Request) => T | Promise<T>)(request) : option;
}

/**
 * The refusal of a request that names no account.
 *
 * @example
 * if (!accountId) return unauthenticated();
 */
export function unauthenticated(): Refusal {
  return { status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'Sign in to use this feature.' } } };
}

/**
 * The refusal of a decision that is not allowed: 429 when a limit is in the way, else 403.
 *
 * @example
 * if (!result.ok) return refusedDecision(result.entitlement, amount, result.offers);
 */
export function refusedDecision(decision: Entitlement, amount: number | undefined, offers?: UpgradeOffer[]): Refusal {
  const extensions = entitlementErrorExtensions(decision, amount);
  const message = entitlementErrorMessage(extensions, decision.featureName);
  return {
    status: extensions.code === 'LIMIT_EXCEEDED' ? 429 : 403,
    body: { error: offers ? { ...extensions, message, offers } : { ...extensions, message } },
  };
}

/**
 * The refusal for an error of the Tollgate client, or null when the error is the host's to handle
 * (a refused server key, an unknown feature: configuration mistakes that should reach its logs).
 * An unreachable Tollgate is a 503 whose body says nothing of the cause (see {@link unavailable}).
 *
 * @example
 * const refusal = refusalForError(error, { feature, accountId });
 * if (!refusal) throw error;
 */
export function refusalForError(error: unknown, context: { feature: string; accountId: string; idempotencyKey?: string }): Refusal | null {
  const { feature, accountId } = context;
  if (error instanceof TollgateUnavailableError) return unavailable(feature);
  if (!(error instanceof TollgateRequestError)) return null;
  switch (error.code) {
    case 'ACCOUNT_NOT_FOUND':
      return {
        status: 403,
        body: {
          error: {
            code: 'ACCOUNT_NOT_FOUND',
            feature,
            accountId,
            message: `Account "${accountId}" is not known to Tollgate, so "${feature}" is refused. Create the account with upsertAccount when it signs up.`,
          },
        },
      };
    case 'IDEMPOTENCY_CONFLICT':
      return {
        status: 422,
        body: { error: { code: 'IDEMPOTENCY_CONFLICT', feature, accountId, idempotencyKey: context.idempotencyKey ?? '', message: error.message } },
      };
    case 'BAD_USER_INPUT':
      return { status: 400, body: { error: { code: 'BAD_USER_INPUT', feature, accountId, message: error.message } } };
    default:
      return null;
  }
}

/**
 * The part of an Express (or Node http) response the middleware uses.
 *
 * @example
 * const response: ResponseLike = { statusCode: 200, setHeader: () => undefined, end: (body) => console.log(body) };
 * await requireFeature(tollgate, 'export_csv', { accountId: 'acme' })({ header: () => undefined }, response, () => {});
 */
export interface ResponseLike {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body: string): unknown;
}

/**
 * The part of a Fastify reply the hook uses.
 *
 * @example
 * const reply: ReplyLike = { code: () => reply, send: (body) => console.log(body) };
 * await requireFeatureHook(tollgate, 'export_csv', { accountId: 'acme' })({ headers: {} }, reply);
 */
export interface ReplyLike {
  code(status: number): ReplyLike;
  send(body: unknown): unknown;
  /** Sets a response header (Fastify's `reply.header`); optional, for replies that have none. */
  header?(name: string, value: string): unknown;
}

/**
 * Express-compatible middleware as the guards make it.
 *
 * @example
 * const guard: ExpressGuard<express.Request> = requireFeature(tollgate, 'export_csv', { accountId: (req: express.Request) => req.user?.accountId });
 */
export type ExpressGuard<Request> = (request: Request, response: ResponseLike, next: (error?: unknown) => void) => Promise<void>;

/**
 * A Fastify `preHandler` (or `onRequest`) hook as the guards make it.
 *
 * @example
 * const hook: FastifyGuard<FastifyRequest> = requireFeatureHook(tollgate, 'export_csv', { accountId: (request: FastifyRequest) => request.user?.accountId });
 */
export type FastifyGuard<Request> = (request: Request, reply: ReplyLike) => Promise<void>;

/**
 * Middleware from a decision function: the route runs on null, the refusal is answered as JSON,
 * and any other error goes to the host's error handler through `next`.
 *
 * @example
 * return expressGuard((request: Request) => decide(tollgate, feature, options, request));
 */
export function expressGuard<Request>(decide: (request: Request) => Promise<Refusal | null>): ExpressGuard<Request> {
  return async (request, response, next) => {
    let refusal: Refusal | null;
    try {
      refusal = await decide(request);
    } catch (error) {
      next(error);
      return;
    }
    if (!refusal) {
      next();
      return;
    }
    response.statusCode = refusal.status;
    for (const [name, value] of Object.entries(refusal.headers ?? {})) response.setHeader(name, value);
    response.setHeader('content-type', 'application/json; charset=utf-8');
    response.end(JSON.stringify(refusal.body));
  };
}

/**
 * A Fastify hook from a decision function: a sent reply ends the request (Fastify runs no handler
 * after it), and any other error is thrown to Fastify's error handler.
 *
 * @example
 * return fastifyGuard((request: Request) => decide(tollgate, feature, options, request));
 */
export function fastifyGuard<Request>(decide: (request: Request) => Promise<Refusal | null>): FastifyGuard<Request> {
  return async (request, reply) => {
    const refusal = await decide(request);
    if (!refusal) return;
    for (const [name, value] of Object.entries(refusal.headers ?? {})) reply.header?.(name, value);
    await reply.code(refusal.status).send(refusal.body);
  };
}
