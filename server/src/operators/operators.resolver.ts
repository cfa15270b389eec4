import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { OPERATOR_PERMISSIONS, requireOperator, requirePermission } from '../access/index.js';
import { PageInfoType } from '../audit/index.js';
import { PERMISSIONS } from '../vocabulary/index.js';
import { InviteOperatorInput } from './invite-operator.input.js';
import { OperatorRole } from './operator-role.enum.js';
import {
  MeType,
  OperatorConnectionType,
  OperatorEdgeType,
  OperatorInviteType,
  OperatorType,
  PasswordResetLinkType,
} from './operator.type.js';
import { OperatorSessionType } from './operator-session.type.js';
import { encodeOperatorCursor } from './operators.service.js';
import type { OperatorsContext } from './operators.context.js';

/** GraphQL face of operators: who is signed in, and (OWNER) who may sign in. */
@Resolver()
export class OperatorsResolver {
  @Query(() => MeType, { description: 'The operator signed in with this session cookie and what they may do. Operators only (an API key has no session: FORBIDDEN).' })
  async me(@Ctx() ctx: OperatorsContext): Promise<MeType> {
    const principal = requireOperator(ctx.principal);
    const operator = await ctx.services.operators.get(principal.operatorId);
    if (!operator) throw new Error('The signed-in operator is gone from the database');
    const allowed = OPERATOR_PERMISSIONS[principal.role];
    return Object.assign(new MeType(), {
      operator: OperatorType.from(operator),
      permissions: PERMISSIONS.filter((permission) => allowed.has(permission)),
      sessionExpiresAt: principal.expiresAt,
      overridePolicyDays: ctx.services.operators.overridePolicyDays,
    });
  }

  @Query(() => OperatorConnectionType, { description: 'Every operator, by email. `first` 1-100 (default 50). OWNER or admin key.' })
  async operators(
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: OperatorsContext,
  ): Promise<OperatorConnectionType> {
    requirePermission(ctx.principal, 'MANAGE_ACCESS');
    const page = await ctx.services.operators.page({ first, after });
    const edges = page.operators.map((operator) =>
      Object.assign(new OperatorEdgeType(), { cursor: encodeOperatorCursor(operator.email), node: OperatorType.from(operator) }),
    );
    return Object.assign(new OperatorConnectionType(), {
      edges,
      pageInfo: Object.assign(new PageInfoType(), { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null }),
    });
  }

  @Query(() => [OperatorSessionType], {
    description: 'An operator\'s signed-in browsers (sessions in force), newest first: when, from where, with what. OWNER or admin key.',
  })
  async operatorSessions(@Arg('operatorId', () => ID) operatorId: string, @Ctx() ctx: OperatorsContext): Promise<OperatorSessionType[]> {
    requirePermission(ctx.principal, 'MANAGE_ACCESS');
    const own = ctx.principal.kind === 'operator' ? ctx.principal.sessionHash : null;
    const sessions = await ctx.services.operators.sessionsOf(operatorId);
    return sessions.map((session) =>
      Object.assign(new OperatorSessionType(), {
        id: session.id, createdAt: session.createdAt, lastSeenAt: session.lastSeenAt, expiresAt: session.expiresAt,
        address: session.address, userAgent: session.userAgent, current: session.hash === own,
      }),
    );
  }

  @Mutation(() => OperatorType, {
    description:
      'Ends one of an operator\'s sessions (a lost laptop, a shared computer): refused at once in every process, its live socket closed; their other sessions go on. Audited. Not in force: SESSION_NOT_FOUND. OWNER or admin key.',
  })
  async endOperatorSession(
    @Arg('operatorId', () => ID) operatorId: string,
    @Arg('sessionId', () => ID) sessionId: string,
    @Ctx() ctx: OperatorsContext,
  ): Promise<OperatorType> {
    requirePermission(ctx.principal, 'MANAGE_ACCESS');
    return OperatorType.from(await ctx.services.operators.endSession(ctx.principal, operatorId, sessionId));
  }

  @Mutation(() => OperatorInviteType, {
    description:
      'Invites a person with a role; the one-time link (72 h) is in this answer only: give it to them. Inviting an email again (not yet accepted, or deactivated) makes a new link and ends the old one. OWNER or admin key.',
  })
  async inviteOperator(@Arg('input', () => InviteOperatorInput) input: InviteOperatorInput, @Ctx() ctx: OperatorsContext): Promise<OperatorInviteType> {
    requirePermission(ctx.principal, 'MANAGE_ACCESS');
    const issued = await ctx.services.operators.invite(ctx.principal, input);
    return Object.assign(new OperatorInviteType(), { link: issued.link, expiresAt: issued.expiresAt, operator: OperatorType.from(issued.operator) });
  }

  @Mutation(() => OperatorType, {
    description: 'Gives an operator another role; their sessions end at once, in every process (they sign in again). The last OWNER cannot step down: LAST_OWNER. OWNER or admin key.',
  })
  async setOperatorRole(
    @Arg('id', () => ID) id: string,
    @Arg('role', () => OperatorRole) role: keyof typeof OperatorRole,
    @Ctx() ctx: OperatorsContext,
  ): Promise<OperatorType> {
    requirePermission(ctx.principal, 'MANAGE_ACCESS');
    return OperatorType.from(await ctx.services.operators.setRole(ctx.principal, { id, role }));
  }

  @Mutation(() => OperatorType, {
    description: 'Deactivates an operator: their sessions and unused links end at once, in every process; they stay on record. Not the last OWNER. OWNER or admin key.',
  })
  async deactivateOperator(@Arg('id', () => ID) id: string, @Ctx() ctx: OperatorsContext): Promise<OperatorType> {
    requirePermission(ctx.principal, 'MANAGE_ACCESS');
    return OperatorType.from(await ctx.services.operators.deactivate(ctx.principal, id));
  }

  @Mutation(() => PasswordResetLinkType, {
    description: 'A one-time link (72 h) for an active operator to set a new password, in this answer only; using it ends their other sessions. OWNER or admin key.',
  })
  async createPasswordResetLink(@Arg('id', () => ID) id: string, @Ctx() ctx: OperatorsContext): Promise<PasswordResetLinkType> {
    requirePermission(ctx.principal, 'MANAGE_ACCESS');
    const issued = await ctx.services.operators.createPasswordReset(ctx.principal, id);
    return Object.assign(new PasswordResetLinkType(), { link: issued.link, expiresAt: issued.expiresAt, operator: OperatorType.from(issued.operator) });
  }
}
