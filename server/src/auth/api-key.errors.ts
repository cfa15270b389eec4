import { GraphQLError } from 'graphql';

/** No API key has this id. */
export function apiKeyNotFound(id: string): GraphQLError {
  return new GraphQLError(`No API key with id "${id}". List keys with the apiKeys query.`, {
    extensions: { code: 'API_KEY_NOT_FOUND', id },
  });
}

/** Revoking twice would rewrite who revoked it and when; the first revocation stands. */
export function apiKeyAlreadyRevoked(id: string): GraphQLError {
  return new GraphQLError(`API key "${id}" is already revoked.`, {
    extensions: { code: 'API_KEY_ALREADY_REVOKED', id },
  });
}
