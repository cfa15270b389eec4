import { createOrmConfig } from './db/index.js';
import { entities } from './entities.js';

/**
 * The configuration the `mikro-orm` CLI reads (package.json "mikro-orm.configPaths") to create
 * migrations against a local PostgreSQL: `DATABASE_URL=… npx mikro-orm migration:create`.
 */
export default createOrmConfig({
  clientUrl: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/tollgate_dev',
  poolMax: 2,
  entities,
});
