import type { MikroORM } from '@mikro-orm/postgresql';
import { badUserInput } from '../validation/index.js';
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
  if (!match) throw badUserInput([{ path: 'after', message: 'is not a cursor from this log; pass pageInfo.endCursor' }]);
  return match[1]!;
}
