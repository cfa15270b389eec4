/**
 * The codes `POST /webhooks/stripe` refuses with, in `{ error: { code, message } }`: what Stripe's
 * dashboard shows for a failed delivery. 400 and 413 are final (Stripe gives up on them); every
 * 503 makes Stripe deliver again. There is no 500.
 * - STRIPE_SIGNATURE_INVALID (400): the signature is missing, wrong or older than 300 s.
 * - MALFORMED_EVENT (400): not JSON, or an object Stripe would not send (an impossible value).
 * - PAYLOAD_TOO_LARGE (413): over 1 MB.
 * - STRIPE_WEBHOOKS_DISABLED (503): no STRIPE_WEBHOOK_SECRET.
 * - DATABASE_UNAVAILABLE, STRIPE_UNAVAILABLE (503): the database or Stripe's API (network, 5xx, 429).
 * - EVENT_NOT_APPLIED (503): anything unforeseen, logged; nothing applied.
 */
export const WEBHOOK_ERROR_CODES = [
  'STRIPE_SIGNATURE_INVALID',
  'MALFORMED_EVENT',
  'PAYLOAD_TOO_LARGE',
  'STRIPE_WEBHOOKS_DISABLED',
  'DATABASE_UNAVAILABLE',
  'STRIPE_UNAVAILABLE',
  'EVENT_NOT_APPLIED',
] as const;

/** A code `POST /webhooks/stripe` refuses with. */
export type WebhookErrorCode = (typeof WEBHOOK_ERROR_CODES)[number];
