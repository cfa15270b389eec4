import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { enumObject, REPORTED_EVENT_STATUSES } from '../vocabulary/index.js';
import type { ReportedEvent } from './metering.service.js';
import { Quantity } from '../validation/index.js';

/** GraphQL enum: what happened to one reported event, derived from the vocabulary. */
export const ReportedEventStatus = enumObject(REPORTED_EVENT_STATUSES);

registerEnumType(ReportedEventStatus, {
  name: 'ReportedEventStatus',
  valuesConfig: {
    ACCEPTED: { description: 'Counted.' },
    REFUSED: { description: 'Not counted: it would pass a hard limit, or the account has no access.' },
    DUPLICATE: { description: 'Its idempotency key was already counted; nothing counted again.' },
    FAILED: { description: 'Bad event (see code and message); nothing counted.' },
  },
});

/** GraphQL: the result of one reported event. */
@ObjectType('ReportedEventResult')
export class ReportedEventResultType {
  @Field(() => Int, { description: 'Position in the batch.' })
  index!: number;

  @Field(() => String, { nullable: true })
  idempotencyKey!: string | null;

  @Field(() => ReportedEventStatus)
  status!: keyof typeof ReportedEventStatus;

  @Field(() => Quantity, { nullable: true, description: 'The counter of the event\'s period after it.' })
  used!: number | null;

  @Field(() => String, { nullable: true, description: 'FAILED: the error code, such as UNKNOWN_FEATURE.' })
  code!: string | null;

  @Field(() => String, { nullable: true })
  message!: string | null;
}

/** GraphQL: the answer to reportUsage, one result per event in order. */
@ObjectType('ReportUsageResult')
export class ReportUsageResultType {
  @Field(() => [ReportedEventResultType])
  results!: ReportedEventResultType[];

  @Field(() => Int)
  accepted!: number;

  @Field(() => Int)
  refused!: number;

  @Field(() => Int)
  duplicates!: number;

  @Field(() => Int)
  failed!: number;

  static from(events: ReportedEvent[]): ReportUsageResultType {
    const results = events.map((event, index) =>
      Object.assign(new ReportedEventResultType(), {
        index,
        idempotencyKey: event.idempotencyKey,
        status: event.status,
        used: event.status === 'FAILED' ? null : event.used,
        code: event.status === 'FAILED' ? event.code : event.status === 'REFUSED' ? event.reason : null,
        message: event.status === 'FAILED' ? event.message : null,
      }),
    );
    const counts = { ACCEPTED: 0, REFUSED: 0, DUPLICATE: 0, FAILED: 0 };
    for (const event of events) counts[event.status] += 1;
    return Object.assign(new ReportUsageResultType(), {
      results,
      accepted: counts.ACCEPTED,
      refused: counts.REFUSED,
      duplicates: counts.DUPLICATE,
      failed: counts.FAILED,
    });
  }
}
