import { GraphQLError } from 'graphql';
import { kindsWhere, type FeatureKind } from '../vocabulary/index.js';

/**
 * The operation does not apply to this feature's kind (SWITCH features have nothing to count;
 * releasing applies to gauges only). The kinds it applies to come from the kind rules table.
 */
export function featureNotMetered(
  feature: string,
  kind: FeatureKind,
  operation: string,
  rule: 'countable' | 'releasable' | 'reportable',
): GraphQLError {
  return new GraphQLError(
    `Feature "${feature}" is a ${kind} feature; ${operation} applies to ${kindsWhere(rule).join(' and ')} features. Check it with the entitlement query instead.`,
    { extensions: { code: 'FEATURE_NOT_METERED', feature, kind } },
  );
}

/** The idempotency key was used before for a different request. */
export function idempotencyConflict(key: string): GraphQLError {
  return new GraphQLError(
    `Idempotency key "${key}" was already used for a different request on this account. Use a new key for a new request; retry with the same payload to get the first answer.`,
    { extensions: { code: 'IDEMPOTENCY_CONFLICT', idempotencyKey: key } },
  );
}
