/**
 * Node helpers for host backends: a typed Tollgate client (shadow mode's comparisons and live
 * decisions included), the contract's GraphQL error for your own resolvers, and route guards for
 * Express and Fastify that check or consume.
 */
export {
  createTollgate,
  entitlementError,
  type CheckedEntitlement,
  type CheckOptions,
  type ConsumeOptions,
  type TollgateClient,
  type TollgateOptions,
} from './tollgate-client.js';
export { type LiveOptions, type LiveStats } from './live-decisions.js';
export { type ShadowCompareOptions, type ShadowOptions, type ShadowStats } from './shadow-queue.js';
export { type TrackEventOptions, type TrackOptions, type TrackStats } from './track-queue.js';
export { requireFeature, requireFeatureHook, type RequireFeatureOptions } from './require-feature.js';
export { consumeFeature, consumeFeatureHook, type ConsumeFeatureOptions } from './consume-feature.js';
export type {
  ExpressGuard,
  ExpressLikeRequest,
  FastifyGuard,
  FastifyLikeRequest,
  FromRequest,
  RefusalBody,
  ReplyLike,
  ResponseLike,
} from './route-guard.js';
export { TollgateRequestError, TollgateUnavailableError, type TollgateErrorPayload } from './tollgate-errors.js';
export * from '../index.js';
