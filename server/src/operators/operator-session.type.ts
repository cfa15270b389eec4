import { Field, ID, ObjectType } from 'type-graphql';

/** GraphQL: one signed-in browser of an operator, for an owner to see and end. Never the session's secret. */
@ObjectType('OperatorSession')
export class OperatorSessionType {
  @Field(() => ID, { description: 'Names the session for endOperatorSession; not a credential (derived from the stored hash).' })
  id!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { description: 'When it was last used, to the minute.' })
  lastSeenAt!: Date;

  @Field(() => Date, { description: 'Its absolute end, however busy it is.' })
  expiresAt!: Date;

  @Field(() => String, { nullable: true, description: 'The client address it signed in from.' })
  address!: string | null;

  @Field(() => String, { nullable: true, description: 'The browser it signed in with (its User-Agent).' })
  userAgent!: string | null;

  @Field(() => Boolean, { description: 'Whether this is the session asking.' })
  current!: boolean;
}
