import 'reflect-metadata';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, type Options } from '@mikro-orm/postgresql';

const here = dirname(fileURLToPath(import.meta.url));
const serverRoot = join(here, '..', '..');

/** What differs between the embedded database, a deployment and a test. */
export interface OrmSettings {
  clientUrl: string;
  /** The entity classes, from the composition root (the database layer imports no domain). */
  entities: Options['entities'];
  poolMax: number;
  debug?: boolean;
}

/** The one ORM configuration, for PostgreSQL and the embedded database alike. */
export function createOrmConfig(settings: OrmSettings): Options {
  return defineConfig({
    clientUrl: settings.clientUrl,
    entities: settings.entities,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    pool: { min: 0, max: settings.poolMax },
    debug: settings.debug ?? false,
    migrations: {
      path: join(serverRoot, 'dist', 'db', 'migrations'),
      pathTs: join(serverRoot, 'src', 'db', 'migrations'),
      emit: 'ts',
      snapshotName: '.snapshot',
      transactional: true,
      allOrNothing: true,
      silent: true,
    },
  });
}

