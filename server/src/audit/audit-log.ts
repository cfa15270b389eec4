import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditAction } from '../vocabulary/index.js';
import { AuditEntry } from './audit-entry.entity.js';

/** What a write tells the audit log about itself. */
export interface AuditRecord {
  actor: string;
  action: AuditAction;
  entityType: string;
  entityId?: string | null;
  accountId?: string | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

/**
 * Adds an audit entry to the caller's unit of work. Call it with the transaction's `em` so the
 * entry commits, or rolls back, with the change it records.
 */
export function recordAudit(em: EntityManager, record: AuditRecord, at: Date): AuditEntry {
  return em.create(AuditEntry, {
    at,
    actor: record.actor,
    action: record.action,
    entityType: record.entityType,
    entityId: record.entityId ?? null,
    accountId: record.accountId ?? null,
    before: record.before === undefined ? null : toJson(record.before),
    after: record.after === undefined ? null : toJson(record.after),
    reason: record.reason ?? null,
  });
}

function toJson(value: unknown): unknown {
  return value === null ? null : JSON.parse(JSON.stringify(value));
}
