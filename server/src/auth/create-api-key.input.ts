import { Field, InputType } from 'type-graphql';
import { ApiKeyRole } from './api-key-role.enum.js';

/** GraphQL input of createApiKey. */
@InputType('CreateApiKeyInput')
export class CreateApiKeyInput {
  @Field(() => String, { description: 'Who or what uses it; recorded as the actor in the audit log.' })
  name!: string;

  @Field(() => ApiKeyRole)
  role!: keyof typeof ApiKeyRole;
}
