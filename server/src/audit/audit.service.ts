import type { MikroORM } from '@mikro-orm/postgresql';
import { badUserInput, rules } from '../validation/index.js';
import { AuditEntry } from './audit-entry.entity.js';

/** One page of the audit log, newest first. */
export interface AuditPage {
  entries: AuditEntry[];
  hasNextPage: boolean;
}

const MAX_PAGE = 100;

/** Reads the audit log by cursor. The cursor is the entry's sequence number, opaque to callers. */
export class AuditService {
  constructor(private readonly orm: MikroORM) {}

  async page(options: { accountId?: string | null; first?: number | null; after?: string | null }): Promise<AuditPage> {
    const first = options.first ?? 20;
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
      throw badUserInput([{ path: 'first', message: `must be from 1 to ${MAX_PAGE}` }]);
    }
    const before = options.after ? decodeCursor(options.after) : null;
    // No account can have such an id (and PostgreSQL could not compare a NUL byte): an empty page.
    if (options.accountId && !rules.isAccountId(options.accountId)) return { entries: [], hasNextPage: false };
    const entries = await this.orm.em.fork().find(
      AuditEntry,
      {
        ...(options.accountId ? { accountId: options.accountId } : {}),
        ...(before ? { id: { $lt: before } } : {}),
      },
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
