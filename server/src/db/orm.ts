import { MikroORM } from '@mikro-orm/postgresql';
import { createOrmConfig, type OrmSettings } from './mikro-orm.config.js';

/** Any fixed number: the advisory lock every Tollgate process takes around its migrations. */
const MIGRATION_LOCK = 7_450_211;

/**
 * Connects the ORM and brings the schema up to date with the committed migrations, so a new
 * database (embedded or PostgreSQL) is ready as soon as this resolves.
 *
 * Several processes starting together on one new PostgreSQL database would race to create the
 * same tables; an advisory lock makes them migrate one after another (the later ones find
 * nothing left to do). The lock is transaction-scoped and the migrations run inside that
 * transaction, so it holds on a pooled connection through PgBouncer in transaction mode too (a
 * session lock there would stay on whichever server connection PgBouncer lent, and never be
 * released). The embedded database has one owner process, so it needs no lock.
 */
export async function initORM(settings: OrmSettings & { shared: boolean }): Promise<MikroORM> {
  const orm = await MikroORM.init(createOrmConfig(settings));
  try {
    if (!settings.shared) {
      await orm.migrator.up();
      return orm;
    }
    await orm.em.fork().transactional(async (em) => {
      await em.execute('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
      await orm.migrator.up({ transaction: em.getTransactionContext() });
    });
    return orm;
  } catch (error) {
    await orm.close(true);
    throw error;
  }
}
