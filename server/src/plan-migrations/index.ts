/** Plan migrations: preview, run and follow moving accounts between plan versions. Other domains import from here, never from the files. */
export { PlanMigrationAccount } from './plan-migration-account.entity.js';
export { PlanMigration } from './plan-migration.entity.js';
export { PlanMigrationsService } from './plan-migrations.service.js';
export { PlanMigrationsResolver } from './plan-migrations.resolver.js';
export { PlanMigrationPreviewResolver } from './plan-migration-preview.resolver.js';
export type { PlanMigrationsContext } from './plan-migrations.context.js';
