import { Field, ID, ObjectType } from 'type-graphql';
import { OverrideRequestStatus } from '../overrides/index.js';
import type { OverrideRequestsChange } from './live-override-requests.js';

/** GraphQL: a push about override requests. */
@ObjectType('OverrideRequestsChange', { description: 'An override request was made or decided; read overrideRequests again. requestId null: anything may have changed (the server reconnected).' })
export class OverrideRequestsChangeType {
  @Field(() => Date)
  at!: Date;

  @Field(() => ID, { nullable: true })
  requestId!: string | null;

  @Field(() => ID, { nullable: true })
  accountId!: string | null;

  @Field(() => OverrideRequestStatus, { nullable: true, description: 'The request\'s status now (PENDING when it was just made).' })
  status!: keyof typeof OverrideRequestStatus | null;

  static from(change: OverrideRequestsChange): OverrideRequestsChangeType {
    return Object.assign(new OverrideRequestsChangeType(), change);
  }
}
