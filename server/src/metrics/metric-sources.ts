/**
 * What the metrics read from the rest of the process when Prometheus scrapes: plain functions the
 * composition root (server.ts) hands over, so this domain imports no other and the others know
 * nothing of Prometheus.
 */

/** The change feed's health as it reports it: its LISTEN connection, its heartbeat, its reconnects. */
export interface ChangeFeedHealth {
  /** Whether every change made by any process reaches this one now. */
  connected: boolean;
  /** Seconds since the last heartbeat went round through PostgreSQL; null when the feed sends none. */
  heartbeatAgeSeconds: number | null;
  /** Times the LISTEN connection was lost and had to be made again, since the process started. */
  reconnects: number;
}

/** The PostgreSQL connection pool of this process. */
export interface DatabasePoolUse {
  /** Connections open, busy or idle. */
  total: number;
  idle: number;
  /** Queries waiting for a connection. */
  waiting: number;
  /** The most connections the pool opens. */
  max: number;
}

/** One plan migration that is running, in any process (its counts are the database's). */
export interface RunningMigration {
  id: string;
  plan: string;
  total: number;
  migrated: number;
  skipped: number;
  failed: number;
}

/** Every source of the metrics that are read rather than counted. */
export interface MetricSources {
  changeFeed(): ChangeFeedHealth;
  databasePool(): DatabasePoolUse | null;
  liveSubscriptions(): number;
  runningMigrations(): Promise<RunningMigration[]>;
}
