import { GraphQLError } from 'graphql';

/** No override has this id. */
export function overrideNotFound(id: string): GraphQLError {
  return new GraphQLError(`No override with id "${id}". The account query lists an account's overrides.`, {
    extensions: { code: 'OVERRIDE_NOT_FOUND', id },
  });
}

/** The first revocation stands; revoking again would rewrite who did it and when. */
export function overrideAlreadyRevoked(id: string): GraphQLError {
  return new GraphQLError(`Override "${id}" is already revoked.`, {
    extensions: { code: 'OVERRIDE_ALREADY_REVOKED', id },
  });
}

/** No override request has this id. */
export function overrideRequestNotFound(id: string): GraphQLError {
  return new GraphQLError(`No override request with id "${id}". The overrideRequests query lists them.`, {
    extensions: { code: 'OVERRIDE_REQUEST_NOT_FOUND', id },
  });
}

/** The request was approved or rejected already; the first decision stands. */
export function overrideRequestDecided(id: string, status: string): GraphQLError {
  return new GraphQLError(`Override request "${id}" is ${status} already; the first decision stands. Ask for a new one with requestOverride.`, {
    extensions: { code: 'OVERRIDE_REQUEST_DECIDED', id, status },
  });
}

/** Four eyes: the person who asked does not approve. */
export function selfApproval(id: string): GraphQLError {
  return new GraphQLError(`You requested override request "${id}": another person with approval rights (BILLING or OWNER) must approve it.`, {
    extensions: { code: 'SELF_APPROVAL', id },
  });
}

/**
 * An operator's grant outside the policy (permanent, or ending more than the policy's days
 * ahead): it needs a second person, through requestOverride with the same input.
 */
export function approvalRequired(policyDays: number, latestEndsAt: Date, permanent: boolean): GraphQLError {
  const what = permanent ? 'a permanent override' : `an override ending after ${latestEndsAt.toISOString()}`;
  return new GraphQLError(
    `An operator may grant an override on their own only within ${policyDays} days (TOLLGATE_OVERRIDE_POLICY_DAYS), never permanent; ` +
      `this is ${what}. Send the same input to requestOverride: another operator (BILLING or OWNER) approves it.`,
    { extensions: { code: 'APPROVAL_REQUIRED', mutation: 'requestOverride', policyDays, latestEndsAt: latestEndsAt.toISOString() } },
  );
}
