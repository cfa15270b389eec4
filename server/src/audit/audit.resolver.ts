import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { requirePermission } from '../access/index.js';
import { AuditEntryConnectionType, AuditEntryEdgeType, PageInfoType } from './audit-entry-connection.type.js';
import { AuditEntryType } from './audit-entry.type.js';
import { encodeCursor } from './audit.service.js';
import type { AuditContext } from './audit.context.js';

/** GraphQL face of the audit log: admin keys only. */
@Resolver()
export class AuditResolver {
  @Query(() => AuditEntryConnectionType, {
    description: 'Every audited write, newest first, optionally of one account. `first` 1-100 (default 20). Admin key.',
  })
  async auditLog(
    @Arg('accountId', () => ID, { nullable: true }) accountId: string | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: AuditContext,
  ): Promise<AuditEntryConnectionType> {
    requirePermission(ctx.principal, 'READ_OPERATIONS');
    const page = await ctx.services.audit.page({ accountId, first, after });
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
