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
