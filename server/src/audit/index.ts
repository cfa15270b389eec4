/** The audit log: record a write inside its transaction, read it by cursor. Other domains import from here, never from the files. */
export { recordAudit } from './audit-log.js';
export { AuditService } from './audit.service.js';
export { AuditResolver } from './audit.resolver.js';
export { PageInfoType } from './audit-entry-connection.type.js';
export { AuditEntry } from './audit-entry.entity.js';
export type { AuditContext } from './audit.context.js';
