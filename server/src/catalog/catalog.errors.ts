import { GraphQLError } from 'graphql';

/** The feature key is not in the catalog. Codes are part of the public contract. */
export function unknownFeature(key: string): GraphQLError {
  return new GraphQLError(`Unknown feature "${key}". Create it with createFeature or check the key's spelling.`, {
    extensions: { code: 'UNKNOWN_FEATURE', feature: key },
  });
}

/** Several feature keys are not in the catalog. */
export function unknownFeatures(keys: string[]): GraphQLError {
  return new GraphQLError(
    `Unknown feature${keys.length > 1 ? 's' : ''} ${keys.map((key) => `"${key}"`).join(', ')}. Create them with createFeature first.`,
    { extensions: { code: 'UNKNOWN_FEATURE', feature: keys[0], features: keys } },
  );
}

/** No plan has this key. */
export function planNotFound(key: string): GraphQLError {
  return new GraphQLError(`Unknown plan "${key}". Create it with createPlan or check the key.`, {
    extensions: { code: 'PLAN_NOT_FOUND', plan: key },
  });
}

/** The plan has no version with this number. */
export function planVersionNotFound(plan: string, version: number): GraphQLError {
  return new GraphQLError(`Plan "${plan}" has no version ${version}. The plans query lists its versions.`, {
    extensions: { code: 'PLAN_VERSION_NOT_FOUND', plan, version },
  });
}

/** The plan has nothing an account could be put on yet. */
export function noPublishedVersion(plan: string): GraphQLError {
  return new GraphQLError(
    `Plan "${plan}" has no published version. Create one with createPlanVersion and publish it with publishPlanVersion.`,
    { extensions: { code: 'NO_PUBLISHED_VERSION', plan } },
  );
}

/** Only published versions can be subscribed to. */
export function planVersionNotPublished(plan: string, version: number, status: string): GraphQLError {
  return new GraphQLError(
    `Plan "${plan}" version ${version} is ${status}; only PUBLISHED versions can be assigned. Publish it with publishPlanVersion.`,
    { extensions: { code: 'PLAN_VERSION_NOT_PUBLISHED', plan, version, status } },
  );
}

/** A published version is a promise to the accounts on it: it never changes. */
export function planVersionImmutable(plan: string, version: number, status: string): GraphQLError {
  return new GraphQLError(
    `Plan "${plan}" version ${version} is ${status} and can no longer change. Create a new draft with createPlanVersion instead.`,
    { extensions: { code: 'PLAN_VERSION_IMMUTABLE', plan, version, status } },
  );
}

/** No add-on has this key. */
export function addOnNotFound(key: string): GraphQLError {
  return new GraphQLError(`Unknown add-on "${key}". Create it with createAddOn or check the key.`, {
    extensions: { code: 'ADD_ON_NOT_FOUND', addOn: key },
  });
}

/** A billing price stands for one plan version or add-on; mapping it to a second would make its events ambiguous. */
export function billingPriceTaken(priceId: string | null, owner: string | null): GraphQLError {
  const which = priceId ? `Stripe price "${priceId}" is already mapped${owner ? ` to ${owner}` : ''}.` : 'A Stripe price of this request was mapped by another request meanwhile.';
  return new GraphQLError(`${which} A price maps to one plan version or add-on: create another price in Stripe for this one.`, {
    extensions: { code: 'BILLING_PRICE_TAKEN', priceId },
  });
}

/** Keys are unique within their kind. */
export function alreadyExists(kind: 'feature' | 'plan' | 'add-on', key: string): GraphQLError {
  return new GraphQLError(`A ${kind} with key "${key}" already exists. Choose another key.`, {
    extensions: { code: 'ALREADY_EXISTS', kind, key },
  });
}
