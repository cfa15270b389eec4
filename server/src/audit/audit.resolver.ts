import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { requirePermission } from '../access/index.js';
import { AuditEntryConnectionType, AuditEntryEdgeType, PageInfoType } from './audit-entry-connection.type.js';
import { ActorKind } from './actor-kind.enum.js';
import { AuditEntryType } from './audit-entry.type.js';
import { encodeCursor } from './audit.service.js';
import type { AuditContext } from './audit.context.js';

/** GraphQL face of the audit log: admin keys only. */
@Resolver()
export class AuditResolver {
  @Query(() => AuditEntryConnectionType, {
    description:
      'Every audited write, newest first, filtered by account, actor, actor kind, action and time range (each index-backed). `first` 1-100 (default 20). Any operator, or an admin key.',
  })
  async auditLog(
    @Arg('accountId', () => ID, { nullable: true }) accountId: string | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('actor', () => String, { nullable: true, description: 'Only this actor\'s changes: an operator\'s email (any case), an API key\'s name, `stripe`, …' }) actor: string | null,
    @Arg('actorKind', () => ActorKind, { nullable: true }) actorKind: keyof typeof ActorKind | null,
    @Arg('action', () => String, { nullable: true, description: 'Only this action, such as "override.grant".' }) action: string | null,
    @Arg('since', () => Date, { nullable: true, description: 'From this instant on (inclusive).' }) since: Date | null,
    @Arg('until', () => Date, { nullable: true, description: 'Before this instant (exclusive).' }) until: Date | null,
    @Ctx() ctx: AuditContext,
  ): Promise<AuditEntryConnectionType> {
    requirePermission(ctx.principal, 'READ_OPERATIONS');
    const page = await ctx.services.audit.page({ accountId, first, after, actor, actorKind, action, since, until });
    const edges = page.entries.map((entry) =>
      Object.assign(new AuditEntryEdgeType(), { cursor: encodeCursor(String(entry.id)), node: AuditEntryType.from(entry) }),
    );
    return Object.assign(new AuditEntryConnectionType(), {
      edges,
      pageInfo: Object.assign(new PageInfoType(), {
        hasNextPage: page.hasNextPage,
        endCursor: edges.at(-1)?.cursor ?? null,
      }),
    });
  }
}
