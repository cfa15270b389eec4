import { MikroORM } from '@mikro-orm/postgresql';
import { createOrmConfig, type OrmSettings } from './mikro-orm.config.js';

/**
 * Connects the ORM and brings the schema up to date with the committed migrations, so a new
 * database (embedded or PostgreSQL) is ready as soon as this resolves.
 */
export async function initORM(settings: OrmSettings): Promise<MikroORM> {
  const orm = await MikroORM.init(createOrmConfig(settings));
  await orm.migrator.up();
  return orm;
}
