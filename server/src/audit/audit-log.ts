import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditActor } from '../access/index.js';
import type { ActorKind, AuditAction } from '../vocabulary/index.js';
import { AuditEntry } from './audit-entry.entity.js';

/**
 * The system actors, by the name the log has always shown for them. A write that names its actor
 * by one of these strings is recorded with that kind; any other string is an API key's name
 * (prefer passing `auditActor(principal)`, which also records the key's or operator's id).
 */
const SYSTEM_ACTORS: Record<string, ActorKind> = {
  stripe: 'STRIPE',
  lifecycle: 'LIFECYCLE',
  reconciliation: 'RECONCILIATION',
};

/** What a write tells the audit log about itself. */
export interface AuditRecord {
  /** Who made it: `auditActor(principal)` for a caller, or a system actor's name (`stripe`, `lifecycle`, `reconciliation`). */
  actor: AuditActor | string;
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
  const actor = typeof record.actor === 'string'
    ? { kind: SYSTEM_ACTORS[record.actor] ?? 'API_KEY', id: null, name: record.actor }
    : record.actor;
  return em.create(AuditEntry, {
    at,
    actor: actor.name,
    actorKind: actor.kind,
    actorId: actor.id,
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
