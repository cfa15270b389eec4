/** The database: ORM start-up, the embedded database and the cross-process change feed. Other domains import from here, never from the files. */
export { type Change, ChangeFeed, type ChangeFeedOptions, type FeedEvents, type FeedHealth } from './change-feed.js';
export { type EmbeddedDatabase, startEmbeddedDatabase } from './embedded-database.js';
export { initORM } from './orm.js';
export { databaseUnavailable, isConnectionFault, retryOnConnectionFault } from './database-faults.js';
export { named } from './named-parameters.js';
export { executeBound, hasSqlState } from './bound-statement.js';
export { createOrmConfig, type OrmSettings } from './mikro-orm.config.js';
