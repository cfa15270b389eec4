/**
 * Node helpers for host backends: a typed Tollgate client, the contract's GraphQL error for
 * your own resolvers, and route guards for Express and Fastify.
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
export { requireFeature, requireFeatureHook, type RefusalBody, type RequireFeatureOptions } from './require-feature.js';
export { TollgateRequestError, TollgateUnavailableError } from './tollgate-errors.js';
export * from '../index.js';
