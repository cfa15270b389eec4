import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { GraphQLError } from 'graphql';
import Stripe from 'stripe';
import { MalformedStripeObject, StripeUnavailable, type BillingService } from '../billing/index.js';
import type { Clock } from '../clock.js';
import { isConnectionFault, retryOnConnectionFault } from '../db/index.js';
import type { WebhookErrorCode } from '../vocabulary/index.js';

/** The most a Stripe event may weigh; Stripe's own are a few kB. Larger bodies are 413 before they are read. */
export const STRIPE_WEBHOOK_BODY_LIMIT = 1024 * 1024;

/** Seconds a signature stays valid after Stripe signed it: Stripe's own default, against replayed requests. */
export const STRIPE_SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * How deep a Stripe event's JSON may nest. Stripe's nest a dozen levels at most; a deeper body
 * (a signed one too) is refused before it is parsed, as no code that walks it (storing it as a
 * sync issue's payload, for one) could do so without running out of stack.
 */
export const STRIPE_EVENT_MAX_DEPTH = 64;

/** The route's path, printed in the start banner and docs/stripe.md. */
export const STRIPE_WEBHOOK_PATH = '/webhooks/stripe';

/** The options of {@link stripeWebhooks}. */
export interface StripeWebhookOptions {
  billing: BillingService;
  /** STRIPE_WEBHOOK_SECRET; null answers every request 503 saying how to enable the route. */
  webhookSecret: string | null;
  clock: Clock;
  /** Told of the outcome of every verified delivery (the metrics count them). */
  onOutcome?: (outcome: string) => void;
}

/**
 * `POST /webhooks/stripe` as a Fastify plugin: Stripe's events, verified and applied by billing
 * sync. In its own encapsulated context, its content-type parser keeps the raw body as a Buffer
 * (the signature covers the bytes as sent) and no other route is affected.
 *
 * Answers, in the order they are decided: 503 without STRIPE_WEBHOOK_SECRET; 413 for a body over
 * 1 MB; 400 for a body that is not JSON; 400 for a missing or wrong `Stripe-Signature` (or one
 * older than 300 s); 400 for an event whose object Stripe would not send; 503 when the database
 * or Stripe's API cannot be reached, fails or asks to slow down (Stripe delivers again); else 200
 * with the outcome (`APPLIED`, `IGNORED`, `STALE`, `DUPLICATE`, `UNMAPPED`, `HELD`: a 4xx from
 * Stripe's API is a STRIPE_API_REFUSED sync issue, not a retry). Never 500: an unforeseen failure
 * is logged and answered 503, so Stripe delivers again. Nothing is written before the signature
 * is verified.
 */
export async function stripeWebhooks(app: FastifyInstance, options: StripeWebhookOptions): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: STRIPE_WEBHOOK_BODY_LIMIT }, (_request, body, done) => {
      const text = (body as Buffer).toString('utf8');
      if (jsonDepth(text) > STRIPE_EVENT_MAX_DEPTH) {
        done(webhookError(400, 'MALFORMED_EVENT', `The body nests deeper than ${STRIPE_EVENT_MAX_DEPTH} levels; Stripe's events nest a dozen at most.`), undefined);
        return;
      }
      try {
        JSON.parse(text);
        done(null, body);
      } catch {
        done(webhookError(400, 'MALFORMED_EVENT', 'The body is not JSON. Stripe sends each event as a JSON object.'), undefined);
      }
    });
    scope.setErrorHandler((error: FastifyError, _request, reply) => {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return answer(reply, 413, 'PAYLOAD_TOO_LARGE', `A Stripe event is at most ${STRIPE_WEBHOOK_BODY_LIMIT} bytes; this body is larger.`);
      }
      // A request Fastify refused itself (its own code), in the same shape.
      if (error.statusCode && error.statusCode < 500) return reply.code(error.statusCode).send({ error: { code: error.code ?? 'BAD_REQUEST', message: error.message } });
      scope.log.error({ err: error }, 'Stripe webhook failed');
      return answer(reply, 503, 'EVENT_NOT_APPLIED', 'The event could not be applied. It has been logged; Stripe delivers it again.');
    });

    scope.post(STRIPE_WEBHOOK_PATH, {
      bodyLimit: STRIPE_WEBHOOK_BODY_LIMIT,
      // Before the body is read: without a secret nothing can be verified, so nothing is accepted.
      onRequest: async (_request, reply) => {
        if (options.webhookSecret) return;
        return answer(reply, 503, 'STRIPE_WEBHOOKS_DISABLED',
          'Stripe webhooks are off. Set STRIPE_WEBHOOK_SECRET to the endpoint\'s signing secret (whsec_…, in the Stripe dashboard under ' +
          'Developers → Webhooks → this endpoint) and restart Tollgate.');
      },
    }, async (request, reply) => {
      const body = request.body;
      if (!Buffer.isBuffer(body) || body.length === 0) {
        return answer(reply, 400, 'MALFORMED_EVENT', 'The body is empty. Stripe sends each event as a JSON object (Content-Type: application/json).');
      }
      let event: unknown;
      try {
        event = Stripe.webhooks.constructEvent(
          body,
          request.headers['stripe-signature'] ?? '',
          options.webhookSecret!,
          STRIPE_SIGNATURE_TOLERANCE_SECONDS,
          undefined,
          options.clock().getTime(),
        );
      } catch (error) {
        request.log.warn({ reason: (error as Error).message }, 'Stripe webhook signature refused');
        return answer(reply, 400, 'STRIPE_SIGNATURE_INVALID',
          'The Stripe-Signature header is missing, does not match this body and STRIPE_WEBHOOK_SECRET, or is older than ' +
          `${STRIPE_SIGNATURE_TOLERANCE_SECONDS} s. Check that STRIPE_WEBHOOK_SECRET is this endpoint's signing secret.`);
      }
      try {
        const result = await retryOnConnectionFault(() => options.billing.receiveStripeEvent(event));
        options.onOutcome?.(result.outcome);
        return reply.code(200).send({ received: true, eventId: (event as { id: string }).id, outcome: result.outcome, detail: result.detail });
      } catch (error) {
        return failed(reply, error, request.log);
      }
    });
  });
}

function failed(reply: FastifyReply, error: unknown, log: FastifyInstance['log']): FastifyReply {
  if (error instanceof MalformedStripeObject) return answer(reply, 400, 'MALFORMED_EVENT', `The event cannot be read: ${(error as Error).message}.`);
  if ((error instanceof GraphQLError && error.extensions.code === 'DATABASE_UNAVAILABLE') || isConnectionFault(error)) {
    log.warn({ err: error }, 'database unavailable during a Stripe webhook');
    return answer(reply, 503, 'DATABASE_UNAVAILABLE', 'The database is unavailable; nothing was applied. Stripe delivers the event again.');
  }
  if (error instanceof StripeUnavailable) {
    log.warn({ err: error }, 'Stripe API unavailable during a Stripe webhook');
    return answer(reply, 503, 'STRIPE_UNAVAILABLE', `${(error as Error).message}. Nothing was applied; Stripe delivers the event again.`);
  }
  log.error({ err: error }, 'Stripe webhook failed');
  return answer(reply, 503, 'EVENT_NOT_APPLIED', 'The event could not be applied. It has been logged; nothing was applied, and Stripe delivers it again.');
}

/** Every refusal in one shape, as the SDK's route guards answer: `{ error: { code, message } }`, the codes the vocabulary's. */
function answer(reply: FastifyReply, status: number, code: WebhookErrorCode, message: string): FastifyReply {
  if (status === 503) reply.header('retry-after', '30');
  return reply.code(status).send({ error: { code, message } });
}

function webhookError(statusCode: number, code: WebhookErrorCode, message: string): FastifyError {
  return Object.assign(new Error(message), { statusCode, code }) as FastifyError;
}

/** The deepest nesting of objects and arrays in a JSON text, counted without parsing it (no recursion, strings skipped). */
function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const character = text.charCodeAt(index);
    if (inString) {
      if (character === 0x5c) index += 1;
      else if (character === 0x22) inString = false;
    } else if (character === 0x22) inString = true;
    else if (character === 0x7b || character === 0x5b) deepest = Math.max(deepest, (depth += 1));
    else if (character === 0x7d || character === 0x5d) depth -= 1;
  }
  return deepest;
}
