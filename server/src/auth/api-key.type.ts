import { Field, ID, ObjectType } from 'type-graphql';
import { ApiKeyRole } from './api-key-role.enum.js';
import type { ApiKey } from './api-key.entity.js';

/** GraphQL: an API key, without its secret. */
@ObjectType('ApiKey')
export class ApiKeyType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => ApiKeyRole)
  role!: keyof typeof ApiKeyRole;

  @Field(() => String, { description: 'The start of the secret, to tell keys apart.' })
  prefix!: string;

  @Field(() => String)
  createdBy!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;

  static from(key: ApiKey): ApiKeyType {
    return Object.assign(new ApiKeyType(), {
      id: key.id,
      name: key.name,
      role: key.role,
      prefix: key.prefix,
      createdBy: key.createdBy,
      createdAt: key.createdAt,
      revokedAt: key.revokedAt,
    });
  }
}

/** GraphQL: a new key and its secret, shown this once. */
@ObjectType('CreatedApiKey')
export class CreatedApiKeyType {
  @Field(() => ApiKeyType)
  apiKey!: ApiKeyType;

  @Field(() => String, { description: 'Send as "Authorization: Bearer <secret>". Shown once; only a hash is kept.' })
  secret!: string;
}

/** GraphQL: a short-lived token for one account's browser. */
@ObjectType('ClientToken')
export class ClientTokenType {
  @Field(() => String)
  token!: string;

  @Field(() => Date)
  expiresAt!: Date;
}
