import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfoType } from '../audit/index.js';
import { Quantity } from '../validation/index.js';
import { enumObject, OVERRIDE_REQUEST_STATUSES } from '../vocabulary/index.js';
import { OverrideEffect } from './override-effect.enum.js';
import type { OverrideRequest } from './override-request.entity.js';
import { OverrideType } from './override.type.js';

/** GraphQL enum of where an override request is, derived from the vocabulary. */
export const OverrideRequestStatus = enumObject(OVERRIDE_REQUEST_STATUSES);

registerEnumType(OverrideRequestStatus, {
  name: 'OverrideRequestStatus',
  valuesConfig: {
    PENDING: { description: 'Waiting for a second person (BILLING or OWNER) to approve or reject it.' },
    APPROVED: { description: 'Approved: the override exists (`override`), approved by `decidedBy`.' },
    REJECTED: { description: 'Rejected, with a reason (`decisionNote`); nothing was granted.' },
  },
});

/** GraphQL: what was asked for, as grantOverride would take it. */
@ObjectType('RequestedOverride')
export class RequestedOverrideType {
  @Field(() => ID)
  accountId!: string;

  @Field(() => String)
  feature!: string;

  @Field(() => OverrideEffect)
  effect!: keyof typeof OverrideEffect;

  @Field(() => Quantity, { nullable: true })
  value!: number | null;

  @Field(() => Date, { nullable: true, description: 'null: from the moment it is approved.' })
  startsAt!: Date | null;

  @Field(() => Date, { nullable: true })
  endsAt!: Date | null;

  @Field(() => Boolean)
  permanent!: boolean;

  @Field(() => String)
  reason!: string;
}

/** GraphQL: an override one person asked for and another decides. */
@ObjectType('OverrideRequest')
export class OverrideRequestType {
  @Field(() => ID)
  id!: string;

  @Field(() => OverrideRequestStatus)
  status!: keyof typeof OverrideRequestStatus;

  @Field(() => RequestedOverrideType)
  input!: RequestedOverrideType;

  @Field(() => String, { description: 'Who asked: an operator\'s email, or an API key\'s name.' })
  requestedBy!: string;

  @Field(() => Date)
  requestedAt!: Date;

  @Field(() => String, { nullable: true, description: 'Who approved or rejected it; the override\'s approvedBy.' })
  decidedBy!: string | null;

  @Field(() => Date, { nullable: true })
  decidedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'The approver\'s note, or why it was rejected.' })
  decisionNote!: string | null;

  @Field(() => OverrideType, { nullable: true, description: 'The override its approval granted.' })
  override!: OverrideType | null;

  static from(request: OverrideRequest, now: Date): OverrideRequestType {
    return Object.assign(new OverrideRequestType(), {
      id: request.id,
      status: request.status,
      input: Object.assign(new RequestedOverrideType(), {
        accountId: request.account.id,
        feature: request.featureKey,
        effect: request.effect,
        value: request.value,
        startsAt: request.startsAt,
        endsAt: request.endsAt,
        permanent: request.permanent,
        reason: request.reason,
      }),
      requestedBy: request.requestedBy,
      requestedAt: request.requestedAt,
      decidedBy: request.decidedBy,
      decidedAt: request.decidedAt,
      decisionNote: request.decisionNote,
      override: request.override ? OverrideType.from(request.override, now) : null,
    });
  }
}

/** GraphQL: a request with its cursor. */
@ObjectType('OverrideRequestEdge')
export class OverrideRequestEdgeType {
  @Field(() => String)
  cursor!: string;

  @Field(() => OverrideRequestType)
  node!: OverrideRequestType;
}

/** GraphQL: a page of override requests, newest first. */
@ObjectType('OverrideRequestConnection')
export class OverrideRequestConnectionType {
  @Field(() => [OverrideRequestEdgeType])
  edges!: OverrideRequestEdgeType[];

  @Field(() => PageInfoType)
  pageInfo!: PageInfoType;
}
