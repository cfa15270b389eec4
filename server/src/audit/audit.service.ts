import type { FilterQuery, MikroORM } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { badUserInput, rules, validateInput } from '../validation/index.js';
import { ACTOR_KINDS, AUDIT_ACTIONS, type ActorKind } from '../vocabulary/index.js';
import { AuditEntry } from './audit-entry.entity.js';

/** What the log may be filtered by; every filter is index-backed (see AuditEntry's indexes). */
export interface AuditFilter {
  accountId?: string | null;
  /** The actor as the log shows it: an operator's email (any case), an API key's name, `stripe`, … */
  actor?: string | null;
  actorKind?: ActorKind | null;
  action?: string | null;
  /** From this instant on (inclusive). */
  since?: Date | null;
  /** Before this instant (exclusive). */
  until?: Date | null;
}

const filterSchema = z.object({
  actor: z.string().max(320, 'must be at most 320 characters').nullish(),
  actorKind: z.enum(ACTOR_KINDS).nullish(),
  action: z.enum(AUDIT_ACTIONS, { error: `must be one of: ${AUDIT_ACTIONS.join(', ')}` }).nullish(),
  since: rules.instant.nullish(),
  until: rules.instant.nullish(),
});

/** One page of the audit log, newest first. */
export interface AuditPage {
  entries: AuditEntry[];
  hasNextPage: boolean;
}

const MAX_PAGE = 100;

/** Reads the audit log by cursor. The cursor is the entry's sequence number, opaque to callers. */
export class AuditService {
  constructor(private readonly orm: MikroORM) {}

  async page(options: AuditFilter & { first?: number | null; after?: string | null }): Promise<AuditPage> {
    const first = options.first ?? 20;
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
      throw badUserInput([{ path: 'first', message: `must be from 1 to ${MAX_PAGE}` }]);
    }
    const before = options.after ? decodeCursor(options.after) : null;
    // No account can have such an id (and PostgreSQL could not compare a NUL byte): an empty page.
    if (options.accountId && !rules.isAccountId(options.accountId)) return { entries: [], hasNextPage: false };
    const filter = validateInput(filterSchema, { actor: options.actor, actorKind: options.actorKind, action: options.action, since: options.since, until: options.until });
    if (filter.since && filter.until && filter.until <= filter.since) throw badUserInput([{ path: 'until', message: 'must be after since' }]);
    // An operator's email is stored lowercased; a key's name as it was given.
    const actor = filter.actor ? { $in: [...new Set([filter.actor, filter.actor.toLowerCase()])] } : null;
    const at = { ...(filter.since ? { $gte: filter.since } : {}), ...(filter.until ? { $lt: filter.until } : {}) };
    const where: FilterQuery<AuditEntry> = {
      ...(options.accountId ? { accountId: options.accountId } : {}),
      ...(actor ? { actor } : {}),
      ...(filter.actorKind ? { actorKind: filter.actorKind } : {}),
      ...(filter.action ? { action: filter.action } : {}),
      ...(filter.since || filter.until ? { at } : {}),
      ...(before ? { id: { $lt: before } } : {}),
    };
    const entries = await this.orm.em.fork().find(
      AuditEntry,
      where,
      { orderBy: { id: 'desc' }, limit: first + 1 },
    );
    return { entries: entries.slice(0, first), hasNextPage: entries.length > first };
  }
}

/** The opaque cursor of an entry. */
export function encodeCursor(id: string): string {
  return Buffer.from(`audit:${id}`).toString('base64url');
}

function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString();
  const match = /^audit:(\d{1,19})$/.exec(decoded);
  // Sequence numbers are bigint: a 19-digit number past 2^63-1 is no cursor either.
  if (!match || BigInt(match[1]!) > 9_223_372_036_854_775_807n) throw badUserInput([{ path: 'after', message: 'is not a cursor from this log; pass pageInfo.endCursor' }]);
  return match[1]!;
}
